/**
 * Go `strconv` semantics (parsing and quoting) shared by `convert.*`, `example.*`, the
 * `golang/strconv` wrappers and templates. Errors carry Go's text:
 * `strconv.ParseInt: parsing "x": invalid syntax`.
 */
import { quoteString } from "../../lang/values.js";
export class GoNumError {
    func;
    input;
    err;
    constructor(func, input, err) {
        this.func = func;
        this.input = input;
        this.err = err;
    }
    get message() {
        return `strconv.${this.func}: parsing ${quoteString(this.input)}: ${this.err}`;
    }
}
const SYNTAX = "invalid syntax";
const RANGE = "value out of range";
/** Go's underscoreOK: `_` only between digits or after a base prefix. */
function underscoreOK(s) {
    let saw = "^";
    let i = 0;
    if (s[0] === "-" || s[0] === "+")
        s = s.slice(1);
    let hex = false;
    if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1])) {
        i = 2;
        saw = "0";
        hex = s[1] === "x" || s[1] === "X";
    }
    for (; i < s.length; i++) {
        const c = s[i];
        if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) {
            saw = "0";
            continue;
        }
        if (c === "_") {
            if (saw !== "0")
                return false;
            saw = "_";
            continue;
        }
        if (saw === "_")
            return false;
        saw = "!";
    }
    return saw !== "_";
}
function digitVal(c) {
    const d = c.toLowerCase().charCodeAt(0);
    if (d >= 48 && d <= 57)
        return d - 48;
    if (d >= 97 && d <= 122)
        return d - 87;
    return 99;
}
/** Go's strconv.ParseUint core; returns the magnitude or an error word. */
function parseUint(s, base, fn, orig) {
    if (s === "")
        return new GoNumError(fn, orig, SYNTAX);
    const base0 = base === 0;
    if (base0) {
        base = 10;
        if (s[0] === "0") {
            if (s.length >= 3 && "bB".includes(s[1]))
                (base = 2), (s = s.slice(2));
            else if (s.length >= 3 && "oO".includes(s[1]))
                (base = 8), (s = s.slice(2));
            else if (s.length >= 3 && "xX".includes(s[1]))
                (base = 16), (s = s.slice(2));
            else
                (base = 8), (s = s.slice(1)), (s = s === "" ? "0" : s);
        }
    }
    else if (base < 2 || base > 36) {
        return new GoNumError(fn, orig, `invalid base ${base}`);
    }
    let n = 0n;
    let underscores = false;
    const b = BigInt(base);
    for (const c of s) {
        if (c === "_" && base0) {
            underscores = true;
            continue;
        }
        const d = digitVal(c);
        if (d >= base)
            return new GoNumError(fn, orig, SYNTAX);
        n = n * b + BigInt(d);
    }
    if (underscores && !underscoreOK(orig.replace(/^[+-]/, "")))
        return new GoNumError(fn, orig, SYNTAX);
    return n;
}
/** Go's strconv.ParseInt(s, base, bitSize); `fn` names the function in errors ("Atoi"). */
export function goParseInt(s, base, bitSize, fn = "ParseInt") {
    if (s === "")
        return new GoNumError(fn, s, SYNTAX);
    if (bitSize === 0)
        bitSize = 64;
    else if (bitSize < 0 || bitSize > 64)
        return new GoNumError(fn, s, `invalid bit size ${bitSize}`);
    let neg = false;
    let body = s;
    if (s[0] === "+" || s[0] === "-") {
        neg = s[0] === "-";
        body = s.slice(1);
    }
    const un = parseUint(body, base, fn, s);
    if (un instanceof GoNumError)
        return un;
    const cutoff = 1n << BigInt(bitSize - 1);
    if (!neg && un >= cutoff)
        return new GoNumError(fn, s, RANGE);
    if (neg && un > cutoff)
        return new GoNumError(fn, s, RANGE);
    return neg ? -un : un;
}
/** Go's strconv.FormatInt(i, base); an invalid base panics in Go (fatal here). */
export function goFormatInt(i, base) {
    if (base < 2 || base > 36)
        throw new Error("strconv: illegal AppendInt/FormatInt base");
    return i.toString(base);
}
/** Go's strconv.ParseBool. */
export function goParseBool(s) {
    if (["1", "t", "T", "TRUE", "true", "True"].includes(s))
        return true;
    if (["0", "f", "F", "FALSE", "false", "False"].includes(s))
        return false;
    return new GoNumError("ParseBool", s, SYNTAX);
}
const DEC_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))[pP]([+-]?\d+)$/;
/** Go's strconv.ParseFloat(s, bitSize): decimal and hex forms, `_` separators, Inf/Infinity/NaN. */
export function goParseFloat(s, bitSize = 64) {
    const fn = "ParseFloat";
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
    if (special) {
        if (special[2].toLowerCase() === "nan")
            return special[1] === "" ? NaN : new GoNumError(fn, s, SYNTAX);
        return special[1] === "-" ? -Infinity : Infinity;
    }
    let t = s;
    if (t.includes("_")) {
        if (!underscoreOK(t))
            return new GoNumError(fn, s, SYNTAX);
        t = t.replace(/_/g, "");
    }
    let f;
    const hex = HEX_FLOAT.exec(t);
    if (hex) {
        const [, sign, mant, exp] = hex;
        const [ip, fp = ""] = mant.split(".");
        const m = BigInt("0x" + ((ip ?? "") + fp || "0"));
        f = Number(m) * 2 ** (Number(exp) - 4 * fp.length);
        if (sign === "-")
            f = -f;
    }
    else if (DEC_FLOAT.test(t)) {
        f = Number(t);
    }
    else {
        return new GoNumError(fn, s, SYNTAX);
    }
    if (bitSize === 32)
        f = Math.fround(f);
    if (!Number.isFinite(f))
        return new GoNumError(fn, s, RANGE);
    return f;
}
// ---------------------------------------------------------------------------------------------
// quoting
const SIMPLE = { 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v", 92: "\\\\" };
const PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;
/** strconv.Quote / QuoteToASCII / QuoteToGraphic / QuoteRune with the given quote char. */
export function goQuote(s, mode = "print", q = '"') {
    let out = q;
    for (const ch of s) {
        const c = ch.codePointAt(0);
        if (ch === q)
            out += "\\" + q;
        else if (SIMPLE[c] !== undefined)
            out += SIMPLE[c];
        else if (c >= 0x20 && c < 0x7f)
            out += ch;
        else if (c < 0x20 || c === 0x7f)
            out += `\\x${c.toString(16).padStart(2, "0")}`;
        else if (c >= 0xd800 && c <= 0xdfff)
            out += "\\ufffd";
        else if (mode !== "ascii" && (mode === "graphic" ? GRAPHIC : PRINT).test(ch))
            out += ch;
        else if (c < 0x10000)
            out += `\\u${c.toString(16).padStart(4, "0")}`;
        else
            out += `\\U${c.toString(16).padStart(8, "0")}`;
    }
    return out + q;
}
/** strconv.CanBackquote. */
export function goCanBackquote(s) {
    for (const ch of s) {
        const c = ch.codePointAt(0);
        if (c === 0x60 || c === 0xfeff || (c < 0x20 && c !== 9) || c === 0x7f || (c >= 0xd800 && c <= 0xdfff))
            return false;
    }
    return true;
}
/**
 * Scan one Go quoted literal at the start of `s` (`"…"`, `` `…` `` or `'…'`): returns the
 * unquoted value and the consumed length, or undefined on a syntax error (strconv.QuotedPrefix / Unquote).
 */
export function goUnquotePrefix(s) {
    const q = s[0];
    if (q === "`") {
        const e = s.indexOf("`", 1);
        if (e < 0)
            return undefined;
        return { value: s.slice(1, e).replace(/\r/g, ""), end: e + 1 };
    }
    if (q !== '"' && q !== "'")
        return undefined;
    let out = "";
    let i = 1;
    let runes = 0;
    while (i < s.length) {
        const c = s[i];
        if (c === q) {
            if (q === "'" && runes !== 1)
                return undefined;
            return { value: out, end: i + 1 };
        }
        if (c === "\n")
            return undefined;
        runes++;
        if (c !== "\\") {
            const cp = s.codePointAt(i);
            out += String.fromCodePoint(cp);
            i += cp > 0xffff ? 2 : 1;
            continue;
        }
        const e = s[i + 1];
        if (e === undefined)
            return undefined;
        const simple = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
        if (simple[e] !== undefined) {
            out += simple[e];
            i += 2;
        }
        else if (e === q) {
            out += q;
            i += 2;
        }
        else if (e === "x" || e === "u" || e === "U") {
            const n = e === "x" ? 2 : e === "u" ? 4 : 8;
            const hex = s.slice(i + 2, i + 2 + n);
            if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n)
                return undefined;
            const v = parseInt(hex, 16);
            if (e === "x")
                out += String.fromCharCode(v); // a byte; non-ASCII bytes can't be kept raw in a JS string
            else if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
                return undefined;
            else
                out += String.fromCodePoint(v);
            i += 2 + n;
        }
        else if (e >= "0" && e <= "7") {
            const oct = s.slice(i + 1, i + 4);
            if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255)
                return undefined;
            out += String.fromCharCode(parseInt(oct, 8));
            i += 4;
        }
        else
            return undefined;
    }
    return undefined;
}
/** strconv.Unquote: the whole of `s` must be one quoted literal. */
export function goUnquote(s) {
    const r = goUnquotePrefix(s);
    return r && r.end === s.length ? r.value : undefined;
}
