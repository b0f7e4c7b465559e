/**
 * Helpers shared by the pure builtin implementations: typed access to call arguments (the checker
 * guarantees the kinds, so a mismatch is an internal error and throws), catchable-error
 * construction, and the Go string facts the wrappers need (Go strings are UTF-8 bytes, so lengths
 * and indices are byte counts — mcl-language.md §13 "Semantics are those of the Go function").
 */
import { CatchableError, isFunc, isMap, isStruct } from "../../lang/values.js";
function bad(args, i, want) {
    throw new Error(`internal error: arg ${i} is not a ${want}: ${String(args[i])}`);
}
export function argStr(args, i) {
    const v = args[i];
    return typeof v === "string" ? v : bad(args, i, "str");
}
export function argInt(args, i) {
    const v = args[i];
    return typeof v === "bigint" ? v : bad(args, i, "int");
}
export function argFloat(args, i) {
    const v = args[i];
    return typeof v === "number" ? v : bad(args, i, "float");
}
export function argBool(args, i) {
    const v = args[i];
    return typeof v === "boolean" ? v : bad(args, i, "bool");
}
export function argList(args, i) {
    const v = args[i];
    return Array.isArray(v) ? v : bad(args, i, "list");
}
export function argStrList(args, i) {
    const l = argList(args, i);
    for (const x of l)
        if (typeof x !== "string")
            bad(args, i, "[]str");
    return l;
}
export function argMap(args, i) {
    const v = args[i];
    return v !== undefined && isMap(v) ? v : bad(args, i, "map");
}
export function argStruct(args, i) {
    const v = args[i];
    return v !== undefined && isStruct(v) ? v : bad(args, i, "struct");
}
export function argFunc(args, i) {
    const v = args[i];
    return v !== undefined && isFunc(v) ? v : bad(args, i, "func");
}
/** A catchable runtime error (§8). */
export function fail(message) {
    return new CatchableError(message);
}
/** Clamp a bigint to a JS number (for counts/indices that are meaningless beyond 2^53). */
export function toNum(n) {
    return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : n < BigInt(Number.MIN_SAFE_INTEGER) ? Number.MIN_SAFE_INTEGER : Number(n);
}
/** The solved return type of the call site; `ctx.type` is the solved func type (or, tolerated, the return type itself). */
export function retType(ctx) {
    const t = ctx.type;
    return t?.k === "func" ? t.ret : t;
}
/** The solved type of param `i` of the call site, when ctx.type is a func type. */
export function paramType(ctx, i) {
    const t = ctx.type;
    return t?.k === "func" ? t.params[i]?.type : undefined;
}
// ---------------------------------------------------------------------------------------------
// Go string facts
const enc = new TextEncoder();
const dec = new TextDecoder();
/** Go `len(s)`: the UTF-8 byte length. */
export function utf8Len(s) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x80)
            n += 1;
        else if (c < 0x800)
            n += 2;
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
            n += 4;
            i++;
        }
        else
            n += 3;
    }
    return n;
}
/** Go `s[lo:hi]` on the UTF-8 bytes; a cut through a multi-byte rune decodes as U+FFFD. */
export function byteSlice(s, lo, hi) {
    const b = enc.encode(s);
    return dec.decode(b.subarray(lo, hi));
}
/** Convert a UTF-16 index into `s` to a Go byte index (-1 stays -1). */
export function byteIndex(s, jsIndex) {
    return jsIndex < 0 ? -1 : utf8Len(s.slice(0, jsIndex));
}
/** Go's unicode.IsSpace. */
export function isGoSpace(cp) {
    if (cp <= 0xff)
        return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
    return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}
/** Go's strings.TrimSpace (Unicode white space; unlike JS trim(), U+FEFF is kept and U+0085 trimmed). */
export function goTrimSpace(s) {
    const cps = [...s];
    let i = 0, j = cps.length;
    while (i < j && isGoSpace(cps[i].codePointAt(0)))
        i++;
    while (j > i && isGoSpace(cps[j - 1].codePointAt(0)))
        j--;
    return cps.slice(i, j).join("");
}
/** Go's strings.Split / SplitN / SplitAfter(N): `n < 0` all, `n == 0` none, `sep == ""` splits runes. */
export function goSplit(s, sep, n, after = false) {
    if (n === 0)
        return [];
    if (sep === "") {
        const runes = [...s];
        if (n < 0 || n > runes.length)
            n = runes.length;
        const out = runes.slice(0, n - 1);
        out.push(runes.slice(n - 1).join(""));
        return runes.length === 0 ? [] : out;
    }
    const out = [];
    let start = 0;
    while (n < 0 || out.length < n - 1) {
        const i = s.indexOf(sep, start);
        if (i < 0)
            break;
        out.push(s.slice(start, after ? i + sep.length : i));
        start = i + sep.length;
    }
    out.push(s.slice(start));
    return out;
}
/** Go's per-rune simple case mapping (JS's full mapping would turn `ß` into `SS`). */
function mapRunes(s, f) {
    let out = "";
    for (const ch of s) {
        const m = f(ch);
        out += [...m].length === 1 ? m : ch;
    }
    return out;
}
export function goToUpper(s) {
    return /^[\x00-\x7f]*$/.test(s) ? s.toUpperCase() : mapRunes(s, (c) => c.toUpperCase());
}
export function goToLower(s) {
    return /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : mapRunes(s, (c) => (c === "\u0130" ? "i" : c.toLowerCase()));
}
