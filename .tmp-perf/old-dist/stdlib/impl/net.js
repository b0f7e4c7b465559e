/**
 * Package `net`, the pure parsers (mcl-language.md §11.2), after mgmt's `lang/core/net`: Go's
 * `net.ParseCIDR` (surrounding white space trimmed), `net.ParseMAC`, `net.SplitHostPort` and
 * `url.Parse`. `cidr_to_first`/`cidr_to_last` give the first and last usable host address (the
 * network and broadcast addresses themselves for /31, /32, /127 and /128).
 */
import { StructValue } from "../../lang/values.js";
import { registerImpls } from "../impl.js";
import { argStr, fail, goTrimSpace } from "./args.js";
import { cidrContains, ipAdd, ipString, parseCIDR, parseIP, parseMAC, parseURL, splitHostPort } from "./go-net.js";
function withCidr(f) {
    return {
        effect: "pure",
        call: (args) => {
            const s = argStr(args, 0);
            const n = parseCIDR(goTrimSpace(s));
            return n ? f(n) : fail(`invalid CIDR address: ${s}`);
        },
    };
}
function broadcast(n) {
    return n.addr.map((b, i) => b | (~n.mask[i] & 0xff));
}
const MAC_LEN = "00:00:00:00:00:00".length;
function macConvert(from, to) {
    return {
        effect: "pure",
        call: (args) => {
            const mac = argStr(args, 0);
            if (mac.length !== MAC_LEN)
                return fail(`invalid MAC address length: ${mac}`);
            if (!parseMAC(mac))
                return fail(`address ${mac}: invalid MAC address`);
            return mac.split(from).join(to);
        },
    };
}
registerImpls({
    "net.cidr_to_ip": withCidr((n) => ipString(n.ip)),
    "net.cidr_to_prefix": withCidr((n) => String(n.ones)),
    "net.cidr_to_mask": withCidr((n) => ipString(n.mask)),
    "net.cidr_to_network": withCidr((n) => ipString(n.addr)),
    "net.cidr_to_first": withCidr((n) => ipString(n.ones >= n.bits - 1 ? n.addr : ipAdd(n.addr, 1))),
    "net.cidr_to_last": withCidr((n) => ipString(n.ones >= n.bits - 1 ? broadcast(n) : ipAdd(broadcast(n), -1))),
    "net.ip_in_cidr": {
        effect: "pure",
        call: (args) => {
            const ipStr = argStr(args, 0), cidr = argStr(args, 1);
            const ip = parseIP(goTrimSpace(ipStr));
            if (!ip)
                return fail(`invalid IP address: ${ipStr}`);
            const n = parseCIDR(goTrimSpace(cidr));
            if (!n)
                return fail(`invalid CIDR address: ${cidr}`);
            return cidrContains(n, ip);
        },
    },
    "net.is_mac": { effect: "pure", call: (args) => parseMAC(argStr(args, 0)) },
    "net.macfmt": macConvert("-", ":"),
    "net.oldmacfmt": macConvert(":", "-"),
    "net.split_hostport": {
        effect: "pure",
        call: (args) => {
            const r = splitHostPort(argStr(args, 0));
            return typeof r === "string" ? fail(r) : new StructValue([["host", r.host], ["port", r.port]]);
        },
    },
    "net.url_parser": {
        effect: "pure",
        call: (args) => {
            const r = parseURL(argStr(args, 0));
            if (typeof r === "string")
                return fail(r);
            return new StructValue([["scheme", r.scheme], ["host", r.host], ["path", r.path], ["raw_query", r.rawQuery]]);
        },
    },
});
