/** Package `golang` (mcl-language.md §11.2): Go text/template rendering. */
import { T } from "../../lang/types.js";
import { fn, funcType } from "./define.js";
const template = fn("golang", "template", undefined, "I", {
    catchable: true,
    infer: (args, fresh) => {
        if (args.length === 1)
            return funcType([["template", T.str]], T.str);
        if (args.length === 2)
            return funcType([["template", T.str], ["vars", fresh()]], T.str);
        return { error: `golang.template expects 1 or 2 args, got ${args.length}` };
    },
});
export const GOLANG = [template];
