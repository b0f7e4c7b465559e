/**
 * `_operator` (mcl-language.md §5.4): every infix/prefix operator is a call of `_operator` whose
 * first arg is the operator literal. The signature depends on that literal; `check` enforces the
 * allowed operand kinds after unification (mgmt lang/funcs/operators).
 */
import { T, kindName } from "../../lang/types.js";
import { containsFunc, fn, funcType, isOpen, param } from "./define.js";
const OPS = {
    "+": "plus",
    "-": "arith",
    "*": "arith",
    "/": "div",
    "==": "eq",
    "!=": "eq",
    "<": "cmp",
    ">": "cmp",
    "<=": "cmp",
    ">=": "cmp",
    and: "logic",
    or: "logic",
    not: "not",
};
/** Operand kinds allowed per operator class (undefined = any non-func type). */
const ALLOWED = {
    plus: ["str", "int", "float"],
    arith: ["int", "float"],
    div: ["int", "float"],
    eq: undefined,
    cmp: ["int", "float"],
    logic: ["bool"],
    not: ["bool"],
};
/** The operator literal of an `_operator` call, if static. */
export function operatorOf(args) {
    const v = args[0]?.value;
    return typeof v === "string" ? v : undefined;
}
/** Call-site signature of `_operator` for the given literal; `fresh` supplies the operand var. */
export function operatorSignature(op, fresh) {
    const cls = OPS[op];
    if (cls === undefined)
        return { error: `unknown operator: ${op}` };
    const opParam = ["op", T.str];
    switch (cls) {
        case "plus":
        case "arith": {
            const v = fresh();
            return funcType([opParam, ["a", v], ["b", v]], v);
        }
        case "div": {
            const v = fresh();
            return funcType([opParam, ["a", v], ["b", v]], T.float);
        }
        case "eq":
        case "cmp": {
            const v = fresh();
            return funcType([opParam, ["a", v], ["b", v]], T.bool);
        }
        case "logic":
            return funcType([opParam, ["a", T.bool], ["b", T.bool]], T.bool);
        case "not":
            return funcType([opParam, ["a", T.bool]], T.bool);
    }
}
/** Validate the solved operand type of an `_operator` call. */
export function checkOperator(op, solved) {
    const cls = OPS[op];
    if (cls === undefined)
        return `unknown operator: ${op}`;
    const a = param(solved, 1);
    if (isOpen(a))
        return undefined;
    const allowed = ALLOWED[cls];
    if (allowed === undefined) {
        return containsFunc(a) ? `operator \`${op}\` can't compare func values` : undefined;
    }
    return allowed.includes(a.k) ? undefined : `operator \`${op}\` does not support type ${kindName(a)}`;
}
/**
 * Weak operand check from the solved type alone (when the checker doesn't pass the call's args):
 * `func(op, a, b) a` is `+ - *`, `func(op, a, b) float` is `/`, `func(op, a, b) bool` is a comparison.
 */
function checkOperatorShape(solved) {
    const a = param(solved, 1);
    const r = solved.k === "func" ? solved.ret : undefined;
    if (isOpen(a) || r === undefined || a.k === "bool")
        return undefined;
    if (r.k === "bool")
        return containsFunc(a) ? "operator can't compare func values" : undefined;
    if (r.k === "float" || r === a || r.k === a.k) {
        return ["str", "int", "float"].includes(a.k) ? undefined : `operator does not support type ${kindName(a)}`;
    }
    return undefined;
}
/**
 * `_operator(op, a, b)` / `_operator("not", a)`: `infer` needs the operator literal as arg 0
 * (the parser always produces one); `check` uses the literal from `args` when given.
 */
export const OPERATOR = fn("", "_operator", undefined, "P", {
    catchable: true, // division by zero
    infer: (args, fresh) => {
        const op = operatorOf(args);
        if (op === undefined)
            return { error: "operator name must be a static string" };
        return operatorSignature(op, fresh);
    },
    check: (solved, args) => {
        const op = args ? operatorOf(args) : undefined;
        return op === undefined ? checkOperatorShape(solved) : checkOperator(op, solved);
    },
});
