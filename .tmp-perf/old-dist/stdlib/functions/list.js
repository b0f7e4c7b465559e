/** Package `list` (mcl-language.md §11.2). */
import { T } from "../../lang/types.js";
import { argName, fn, funcType } from "./define.js";
const concat = fn("list", "concat", undefined, "P", {
    infer: (args, fresh) => {
        if (args.length < 1)
            return { error: "list.concat expects at least 1 arg" };
        const e = fresh();
        const params = args.map((_, i) => [argName(i), T.list(e)]);
        return funcType(params, T.list(e));
    },
});
export const LIST = [
    concat,
    fn("list", "lookup", "func(list []?1, index int) ?1", "P", { catchable: true }),
];
