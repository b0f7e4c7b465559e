/** Package `convert` (mcl-language.md §11.2), with Go strconv semantics and error texts. */
import { registerImpls } from "../impl.js";
import { argBool, argFloat, argInt, argStr, fail } from "./args.js";
import { GoNumError, goParseBool, goParseFloat, goParseInt } from "./go-strconv.js";
const INT64_MIN = -(2n ** 63n);
/** Go's `int64(f)` as amd64 does it: NaN and out-of-range values become MinInt64. */
export function floatToInt(f) {
    if (Number.isNaN(f) || f >= 2 ** 63 || f < -(2 ** 63))
        return INT64_MIN;
    return BigInt(Math.trunc(f));
}
registerImpls({
    "convert.format_bool": { effect: "pure", call: (args) => String(argBool(args, 0)) },
    "convert.parse_bool": {
        effect: "pure",
        call: (args) => {
            const r = goParseBool(argStr(args, 0));
            return r instanceof GoNumError ? fail(r.message) : r;
        },
    },
    "convert.str_to_float": {
        effect: "pure",
        call: (args) => {
            const r = goParseFloat(argStr(args, 0), 64);
            return r instanceof GoNumError ? fail(r.message) : r;
        },
    },
    "convert.str_to_int": {
        effect: "pure",
        call: (args) => {
            const r = goParseInt(argStr(args, 0), 10, 64);
            return r instanceof GoNumError ? fail(r.message) : r;
        },
    },
    "convert.to_float": { effect: "pure", call: (args) => Number(argInt(args, 0)) },
    "convert.to_int": { effect: "pure", call: (args) => floatToInt(argFloat(args, 0)) },
    "convert.int_to_str": { effect: "pure", call: (args) => argInt(args, 0).toString() },
});
