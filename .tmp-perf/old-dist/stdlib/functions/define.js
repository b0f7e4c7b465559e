const EFFECT = { P: "pure", I: "impure", S: "source" };
/** A builtin `pkg.short` (pkg "" = global) with a fixed signature string, or `undefined` when `opts.infer` computes it. */
export function fn(pkg, short, sig, effect, opts = {}) {
    const f = {
        name: pkg === "" ? short : `${pkg}.${short}`,
        pkg,
        short,
        effect: EFFECT[effect],
    };
    if (sig !== undefined)
        f.sig = sig;
    if (opts.infer)
        f.infer = opts.infer;
    if (opts.check)
        f.check = opts.check;
    if (opts.catchable)
        f.catchable = true;
    if (opts.goName !== undefined)
        f.goName = opts.goName;
    return f;
}
/** Parameter names used for generated/variadic args: a, b, …, z, a26, a27, … */
export function argName(i) {
    return i < 26 ? String.fromCharCode(97 + i) : `a${i}`;
}
/** A func type from (name, type) pairs. */
export function funcType(params, ret) {
    return { k: "func", params: params.map(([name, type]) => ({ name, type })), ret };
}
/** The solved type is still a var: nothing to check yet (ambiguity is reported by the checker). */
export function isOpen(t) {
    return t === undefined || t.k === "var";
}
/** Param `i` of a solved func type (undefined when the solution is not a func). */
export function param(solved, i) {
    return solved.k === "func" ? solved.params[i]?.type : undefined;
}
/** Return type of a solved func type. */
export function ret(solved) {
    return solved.k === "func" ? solved.ret : undefined;
}
/** True if `t` contains a func anywhere (func values are not comparable). */
export function containsFunc(t) {
    switch (t.k) {
        case "func":
            return true;
        case "list":
            return containsFunc(t.elem);
        case "map":
            return containsFunc(t.key) || containsFunc(t.val);
        case "struct":
            return t.fields.some((f) => containsFunc(f.type));
        default:
            return false;
    }
}
/** Copy `t` replacing its `?N` vars by vars from `fresh` (for `infer` hooks built from signature strings). */
export function freshen(t, fresh) {
    const map = new Map();
    const go = (x) => {
        switch (x.k) {
            case "var": {
                let v = map.get(x.id);
                if (v === undefined)
                    map.set(x.id, (v = fresh()));
                return v;
            }
            case "list":
                return { k: "list", elem: go(x.elem) };
            case "map":
                return { k: "map", key: go(x.key), val: go(x.val) };
            case "struct":
                return { k: "struct", fields: x.fields.map((f) => ({ name: f.name, type: go(f.type) })) };
            case "func":
                return { k: "func", params: x.params.map((p) => ({ name: p.name, type: go(p.type) })), ret: go(x.ret) };
            default:
                return x;
        }
    };
    return go(t);
}
