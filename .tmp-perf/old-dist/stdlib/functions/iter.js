/** Package `iter` (mcl-language.md §11.2): higher-order list functions. */
import { T } from "../../lang/types.js";
import { parseType } from "../../lang/type-parse.js";
import { fn, freshen } from "./define.js";
const REDUCE2 = "func(inputs []?1, function func(x ?1, y ?1) ?1) ?1";
const REDUCE3 = "func(initval ?1, inputs []?1, function func(x ?1, y ?1) ?1) ?1";
const reduce = fn("iter", "reduce", undefined, "P", {
    catchable: true, // reducing an empty list without initval
    infer: (args, fresh) => {
        if (args.length === 2)
            return freshen(parseType(REDUCE2), fresh);
        if (args.length === 3)
            return freshen(parseType(REDUCE3), fresh);
        return { error: `iter.reduce expects 2 or 3 args, got ${args.length}` };
    },
});
const RANGE_PARAMS = [["stop"], ["start", "stop"], ["start", "stop", "step"]];
const range = fn("iter", "range", undefined, "P", {
    catchable: true, // step 0
    infer: (args) => {
        const names = RANGE_PARAMS[args.length - 1];
        if (names === undefined)
            return { error: `iter.range expects 1 to 3 args, got ${args.length}` };
        return { k: "func", params: names.map((name) => ({ name, type: T.int })), ret: T.list(T.int) };
    },
});
export const ITER = [
    fn("iter", "map", "func(inputs []?1, function func(?1) ?2) []?2", "P"),
    fn("iter", "filter", "func(inputs []?1, function func(?1) bool) []?1", "P"),
    reduce,
    fn("iter", "zip", "func(inputs1 []?1, inputs2 []?2, function func(x ?1, y ?2) ?3) []?3", "P"),
    fn("iter", "flatten", "func(inputs [][]?1) []?1", "P"),
    range,
];
