/**
 * Go's fmt printing of the values a template sees. mgmt hands text/template native Go values
 * (string, int64, float64, bool, []T, map[K]V, structs with capitalised fields), so `{{.}}` and
 * `printf` print them the Go way: `[a b]`, `map[a:1 b:2]`, `{1 x}`, floats as `%g` (`1e+06`).
 */
import { isFunc, isMap, isStruct, sortedEntries, valueType } from "../../../lang/values.js";
import { goQuote } from "../go-strconv.js";
/** strconv.FormatFloat(f, 'g', -1, 64), as `%v` prints a float64. */
export function goFloatG(f, prec = -1) {
    if (Number.isNaN(f))
        return "NaN";
    if (f === Infinity)
        return "+Inf";
    if (f === -Infinity)
        return "-Inf";
    if (f === 0)
        return Object.is(f, -0) ? "-0" : "0";
    const e = prec < 0 ? f.toExponential() : f.toExponential(Math.max(prec, 1) - 1);
    const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e);
    let digits = m[2] + (m[3] ?? "");
    if (prec >= 0)
        digits = digits.replace(/0+$/, "") || "0";
    const exp = Number(m[4]);
    const eprec = prec < 0 ? 6 : prec === 0 ? 1 : prec;
    if (exp < -4 || exp >= eprec) {
        const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
        return `${m[1]}${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    }
    if (exp >= digits.length - 1)
        return m[1] + digits + "0".repeat(exp - digits.length + 1);
    if (exp >= 0)
        return `${m[1]}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    return `${m[1]}0.${"0".repeat(-exp - 1)}${digits}`;
}
/** `%v` of a value as Go prints the corresponding native value. */
export function goV(v) {
    switch (typeof v) {
        case "string":
            return v;
        case "bigint":
            return v.toString();
        case "boolean":
            return String(v);
        case "number":
            return goFloatG(v);
    }
    if (Array.isArray(v))
        return `[${v.map((x) => goV(x)).join(" ")}]`;
    if (isMap(v))
        return `map[${sortedEntries(v).map(([k, x]) => `${goV(k)}:${goV(x)}`).join(" ")}]`;
    if (isStruct(v))
        return `{${v.values.map(goV).join(" ")}}`;
    if (isFunc(v))
        return "func";
    return "?";
}
/** Go type name (`%T`) of the native value mgmt would build. */
export function goTypeName(t) {
    if (t === undefined)
        return "interface {}";
    switch (t.k) {
        case "str":
            return "string";
        case "int":
            return "int64";
        case "float":
            return "float64";
        case "bool":
            return "bool";
        case "list":
            return `[]${goTypeName(t.elem)}`;
        case "map":
            return `map[${goTypeName(t.key)}]${goTypeName(t.val)}`;
        case "struct":
            return `struct { ${t.fields.map((f) => `${f.name.charAt(0).toUpperCase()}${f.name.slice(1)} ${goTypeName(f.type)}`).join("; ")} }`;
        default:
            return "interface {}";
    }
}
function padTo(s, width, minus, zero) {
    const n = [...s].length;
    if (width === undefined || n >= width)
        return s;
    if (minus)
        return s + " ".repeat(width - n);
    if (zero) {
        const sign = /^[+-]/.test(s) ? s[0] : "";
        return sign + "0".repeat(width - n) + s.slice(sign.length);
    }
    return " ".repeat(width - n) + s;
}
/** fmt.Sprintf over template values: verbs v s q d f F g e t x X o b c T and %%. */
export function goSprintf(format, args) {
    let out = "";
    let ai = 0;
    const re = /%([-+# 0]*)(\d*)(?:\.(\d*))?(.?)/gsu;
    let last = 0;
    for (const m of format.matchAll(re)) {
        out += format.slice(last, m.index);
        last = m.index + m[0].length;
        const flags = m[1] ?? "";
        const verb = m[4] ?? "";
        if (verb === "%") {
            out += "%";
            continue;
        }
        if (verb === "") {
            out += "%!(NOVERB)";
            continue;
        }
        const width = m[2] ? Number(m[2]) : undefined;
        const prec = m[3] === undefined ? undefined : Number(m[3] || "0");
        const minus = flags.includes("-"), plus = flags.includes("+"), zero = flags.includes("0") && !minus;
        const v = args[ai++];
        if (v === undefined) {
            out += `%!${verb}(MISSING)`;
            continue;
        }
        const bad = () => `%!${verb}(${goTypeName(valueType(v))}=${goV(v)})`;
        const sign = (s, neg) => (neg ? "-" : plus ? "+" : "") + s;
        let s;
        switch (verb) {
            case "v":
                s = typeof v === "bigint" || typeof v === "number" ? sign(goV(v).replace(/^-/, ""), goV(v).startsWith("-")) : goV(v);
                break;
            case "s":
                s = typeof v === "string" ? (prec === undefined ? v : [...v].slice(0, prec).join("")) : Array.isArray(v) || isMap(v) || isStruct(v) ? goV(v) : bad();
                break;
            case "q":
                s = typeof v === "string" ? goQuote(v, plus ? "ascii" : "print") : typeof v === "bigint" ? goQuote(String.fromCodePoint(Number(v)), "print", "'") : bad();
                break;
            case "t":
                s = typeof v === "boolean" ? String(v) : bad();
                break;
            case "d":
                s = typeof v === "bigint" ? sign((v < 0n ? -v : v).toString(), v < 0n) : bad();
                break;
            case "x":
            case "X":
            case "o":
            case "b": {
                const base = { x: 16, X: 16, o: 8, b: 2 }[verb];
                if (typeof v === "bigint")
                    s = sign((v < 0n ? -v : v).toString(base), v < 0n);
                else if (typeof v === "string" && (verb === "x" || verb === "X"))
                    s = Buffer.from(v, "utf8").toString("hex");
                else
                    s = bad();
                if (verb === "X")
                    s = s.toUpperCase();
                break;
            }
            case "c":
                s = typeof v === "bigint" ? String.fromCodePoint(Number(v)) : bad();
                break;
            case "f":
            case "F":
                s = typeof v === "number" ? (Number.isFinite(v) ? sign(Math.abs(v).toFixed(prec ?? 6), v < 0 || Object.is(v, -0)) : goFloatG(v)) : bad();
                break;
            case "e":
                s = typeof v === "number" ? (Number.isFinite(v) ? sign(Math.abs(v).toExponential(prec ?? 6).replace(/e([+-])(\d)$/, "e$10$2"), v < 0) : goFloatG(v)) : bad();
                break;
            case "g":
                s = typeof v === "number" ? sign(goFloatG(Math.abs(v), prec ?? -1), v < 0) : bad();
                break;
            case "T":
                s = goTypeName(valueType(v));
                break;
            default:
                s = bad();
        }
        out += padTo(s, width, minus, zero && verb !== "s" && verb !== "q" && verb !== "v" && verb !== "t");
    }
    out += format.slice(last);
    if (ai < args.length)
        out += `%!(EXTRA ${args.slice(ai).map((v) => `${goTypeName(valueType(v))}=${goV(v)}`).join(", ")})`;
    return out;
}
/** fmt.Sprint: spaces between operands when neither side is a string. */
export function goSprint(args) {
    let out = "";
    args.forEach((a, i) => {
        if (i > 0 && typeof a !== "string" && typeof args[i - 1] !== "string")
            out += " ";
        out += goV(a);
    });
    return out;
}
