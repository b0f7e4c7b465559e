/** Package `math` (mcl-language.md §11.2). */
import { kindName } from "../../lang/types.js";
import { fn, isOpen } from "./define.js";
/** int or float (multi-scaffold functions). */
function intOrFloat(name, t) {
    if (isOpen(t))
        return undefined;
    return t.k === "int" || t.k === "float" ? undefined : `${name}: unsupported type ${kindName(t)} (want int or float)`;
}
export const MATH = [
    fn("math", "fortytwo", "func() ?1", "P", { check: (s) => intOrFloat("math.fortytwo", s.k === "func" ? s.ret : undefined) }),
    fn("math", "minus1", "func(x int) int", "P"),
    fn("math", "mod", "func(x ?1, y ?1) ?1", "P", { catchable: true, check: (s) => intOrFloat("math.mod", s.k === "func" ? s.ret : undefined) }),
    fn("math", "pow", "func(x float, y float) float", "P", { catchable: true }),
    fn("math", "sqrt", "func(x float) float", "P", { catchable: true }),
];
