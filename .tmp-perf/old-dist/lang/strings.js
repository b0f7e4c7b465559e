/**
 * String literal bodies: escape decoding and `${name}` interpolation splitting, exactly
 * mcl-language.md §1.4 (mgmt: lang/interpolate, a Ragel scanner).
 *
 * - `\a \b \f \n \r \t \v \\ \" \$` decode; any other escape is `unknown escape sequence: \X`.
 * - `${name}` with name `[a-z]([a-z0-9_]|[._][a-z0-9_])*` is a variable; any other `${…}`
 *   (`${}`, `${foo()}`, `${bad +}`, an unclosed `${`) is `cannot parse string`.
 * - a `$` not followed by `{` is a literal `$`.
 */
const ESCAPES = {
    a: "\x07",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
    "\\": "\\",
    '"': '"',
    $: "$",
};
const VAR_NAME = /^[a-z](?:[a-z0-9_]|[._][a-z0-9_])*$/;
/** Decode a string body (the text between the quotes, as written). */
export function decodeString(body) {
    // Fast path: nothing to decode.
    if (body.indexOf("\\") < 0 && body.indexOf("${") < 0) {
        return { parts: body === "" ? [] : [body], interpolated: false, value: body, errors: [] };
    }
    const parts = [];
    const errors = [];
    let lit = "";
    let interpolated = false;
    let i = 0;
    const n = body.length;
    while (i < n) {
        const c = body[i];
        if (c === "\\") {
            const x = body[i + 1];
            const dec = x === undefined ? undefined : ESCAPES[x];
            if (dec !== undefined) {
                lit += dec;
            }
            else {
                errors.push({ message: `unknown escape sequence: \\${x ?? ""}`, start: i, end: Math.min(n, i + 2), code: "E-PARSE-ESCAPE" });
            }
            i += 2;
            continue;
        }
        if (c === "$" && body[i + 1] === "{") {
            const close = body.indexOf("}", i + 2);
            const name = close < 0 ? undefined : body.slice(i + 2, close);
            if (name !== undefined && VAR_NAME.test(name)) {
                if (lit !== "")
                    parts.push(lit);
                lit = "";
                parts.push({ name, start: i, end: close + 1 });
                interpolated = true;
                i = close + 1;
                continue;
            }
            const end = close < 0 ? n : close + 1;
            errors.push({ message: `cannot parse string: ${body}`, start: i, end, code: "E-PARSE-INTERP" });
            lit += body.slice(i, end);
            i = end;
            continue;
        }
        lit += c;
        i++;
    }
    if (lit !== "")
        parts.push(lit);
    const value = parts.filter((p) => typeof p === "string").join("");
    return { parts, interpolated, value, errors };
}
/** Encode a decoded value as an mcl string literal (quotes included); the inverse of decoding. */
export function quoteString(value) {
    let out = '"';
    for (const c of value) {
        switch (c) {
            case "\\":
                out += "\\\\";
                break;
            case '"':
                out += '\\"';
                break;
            case "$":
                out += "\\$";
                break;
            case "\n":
                out += "\\n";
                break;
            case "\t":
                out += "\\t";
                break;
            case "\r":
                out += "\\r";
                break;
            case "\x07":
                out += "\\a";
                break;
            case "\b":
                out += "\\b";
                break;
            case "\f":
                out += "\\f";
                break;
            case "\v":
                out += "\\v";
                break;
            default: out += c;
        }
    }
    return out + '"';
}
