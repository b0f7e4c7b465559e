/**
 * Package `net`, the host-interface sources (mcl-language.md §11.2): `macs`, `wired_interface`,
 * `interface_cidr`. Interfaces come from `/sys/class/net` (which, unlike `os.networkInterfaces`,
 * also lists links without an address) and `os.networkInterfaces` for addresses. sysfs sends no
 * inotify events, so they are polled every {@link NET_POLL_MS} and emit only on change.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { networkInterfaces } from "node:os";
import { registerImpls } from "../../impl.js";
import { argStr, poll$ } from "./util.js";
export const NET_POLL_MS = 2000;
export const netPaths = { sysClassNet: "/sys/class/net" };
const ZERO_MAC = "00:00:00:00:00:00";
function readSys(iface, file) {
    try {
        return readFileSync(join(netPaths.sysClassNet, iface, file), "utf8").trim();
    }
    catch {
        return "";
    }
}
function ifaceNames() {
    try {
        return readdirSync(netPaths.sysClassNet).sort();
    }
    catch {
        return Object.keys(networkInterfaces()).sort();
    }
}
/** Every non-zero hardware address of the host's interfaces, unique and sorted. */
export function macs() {
    const out = new Set();
    for (const name of ifaceNames()) {
        const a = readSys(name, "address").toLowerCase();
        if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(a) && a !== ZERO_MAC)
            out.add(a);
    }
    for (const addrs of Object.values(networkInterfaces())) {
        for (const a of addrs ?? [])
            if (a.mac !== ZERO_MAC)
                out.add(a.mac.toLowerCase());
    }
    return [...out].sort();
}
/**
 * The wired Ethernet interface: type 1 (ARPHRD_ETHER), not wireless, not loopback. Physical
 * devices (a `device` link in sysfs) win over virtual ones, then links that are up, then names.
 * `""` when there is none.
 */
export function wiredInterface() {
    const cands = [];
    for (const name of ifaceNames()) {
        if (name === "lo" || readSys(name, "type") !== "1")
            continue;
        const dir = join(netPaths.sysClassNet, name);
        if (existsSync(join(dir, "wireless")) || existsSync(join(dir, "phy80211")))
            continue;
        const score = (existsSync(join(dir, "device")) ? 2 : 0) + (readSys(name, "operstate") === "up" ? 1 : 0);
        cands.push({ name, score });
    }
    cands.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return cands[0]?.name ?? "";
}
/** The first IPv4 CIDR (`192.168.1.5/24`) of `iface`, else its first IPv6 one, else `""`. */
export function interfaceCidr(iface) {
    const addrs = networkInterfaces()[iface] ?? [];
    const v4 = addrs.find((a) => a.family === "IPv4");
    const a = v4 ?? addrs.find((x) => x.family === "IPv6");
    return a?.cidr ?? "";
}
registerImpls({
    "net.macs": { effect: "source", stream: () => poll$(NET_POLL_MS, () => macs()) },
    "net.wired_interface": { effect: "source", stream: () => poll$(NET_POLL_MS, wiredInterface) },
    "net.interface_cidr": {
        effect: "source",
        stream: (args) => {
            const iface = argStr(args, 0, "net.interface_cidr");
            return poll$(NET_POLL_MS, () => interfaceCidr(iface));
        },
    },
});
