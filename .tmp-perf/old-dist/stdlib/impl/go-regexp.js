/**
 * Translate Go RE2 syntax (regexp/syntax) into an equivalent JavaScript RegExp (`u` flag).
 * Differences handled: `(?P<name>…)`, leading `(?ims)` flags, `\A` `\z` `\Q…\E`, `\pL`,
 * `\x{…}`, octal escapes, POSIX classes `[[:alpha:]]`, ASCII-only `\s`, a leading `]` in a
 * class, and a `{` that is not a repeat (a literal in RE2, an error under JS's `u` flag).
 * RE2 rejects backreferences and lookaround; so do we. Unsupported: inline flags anywhere but
 * the start of the pattern, and the `U` (ungreedy) flag.
 */
const POSIX = {
    alnum: [[48, 57], [65, 90], [97, 122]],
    alpha: [[65, 90], [97, 122]],
    ascii: [[0, 127]],
    blank: [[9, 9], [32, 32]],
    cntrl: [[0, 31], [127, 127]],
    digit: [[48, 57]],
    graph: [[33, 126]],
    lower: [[97, 122]],
    print: [[32, 126]],
    punct: [[33, 47], [58, 64], [91, 96], [123, 126]],
    space: [[9, 13], [32, 32]],
    upper: [[65, 90]],
    word: [[48, 57], [65, 90], [95, 95], [97, 122]],
    xdigit: [[48, 57], [65, 70], [97, 102]],
};
const GENERAL_CATEGORIES = new Set("C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs".split(" "));
const cp = (n) => `\\u{${n.toString(16)}}`;
function rangesSrc(rs) {
    return rs.map(([a, b]) => (a === b ? cp(a) : `${cp(a)}-${cp(b)}`)).join("");
}
function complement(rs) {
    const out = [];
    let next = 0;
    for (const [a, b] of rs) {
        if (a > next)
            out.push([next, a - 1]);
        next = b + 1;
    }
    if (next <= 0x10ffff)
        out.push([next, 0x10ffff]);
    return out;
}
export class RegexpSyntaxError extends Error {
}
function unicodeClass(name, negated) {
    let neg = negated;
    if (name.startsWith("^"))
        (neg = !neg), (name = name.slice(1));
    const body = name === "Any" ? "Any" : GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
    if (body === "Any")
        return neg ? "[^\\s\\S]" : "[\\s\\S]";
    return `\\${neg ? "P" : "p"}{${body}}`;
}
const SYNTAX_CHARS = "^$\\.*+?()[]{}|/";
const ASCII_SPACE = "\\t\\n\\f\\r ";
/** Translate one escape at `p[i] === "\\"`; returns [js, nextIndex]. */
function escape(p, i, inClass, multiline) {
    const c = p[i + 1];
    if (c === undefined)
        throw new RegexpSyntaxError("trailing backslash at end of expression");
    switch (c) {
        case "A":
            if (inClass)
                break;
            return [multiline ? "(?<![\\s\\S])" : "^", i + 2];
        case "z":
            if (inClass)
                break;
            return ["(?![\\s\\S])", i + 2];
        case "s":
            return [inClass ? ASCII_SPACE : `[${ASCII_SPACE}]`, i + 2];
        case "S":
            return [inClass ? "\\S" : `[^${ASCII_SPACE}]`, i + 2];
        case "d":
        case "D":
        case "w":
        case "W":
        case "t":
        case "n":
        case "r":
        case "f":
        case "v":
            return [`\\${c}`, i + 2];
        case "b":
        case "B":
            return [inClass ? (c === "b" ? "\\x08" : "\\B") : `\\${c}`, i + 2];
        case "a":
            return ["\\x07", i + 2];
        case "p":
        case "P": {
            if (p[i + 2] === "{") {
                const e = p.indexOf("}", i + 3);
                if (e < 0)
                    throw new RegexpSyntaxError(`invalid character class range: \`${p.slice(i)}\``);
                return [unicodeClass(p.slice(i + 3, e), c === "P"), e + 1];
            }
            const n = p[i + 2];
            if (n === undefined)
                throw new RegexpSyntaxError("invalid character class range");
            return [unicodeClass(n, c === "P"), i + 3];
        }
        case "x": {
            if (p[i + 2] === "{") {
                const e = p.indexOf("}", i + 3);
                const hex = e < 0 ? "" : p.slice(i + 3, e);
                if (!/^[0-9a-fA-F]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff)
                    throw new RegexpSyntaxError(`invalid escape sequence: \`${p.slice(i, e + 1)}\``);
                return [cp(parseInt(hex, 16)), e + 1];
            }
            const hex = p.slice(i + 2, i + 4);
            if (!/^[0-9a-fA-F]{2}$/.test(hex))
                throw new RegexpSyntaxError(`invalid escape sequence: \`${p.slice(i, i + 4)}\``);
            return [`\\x${hex}`, i + 4];
        }
        case "Q": {
            const e = p.indexOf("\\E", i + 2);
            const lit = e < 0 ? p.slice(i + 2) : p.slice(i + 2, e);
            return [[...lit].map((ch) => cp(ch.codePointAt(0))).join(""), e < 0 ? p.length : e + 2];
        }
    }
    if (/[0-7]/.test(c) && (c === "0" || /[0-7]/.test(p[i + 2] ?? ""))) {
        const m = /^[0-7]{1,3}/.exec(p.slice(i + 1));
        return [cp(parseInt(m[0], 8)), i + 1 + m[0].length];
    }
    if (/[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(c)) {
        if (SYNTAX_CHARS.includes(c) || (inClass && c === "-"))
            return [`\\${c}`, i + 2];
        return [c, i + 2];
    }
    throw new RegexpSyntaxError(`invalid escape sequence: \`\\${c}\``);
}
function charClass(p, i, multiline) {
    let out = "[";
    let j = i + 1;
    if (p[j] === "^")
        (out += "^"), j++;
    let first = true;
    for (;;) {
        const c = p[j];
        if (c === undefined)
            throw new RegexpSyntaxError(`missing closing ]: \`${p.slice(i)}\``);
        if (c === "]" && !first)
            return [out + "]", j + 1];
        first = false;
        if (c === "[" && p[j + 1] === ":") {
            const e = p.indexOf(":]", j + 2);
            const name = e < 0 ? "" : p.slice(j + 2, e);
            const neg = name.startsWith("^");
            const rs = POSIX[neg ? name.slice(1) : name];
            if (!rs)
                throw new RegexpSyntaxError(`invalid character class range: \`${p.slice(j, e + 2)}\``);
            out += rangesSrc(neg ? complement(rs) : rs);
            j = e + 2;
        }
        else if (c === "\\") {
            const [s, n] = escape(p, j, true, multiline);
            out += s;
            j = n;
        }
        else if (c === "[" || c === "]" || c === "/" || c === "{" || c === "}" || c === "(" || c === ")" || c === "|") {
            out += "\\" + c;
            j++;
        }
        else {
            const ch = String.fromCodePoint(p.codePointAt(j));
            out += ch;
            j += ch.length;
        }
    }
}
/** Translate a Go regexp; throws RegexpSyntaxError with Go-like text. */
export function translateRE2(p) {
    let flags = "";
    let i = 0;
    const lead = /^\(\?([imsU]+)\)/.exec(p);
    if (lead) {
        if (lead[1].includes("U"))
            throw new RegexpSyntaxError("the U (ungreedy) flag is not supported");
        flags = [...new Set(lead[1])].join("");
        i = lead[0].length;
    }
    const multiline = flags.includes("m");
    let out = "";
    while (i < p.length) {
        const c = p[i];
        if (c === "\\") {
            const [s, n] = escape(p, i, false, multiline);
            out += s;
            i = n;
        }
        else if (c === "[") {
            const [s, n] = charClass(p, i, multiline);
            out += s;
            i = n;
        }
        else if (c === "(") {
            if (p.startsWith("(?P<", i))
                (out += "(?<"), (i += 4);
            else if (p.startsWith("(?<", i) && !p.startsWith("(?<=", i) && !p.startsWith("(?<!", i))
                (out += "(?<"), (i += 3);
            else if (p.startsWith("(?:", i))
                (out += "(?:"), (i += 3);
            else if (p[i + 1] === "?") {
                const m = /^\(\?[imsU-]*[:)]/.exec(p.slice(i));
                throw new RegexpSyntaxError(m ? `inline flags are only supported at the start of the pattern: \`${m[0]}\`` : `invalid or unsupported Perl syntax: \`${p.slice(i, i + 3)}\``);
            }
            else
                (out += "("), i++;
        }
        else if (c === "{") {
            const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
            if (m) {
                if (Number(m[1]) > 1000 || Number(m[3] || 0) > 1000)
                    throw new RegexpSyntaxError(`invalid repeat count: \`${m[0]}\``);
                out += m[0];
                i += m[0].length;
            }
            else
                (out += "\\{"), i++;
        }
        else if (c === "}" || c === "/") {
            out += "\\" + c;
            i++;
        }
        else {
            const ch = String.fromCodePoint(p.codePointAt(i));
            out += ch;
            i += ch.length;
        }
    }
    try {
        return new RegExp(out, flags + "u");
    }
    catch (e) {
        throw new RegexpSyntaxError(e.message.replace(/^Invalid regular expression: /, ""));
    }
}
