/**
 * Package `strings` (mcl-language.md §11.2), after mgmt's `lang/core/strings`. Lengths and
 * indices are UTF-8 byte counts as in Go; `left_pad`/`right_pad` add whole copies of `pad` until
 * the length is at least `len` (they may overshoot, as mgmt's do).
 */
import { registerImpls } from "../impl.js";
import { argInt, argStr, argStrList, byteSlice, fail, goSplit, goToLower, goToUpper, goTrimSpace, toNum, utf8Len } from "./args.js";
function padder(left) {
    return {
        effect: "pure",
        call: (args) => {
            let s = argStr(args, 0);
            const pad = argStr(args, 1);
            const n = toNum(argInt(args, 2));
            if (pad === "")
                return s;
            while (utf8Len(s) < n)
                s = left ? pad + s : s + pad;
            return s;
        },
    };
}
registerImpls({
    "strings.contains": { effect: "pure", call: (args) => argStr(args, 0).includes(argStr(args, 1)) },
    "strings.has_prefix": { effect: "pure", call: (args) => argStr(args, 0).startsWith(argStr(args, 1)) },
    "strings.has_suffix": { effect: "pure", call: (args) => argStr(args, 0).endsWith(argStr(args, 1)) },
    "strings.join_nonempty": { effect: "pure", call: (args) => argStrList(args, 0).filter((x) => x !== "").join(argStr(args, 1)) },
    "strings.left_pad": padder(true),
    "strings.right_pad": padder(false),
    "strings.replace_all": { effect: "pure", call: (args) => goReplaceAll(argStr(args, 0), argStr(args, 1), argStr(args, 2)) },
    "strings.split": { effect: "pure", call: (args) => goSplit(argStr(args, 0), argStr(args, 1), -1) },
    "strings.substr": {
        effect: "pure",
        call: (args) => {
            const s = argStr(args, 0);
            const low = argInt(args, 1), high = argInt(args, 2);
            const n = BigInt(utf8Len(s));
            if (low < 0n)
                return fail(`strings.substr: low index ${low} is negative`);
            if (high > n)
                return fail(`strings.substr: high index ${high} is out of range (len is ${n})`);
            if (low > high)
                return fail(`strings.substr: low index ${low} is greater than high index ${high}`);
            return byteSlice(s, Number(low), Number(high));
        },
    },
    "strings.to_lower": { effect: "pure", call: (args) => goToLower(argStr(args, 0)) },
    "strings.to_upper": { effect: "pure", call: (args) => goToUpper(argStr(args, 0)) },
    "strings.trim_space": { effect: "pure", call: (args) => goTrimSpace(argStr(args, 0)) },
});
/** Go strings.Replace(s, old, new, n): an empty `old` inserts before every rune and at the end. */
export function goReplace(s, old, rep, n) {
    if (old === rep || n === 0)
        return s;
    if (old === "") {
        const runes = [...s];
        let out = "";
        let done = 0;
        for (let i = 0; i <= runes.length; i++) {
            if (n < 0 || done < n)
                (out += rep), done++;
            out += runes[i] ?? "";
        }
        return out;
    }
    const parts = goSplit(s, old, n < 0 ? -1 : n + 1);
    return parts.join(rep);
}
export function goReplaceAll(s, old, rep) {
    return goReplace(s, old, rep, -1);
}
