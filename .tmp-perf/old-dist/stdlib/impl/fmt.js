/**
 * `fmt.printf` (mcl-language.md §10): `%t %s %q %d %f %v %T %%` with Go's flags, width and
 * precision. Unlike Go, `%f` without a precision prints the shortest exact form (`4`, `3.14`),
 * and `%v` prints floats the same way and composites with mcl's `printValue`. A non-literal
 * format is checked at run time; mismatches print Go's `%!d(MISSING)` / `%!d(str=x)` markers.
 */
import { isConcrete, printType } from "../../lang/types.js";
import { formatFloat, printValue, valueType } from "../../lang/values.js";
import { registerImpls } from "../impl.js";
import { argStr, paramType } from "./args.js";
import { goCanBackquote, goQuote } from "./go-strconv.js";
const VERB_KIND = { t: "boolean", s: "string", q: "string", d: "bigint", f: "number" };
function typeName(v, ctx, argIndex) {
    const t = paramType(ctx, argIndex + 1);
    if (t !== undefined && isConcrete(t))
        return printType(t);
    const vt = valueType(v);
    return vt ? printType(vt) : "?";
}
/** Go fmt's `%f` with a precision; beyond toFixed's range fall back to the exact shortest form. */
function fixed(f, prec) {
    if (!Number.isFinite(f))
        return formatFloat(f);
    if (Math.abs(f) >= 1e21 || prec > 100)
        return formatFloat(f);
    return f.toFixed(prec);
}
function signed(body, negative, s) {
    return negative ? "-" + body : s.plus ? "+" + body : s.space ? " " + body : body;
}
function pad(str, s, zeroOk) {
    const n = [...str].length;
    if (s.width === undefined || n >= s.width)
        return str;
    const fill = s.width - n;
    if (s.minus)
        return str + " ".repeat(fill);
    if (s.zero && zeroOk) {
        const m = /^[+\- ]/.exec(str);
        const sign = m ? m[0] : "";
        return sign + "0".repeat(fill) + str.slice(sign.length);
    }
    return " ".repeat(fill) + str;
}
function formatOne(verb, v, s, ctx, i) {
    switch (verb) {
        case "t":
            return pad(v ? "true" : "false", s, false);
        case "s": {
            const str = v;
            return pad(s.prec === undefined ? str : [...str].slice(0, s.prec).join(""), s, false);
        }
        case "q": {
            const str = v;
            if (s.sharp && goCanBackquote(str))
                return pad("`" + str + "`", s, false);
            return pad(goQuote(str, s.plus ? "ascii" : "print"), s, false);
        }
        case "d": {
            const n = v;
            let digits = (n < 0n ? -n : n).toString();
            if (s.prec !== undefined)
                digits = s.prec === 0 && n === 0n ? "" : digits.padStart(s.prec, "0");
            return pad(signed(digits, n < 0n, s), s, s.prec === undefined);
        }
        case "f": {
            const f = v;
            const neg = f < 0 || Object.is(f, -0);
            const body = s.prec === undefined ? formatFloat(Math.abs(f)) : fixed(Math.abs(f), s.prec);
            return pad(Number.isNaN(f) ? (s.plus ? "+NaN" : "NaN") : signed(body.replace(/^\+/, ""), neg, s), s, Number.isFinite(f));
        }
        case "v":
            switch (typeof v) {
                case "string":
                    return pad(v, s, false);
                case "boolean":
                    return pad(String(v), s, false);
                case "bigint":
                    return pad(signed((v < 0n ? -v : v).toString(), v < 0n, s), s, true);
                case "number":
                    return pad(formatFloat(v), s, Number.isFinite(v));
                default:
                    return pad(printValue(v), s, false);
            }
        case "T":
            return pad(typeName(v, ctx, i), s, false);
    }
    return `%!${verb}(${printValue(v)})`;
}
const VERB_RE = /%([-+# 0]*)(\d*)(?:\.(\d*))?(.?)/gsu;
/** Go-compatible `Sprintf` over mcl values with the mcl verb set (§10). */
export function printf(format, vals, ctx) {
    let out = "";
    let last = 0;
    let argi = 0;
    for (const m of format.matchAll(VERB_RE)) {
        out += format.slice(last, m.index);
        last = m.index + m[0].length;
        const flags = m[1] ?? "";
        const verb = m[4] ?? "";
        if (verb === "%" && flags === "" && m[2] === "" && m[3] === undefined) {
            out += "%";
            continue;
        }
        if (verb === "") {
            out += "%!(NOVERB)";
            continue;
        }
        const spec = {
            minus: flags.includes("-"),
            plus: flags.includes("+"),
            sharp: flags.includes("#"),
            space: flags.includes(" "),
            zero: flags.includes("0") && !flags.includes("-"),
            width: m[2] ? Number(m[2]) : undefined,
            prec: m[3] === undefined ? undefined : Number(m[3] || "0"),
        };
        const v = vals[argi];
        if (v === undefined) {
            out += `%!${verb}(MISSING)`;
            continue;
        }
        const want = VERB_KIND[verb];
        if ((want !== undefined && typeof v !== want) || !"tsqdfvT".includes(verb)) {
            out += `%!${verb}(${typeName(v, ctx, argi)}=${typeof v === "string" ? v : printValue(v)})`;
        }
        else {
            out += formatOne(verb, v, spec, ctx, argi);
        }
        argi++;
    }
    out += format.slice(last);
    if (argi < vals.length) {
        out += "%!(EXTRA " + vals.slice(argi).map((v, j) => `${typeName(v, ctx, argi + j)}=${typeof v === "string" ? v : printValue(v)}`).join(", ") + ")";
    }
    return out;
}
registerImpls({
    "fmt.printf": { effect: "pure", call: (args, ctx) => printf(argStr(args, 0), args.slice(1), ctx) },
});
