import { fn } from "./define.js";
const GO_TYPES = {
    bool: "bool",
    string: "str",
    "[]byte": "str",
    int: "int",
    int64: "int",
    float64: "float",
    "[]string": "[]str",
};
/** Irregular names where the generic CamelCase split reads badly. */
const NAME_OVERRIDES = { IsNaN: "is_nan", GOMAXPROCS: "gomaxprocs", GOROOT: "goroot" };
/** `TrimSpace` → `trim_space`, `NumCPU` → `num_cpu`, `QuoteToASCII` → `quote_to_ascii`, `Int63n` → `int63n`. */
export function snakeCase(goName) {
    const o = NAME_OVERRIDES[goName];
    if (o !== undefined)
        return o;
    return goName
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
        .toLowerCase();
}
function goType(t, where) {
    const m = GO_TYPES[t.trim()];
    if (m === undefined)
        throw new Error(`golang wrapper ${where}: unsupported Go type ${t}`);
    return m;
}
/**
 * Parse `Name(a, b string, n int) (string, error)` into a builtin of package `golang/<goPkg>`.
 * Go's grouped params (`a, b string`) are supported.
 */
export function goFunc(goPkg, decl, effect) {
    const m = /^(\w+)\(([^)]*)\)\s*(.*)$/.exec(decl.trim());
    if (!m)
        throw new Error(`bad Go decl ${decl}`);
    const [, goName, paramSrc, retSrc] = m;
    const params = [];
    const pending = [];
    for (const part of paramSrc.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
        const sp = part.indexOf(" ");
        if (sp < 0) {
            pending.push(part);
            continue;
        }
        const t = goType(part.slice(sp + 1), decl);
        for (const n of pending)
            params.push(`${n} ${t}`);
        pending.length = 0;
        params.push(`${part.slice(0, sp)} ${t}`);
    }
    if (pending.length > 0)
        throw new Error(`bad Go params in ${decl}`);
    const rets = retSrc.replace(/^\(|\)$/g, "").split(",").map((r) => r.trim().split(/\s+/).pop() ?? "").filter((r) => r !== "");
    const catchable = rets[rets.length - 1] === "error";
    if (catchable)
        rets.pop();
    if (rets.length !== 1)
        throw new Error(`Go decl ${decl} must return exactly one value (+ error)`);
    const sig = `func(${params.join(", ")}) ${goType(rets[0], decl)}`;
    return fn(`golang/${goPkg}`, snakeCase(goName), sig, effect, { catchable, goName });
}
/** All wrappers of one Go package. */
export function goPackage(goPkg, effect, decls, overrides = {}) {
    return decls.map((d) => goFunc(goPkg, d, overrides[/^\w+/.exec(d)?.[0] ?? ""] ?? effect));
}
