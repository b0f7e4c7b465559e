/**
 * Go `net` / `net/url` parsing semantics for the `net.*` parsers: ParseIP, ParseCIDR, IP.String
 * (RFC 5952, IPv4-mapped addresses print dotted), ParseMAC, SplitHostPort and url.Parse.
 */
function parseV4(s) {
    const parts = s.split(".");
    if (parts.length !== 4)
        return undefined;
    const out = new Uint8Array(4);
    for (let i = 0; i < 4; i++) {
        const p = parts[i];
        // Go (since 1.17) rejects leading zeros
        if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)
            return undefined;
        out[i] = Number(p);
    }
    return out;
}
function parseV6(s) {
    if (s.includes("%"))
        return undefined; // zones are not IPs
    const out = new Uint8Array(16);
    let head = [], tail = [];
    const dbl = s.indexOf("::");
    if (dbl >= 0) {
        if (s.indexOf("::", dbl + 1) >= 0)
            return undefined;
        head = s.slice(0, dbl) === "" ? [] : s.slice(0, dbl).split(":");
        tail = s.slice(dbl + 2) === "" ? [] : s.slice(dbl + 2).split(":");
    }
    else
        head = s.split(":");
    const groups = (xs) => {
        const r = [];
        for (let i = 0; i < xs.length; i++) {
            const g = xs[i];
            if (i === xs.length - 1 && g.includes(".")) {
                const v4 = parseV4(g);
                if (!v4)
                    return undefined;
                r.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
            }
            else if (/^[0-9a-fA-F]{1,4}$/.test(g))
                r.push(parseInt(g, 16));
            else
                return undefined;
        }
        return r;
    };
    const h = groups(head);
    const t = groups(tail);
    if (!h || !t || (head.length > 0 && head[head.length - 1].includes(".") && dbl >= 0))
        return undefined;
    const n = h.length + t.length;
    if (dbl >= 0 ? n > 7 : n !== 8)
        return undefined;
    const all = [...h, ...new Array(8 - n).fill(0), ...t];
    all.forEach((g, i) => {
        out[2 * i] = g >> 8;
        out[2 * i + 1] = g & 0xff;
    });
    return out;
}
/** net.ParseIP: IPv4 results are 4 bytes here (Go keeps 16, but prints the same). */
export function parseIP(s) {
    return s.includes(":") ? parseV6(s) : parseV4(s);
}
/** IPv4-mapped (::ffff:a.b.c.d) 16-byte addresses as 4 bytes (Go's To4). */
export function to4(ip) {
    if (ip.length === 4)
        return ip;
    for (let i = 0; i < 10; i++)
        if (ip[i] !== 0)
            return undefined;
    return ip[10] === 0xff && ip[11] === 0xff ? ip.subarray(12) : undefined;
}
/** IP.String(). */
export function ipString(ip) {
    const v4 = to4(ip);
    if (v4)
        return [...v4].join(".");
    const g = [];
    for (let i = 0; i < 16; i += 2)
        g.push((ip[i] << 8) | ip[i + 1]);
    // longest run (≥ 2) of zero groups, first one on ties
    let best = -1, bestLen = 1;
    for (let i = 0; i < 8;) {
        if (g[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && g[j] === 0)
            j++;
        if (j - i > bestLen)
            (best = i), (bestLen = j - i);
        i = j;
    }
    const hex = (xs) => xs.map((x) => x.toString(16)).join(":");
    if (best < 0)
        return hex(g);
    return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}
/** net.ParseCIDR; `undefined` means `invalid CIDR address: s`. */
export function parseCIDR(s) {
    const slash = s.indexOf("/");
    if (slash < 0)
        return undefined;
    const ip = parseIP(s.slice(0, slash));
    const m = s.slice(slash + 1);
    if (!ip || !/^\d+$/.test(m))
        return undefined;
    const bits = ip.length * 8;
    const ones = Number(m);
    if (ones > bits)
        return undefined;
    const mask = new Uint8Array(ip.length);
    for (let i = 0; i < ones; i++)
        mask[i >> 3] |= 0x80 >> (i & 7);
    const addr = ip.map((b, i) => b & mask[i]);
    return { ip, addr, ones, bits, mask };
}
/** IPNet.Contains. */
export function cidrContains(n, ip) {
    const x = n.bits === 32 ? to4(ip) : ip.length === 16 ? ip : undefined;
    if (!x || x.length !== n.addr.length)
        return false;
    return x.every((b, i) => (b & n.mask[i]) === n.addr[i]);
}
/** Add `delta` (±1) to an address as a big-endian integer. */
export function ipAdd(ip, delta) {
    const out = Uint8Array.from(ip);
    for (let i = out.length - 1; i >= 0; i--) {
        const v = out[i] + delta;
        out[i] = v & 0xff;
        if (v >= 0 && v <= 0xff)
            break;
    }
    return out;
}
/** net.ParseMAC: 6, 8 or 20 octets as `xx:xx…`, `xx-xx…` or `xxxx.xxxx…`. */
export function parseMAC(s) {
    const ok = (n) => n === 6 || n === 8 || n === 20;
    if (s.length < 14)
        return false;
    if (s[2] === ":" || s[2] === "-") {
        if ((s.length + 1) % 3 !== 0)
            return false;
        const n = (s.length + 1) / 3;
        if (!ok(n))
            return false;
        const sep = s[2];
        for (let i = 0; i < n; i++) {
            if (!/^[0-9a-fA-F]{2}$/.test(s.slice(3 * i, 3 * i + 2)))
                return false;
            if (i < n - 1 && s[3 * i + 2] !== sep)
                return false;
        }
        return true;
    }
    if (s[4] === ".") {
        if ((s.length + 1) % 5 !== 0)
            return false;
        const n = (2 * (s.length + 1)) / 5;
        if (!ok(n))
            return false;
        for (let i = 0; i < n / 2; i++) {
            if (!/^[0-9a-fA-F]{4}$/.test(s.slice(5 * i, 5 * i + 4)))
                return false;
            if (i < n / 2 - 1 && s[5 * i + 4] !== ".")
                return false;
        }
        return true;
    }
    return false;
}
/** net.SplitHostPort; a string result is the error text. */
export function splitHostPort(hp) {
    const err = (why) => `address ${hp}: ${why}`;
    const i = hp.lastIndexOf(":");
    if (i < 0)
        return err("missing port in address");
    let host;
    let j = 0, k = 0;
    if (hp[0] === "[") {
        const end = hp.indexOf("]");
        if (end < 0)
            return err("missing ']' in address");
        if (end + 1 === hp.length)
            return err("missing port in address");
        if (end + 1 !== i)
            return err(hp[end + 1] === ":" ? "too many colons in address" : "missing port in address");
        host = hp.slice(1, end);
        (j = 1), (k = end + 1);
    }
    else {
        host = hp.slice(0, i);
        if (host.includes(":"))
            return err("too many colons in address");
    }
    if (hp.slice(j).includes("["))
        return err("unexpected '[' in address");
    if (hp.slice(k).includes("]"))
        return err("unexpected ']' in address");
    return { host, port: hp.slice(i + 1) };
}
function unescapePath(s) {
    let out = "";
    const bytes = [];
    const flush = () => {
        if (bytes.length)
            out += Buffer.from(bytes).toString("utf8");
        bytes.length = 0;
    };
    for (let i = 0; i < s.length; i++) {
        if (s[i] === "%") {
            const h = s.slice(i + 1, i + 3);
            if (!/^[0-9a-fA-F]{2}$/.test(h))
                return { error: `invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}` };
            bytes.push(parseInt(h, 16));
            i += 2;
        }
        else {
            flush();
            out += s[i];
        }
    }
    flush();
    return out;
}
/** url.Parse (the fields mcl's `net.url_parser` returns); a string result is the error text. */
export function parseURL(raw) {
    const err = (why) => `parse ${JSON.stringify(raw)}: ${why}`;
    let rest = raw;
    const hash = rest.indexOf("#");
    if (hash >= 0)
        rest = rest.slice(0, hash);
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(rest))
        return err("net/url: invalid control character in URL");
    let scheme = "";
    const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
    if (rest.startsWith(":"))
        return err("missing protocol scheme");
    if (sm) {
        scheme = sm[1].toLowerCase();
        rest = rest.slice(sm[0].length);
    }
    let rawQuery = "";
    const q = rest.indexOf("?");
    if (q >= 0)
        (rawQuery = rest.slice(q + 1)), (rest = rest.slice(0, q));
    if (!rest.startsWith("/")) {
        if (scheme !== "")
            return { scheme, host: "", path: "", rawQuery }; // opaque
        const seg = rest.split("/")[0];
        if (seg.includes(":"))
            return err("first path segment in URL cannot contain colon");
    }
    let host = "";
    if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
        const auth = rest.slice(2);
        const slash = auth.indexOf("/");
        const authority = slash < 0 ? auth : auth.slice(0, slash);
        rest = slash < 0 ? "" : auth.slice(slash);
        host = authority.slice(authority.lastIndexOf("@") + 1);
        const pm = /:([^\]:]*)$/.exec(host);
        if (pm && !/^\d*$/.test(pm[1]))
            return err(`invalid port ${JSON.stringify(pm[0])} after host`);
    }
    const path = unescapePath(rest);
    if (typeof path !== "string")
        return err(path.error);
    return { scheme, host, path, rawQuery };
}
