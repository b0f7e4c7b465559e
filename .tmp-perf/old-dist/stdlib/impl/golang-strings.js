/** `golang/strings` (mcl-language.md §13): Go's strings package; indices are UTF-8 byte offsets. */
import { compareValues } from "../../lang/values.js";
import { argInt, argStr, argStrList, byteIndex, goSplit, goToLower, goToUpper, goTrimSpace, isGoSpace, toNum } from "./args.js";
import { registerGo } from "./golang-common.js";
import { goReplace } from "./strings.js";
const s = argStr;
const n = (args, i) => toNum(argInt(args, i));
function trimFunc(str, keep, left, right) {
    const r = [...str];
    let i = 0, j = r.length;
    if (left)
        while (i < j && !keep(r[i].codePointAt(0)))
            i++;
    if (right)
        while (j > i && !keep(r[j - 1].codePointAt(0)))
            j--;
    return r.slice(i, j).join("");
}
function cutset(set) {
    const cps = new Set([...set].map((c) => c.codePointAt(0)));
    return (cp) => !cps.has(cp);
}
function indexAny(str, chars, last) {
    const set = new Set([...chars]);
    let best = -1;
    let pos = 0;
    for (const ch of str) {
        if (set.has(ch)) {
            best = pos;
            if (!last)
                break;
        }
        pos += ch.length;
    }
    return byteIndex(str, best);
}
/** Go's isSeparator for strings.Title. */
function isSeparator(ch) {
    const c = ch.codePointAt(0);
    if (c <= 0x7f)
        return !/[0-9A-Za-z_]/.test(ch);
    if (/[\p{L}\p{Nd}]/u.test(ch))
        return false;
    return isGoSpace(c);
}
function title(str) {
    let prev = " ";
    let out = "";
    for (const ch of str) {
        out += isSeparator(prev) ? goToUpper(ch) : ch;
        prev = ch;
    }
    return out;
}
function count(str, sub) {
    if (sub === "")
        return BigInt([...str].length + 1);
    return BigInt(str.split(sub).length - 1);
}
function foldRune(ch) {
    return goToLower(goToUpper(ch));
}
registerGo("strings", {
    Clone: (a) => s(a, 0),
    Compare: (a) => BigInt(compareValues(s(a, 0), s(a, 1))),
    Contains: (a) => s(a, 0).includes(s(a, 1)),
    ContainsAny: (a) => [...s(a, 1)].some((c) => s(a, 0).includes(c)),
    Count: (a) => count(s(a, 0), s(a, 1)),
    EqualFold: (a) => {
        const x = [...s(a, 0)], y = [...s(a, 1)];
        return x.length === y.length && x.every((c, i) => foldRune(c) === foldRune(y[i]));
    },
    Fields: (a) => s(a, 0).split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u).filter((x) => x !== ""),
    HasPrefix: (a) => s(a, 0).startsWith(s(a, 1)),
    HasSuffix: (a) => s(a, 0).endsWith(s(a, 1)),
    Index: (a) => BigInt(byteIndex(s(a, 0), s(a, 0).indexOf(s(a, 1)))),
    IndexAny: (a) => BigInt(indexAny(s(a, 0), s(a, 1), false)),
    Join: (a) => argStrList(a, 0).join(s(a, 1)),
    LastIndex: (a) => BigInt(byteIndex(s(a, 0), s(a, 0).lastIndexOf(s(a, 1)))),
    LastIndexAny: (a) => BigInt(indexAny(s(a, 0), s(a, 1), true)),
    Repeat: (a) => {
        const c = n(a, 1);
        if (c < 0)
            throw new Error("strings: negative Repeat count");
        return s(a, 0).repeat(c);
    },
    Replace: (a) => goReplace(s(a, 0), s(a, 1), s(a, 2), n(a, 3)),
    ReplaceAll: (a) => goReplace(s(a, 0), s(a, 1), s(a, 2), -1),
    Split: (a) => goSplit(s(a, 0), s(a, 1), -1),
    SplitAfter: (a) => goSplit(s(a, 0), s(a, 1), -1, true),
    SplitAfterN: (a) => goSplit(s(a, 0), s(a, 1), n(a, 2), true),
    SplitN: (a) => goSplit(s(a, 0), s(a, 1), n(a, 2)),
    Title: (a) => title(s(a, 0)),
    ToLower: (a) => goToLower(s(a, 0)),
    ToTitle: (a) => goToUpper(s(a, 0)),
    ToUpper: (a) => goToUpper(s(a, 0)),
    // JS strings can only be invalid as lone surrogates; each run of them becomes one replacement
    ToValidUTF8: (a) => s(a, 0).replace(/(?:[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])+/g, s(a, 1)),
    Trim: (a) => trimFunc(s(a, 0), cutset(s(a, 1)), true, true),
    TrimLeft: (a) => trimFunc(s(a, 0), cutset(s(a, 1)), true, false),
    TrimPrefix: (a) => (s(a, 0).startsWith(s(a, 1)) ? s(a, 0).slice(s(a, 1).length) : s(a, 0)),
    TrimRight: (a) => trimFunc(s(a, 0), cutset(s(a, 1)), false, true),
    TrimSpace: (a) => goTrimSpace(s(a, 0)),
    TrimSuffix: (a) => (s(a, 1) !== "" && s(a, 0).endsWith(s(a, 1)) ? s(a, 0).slice(0, -s(a, 1).length) : s(a, 0)),
});
