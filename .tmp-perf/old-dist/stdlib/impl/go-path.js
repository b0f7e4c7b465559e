/** Go `path` / `path/filepath` (Unix) semantics: Clean, Base, Dir, Ext, Match, Rel, IsLocal. */
export function clean(p) {
    if (p === "")
        return ".";
    const rooted = p.startsWith("/");
    const out = [];
    for (const seg of p.split("/")) {
        if (seg === "" || seg === ".")
            continue;
        if (seg === "..") {
            if (out.length > 0 && out[out.length - 1] !== "..")
                out.pop();
            else if (!rooted)
                out.push("..");
            continue;
        }
        out.push(seg);
    }
    const body = out.join("/");
    return rooted ? "/" + body : body === "" ? "." : body;
}
export function base(p) {
    if (p === "")
        return ".";
    p = p.replace(/\/+$/, "");
    if (p === "")
        return "/";
    return p.slice(p.lastIndexOf("/") + 1);
}
export function dir(p) {
    return clean(p.slice(0, p.lastIndexOf("/") + 1));
}
export function ext(p) {
    for (let i = p.length - 1; i >= 0 && p[i] !== "/"; i--)
        if (p[i] === ".")
            return p.slice(i);
    return "";
}
export class BadPattern extends Error {
    constructor() {
        super("syntax error in pattern");
    }
}
/** Compile a path.Match pattern to a RegExp; throws BadPattern for a malformed pattern. */
export function compileMatch(pattern) {
    let re = "";
    const esc = (c) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
    const chars = [...pattern];
    for (let i = 0; i < chars.length; i++) {
        const c = chars[i];
        if (c === "*")
            re += "[^/]*";
        else if (c === "?")
            re += "[^/]";
        else if (c === "\\") {
            const d = chars[++i];
            if (d === undefined)
                throw new BadPattern();
            re += esc(d);
        }
        else if (c === "[") {
            let cls = "[";
            i++;
            if (chars[i] === "^")
                (cls += "^"), i++;
            let items = 0;
            for (;;) {
                let lo = chars[i];
                if (lo === undefined)
                    throw new BadPattern();
                if (lo === "]" && items > 0)
                    break;
                if (lo === "-" || lo === "]")
                    throw new BadPattern();
                if (lo === "\\") {
                    lo = chars[++i];
                    if (lo === undefined)
                        throw new BadPattern();
                }
                i++;
                cls += esc(lo);
                if (chars[i] === "-") {
                    let hi = chars[++i];
                    if (hi === undefined || hi === "]" || hi === "-")
                        throw new BadPattern();
                    if (hi === "\\") {
                        hi = chars[++i];
                        if (hi === undefined)
                            throw new BadPattern();
                    }
                    i++;
                    if (hi.codePointAt(0) < lo.codePointAt(0))
                        throw new BadPattern();
                    cls += "-" + esc(hi);
                }
                items++;
            }
            // a negated class never matches '/'
            re += cls.startsWith("[^") ? `(?!/)${cls}]` : `${cls}]`;
        }
        else
            re += esc(c);
    }
    return new RegExp(`^${re}$`, "su");
}
export function match(pattern, name) {
    return compileMatch(pattern).test(name);
}
/** filepath.Rel (Unix); a string starting with "Rel:" is the error. */
export function rel(basepath, targpath) {
    let b = clean(basepath);
    const t = clean(targpath);
    if (t === b)
        return { value: "." };
    if (b === ".")
        b = "";
    const err = { error: `Rel: can't make ${targpath} relative to ${basepath}` };
    if ((b.length > 0 && b[0] === "/") !== (t.length > 0 && t[0] === "/"))
        return err;
    const bl = b.length, tl = t.length;
    let b0 = 0, bi = 0, t0 = 0, ti = 0;
    for (;;) {
        while (bi < bl && b[bi] !== "/")
            bi++;
        while (ti < tl && t[ti] !== "/")
            ti++;
        if (t.slice(t0, ti) !== b.slice(b0, bi))
            break;
        if (bi < bl)
            bi++;
        if (ti < tl)
            ti++;
        b0 = bi;
        t0 = ti;
    }
    if (b.slice(b0, bi) === "..")
        return err;
    if (b0 !== bl) {
        const seps = b.slice(b0, bl).split("/").length - 1;
        let out = ".." + "/..".repeat(seps);
        if (t0 !== tl)
            out += "/" + t.slice(t0);
        return { value: out };
    }
    return { value: t.slice(t0) };
}
export function isLocal(p) {
    if (p.startsWith("/") || p === "")
        return false;
    if (p.split("/").some((x) => x === "." || x === ".."))
        p = clean(p);
    return !(p === ".." || p.startsWith("../"));
}
