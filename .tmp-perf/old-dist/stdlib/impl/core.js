/**
 * The global builtins (mcl-language.md §11.1: `concat contains len list_lookup map_lookup`) and
 * the internal functions the parser produces (§5.4): `_operator`, `_lookup`, `_struct_lookup`,
 * `_struct_lookup_optional`. `history`, `random1`, `panic*` and `_collect` are effectful and live
 * with the impure/source implementations.
 */
import { CatchableError, isMap, isStruct, printValue, wrapInt } from "../../lang/values.js";
import { registerImpls } from "../impl.js";
import { argInt, argList, argMap, argStr, argStruct, fail, utf8Len } from "./args.js";
/**
 * Go's `==` lifted structurally (mgmt `Value.Cmp`): like `valueEquals` except that NaN is never
 * equal to anything, itself included (valueEquals treats NaN = NaN for change detection).
 */
export function goEquals(a, b) {
    if (typeof a === "number")
        return typeof b === "number" && a === b;
    if (typeof a !== "object")
        return a === b;
    if (typeof b !== "object")
        return false;
    if (Array.isArray(a)) {
        const bl = b;
        return Array.isArray(bl) && a.length === bl.length && a.every((x, i) => goEquals(x, bl[i]));
    }
    if (Array.isArray(b))
        return false;
    if (isMap(a)) {
        const am = a;
        if (!isMap(b))
            return false;
        const bm = b;
        if (am.size !== bm.size)
            return false;
        for (const [k, v] of am) {
            const w = bm.get(k);
            if (w === undefined || !goEquals(v, w))
                return false;
        }
        return true;
    }
    if (isStruct(a)) {
        const as = a;
        if (!isStruct(b))
            return false;
        const bs = b;
        return as.names.length === bs.names.length && as.names.every((n, i) => n === bs.names[i] && goEquals(as.values[i], bs.values[i]));
    }
    return a === b; // funcs: identity (the checker rejects comparing them)
}
const DIV_ZERO = "can't divide by zero";
function arith(op, a, b) {
    if (typeof a === "bigint" && typeof b === "bigint") {
        switch (op) {
            case "+":
                return wrapInt(a + b);
            case "-":
                return wrapInt(a - b);
            case "*":
                return wrapInt(a * b);
            case "/":
                // mgmt: int division yields float64(a) / float64(b)
                return b === 0n ? fail(DIV_ZERO) : Number(a) / Number(b);
        }
    }
    if (typeof a === "number" && typeof b === "number") {
        switch (op) {
            case "+":
                return a + b;
            case "-":
                return a - b;
            case "*":
                return a * b;
            case "/":
                return b === 0 ? fail(DIV_ZERO) : a / b;
        }
    }
    if (op === "+" && typeof a === "string" && typeof b === "string")
        return a + b;
    throw new Error(`internal error: operator ${op} on ${typeof a} and ${typeof b}`);
}
function compare(op, a, b) {
    if ((typeof a !== "bigint" && typeof a !== "number") || typeof b !== typeof a) {
        throw new Error(`internal error: operator ${op} on ${typeof a} and ${typeof b}`);
    }
    const x = a, y = b;
    switch (op) {
        case "<":
            return x < y;
        case ">":
            return x > y;
        case "<=":
            return x <= y;
        default:
            return x >= y;
    }
}
function bool(v, op) {
    if (typeof v !== "boolean")
        throw new Error(`internal error: operator ${op} on a non-bool`);
    return v;
}
/** `_operator(op, a[, b])`: the operator literal is arg 0 (§5.4). */
export function operator(args) {
    const op = argStr(args, 0);
    const a = args[1], b = args[2];
    switch (op) {
        case "+":
        case "-":
        case "*":
        case "/":
            return arith(op, a, b);
        case "==":
            return goEquals(a, b);
        case "!=":
            return !goEquals(a, b);
        case "<":
        case ">":
        case "<=":
        case ">=":
            return compare(op, a, b);
        case "and": // not short-circuit: both operands are already evaluated (§5.4)
            return bool(a, op) && bool(b, op);
        case "or":
            return bool(a, op) || bool(b, op);
        case "not":
            return !bool(a, op);
    }
    throw new Error(`internal error: unknown operator ${op}`);
}
/** `list index not present, got: 42, len is: 1, in: ["a"]` (§12). */
export function listLookup(list, index) {
    const v = index >= 0n && index < BigInt(list.length) ? list[Number(index)] : undefined;
    return v !== undefined ? v : fail(`list index not present, got: ${index}, len is: ${list.length}, in: ${printValue(list)}`);
}
/** `map key not present, want: 13 in {42: "hello1"}` (§12). */
export function mapLookup(map, key) {
    const v = map.get(key);
    return v !== undefined ? v : fail(`map key not present, want: ${printValue(key)} in ${printValue(map)}`);
}
function len(v) {
    if (typeof v === "string")
        return BigInt(utf8Len(v)); // Go len(): bytes
    if (Array.isArray(v))
        return BigInt(v.length);
    if (isMap(v))
        return BigInt(v.size);
    throw new Error("internal error: len of an unsupported value");
}
export const CORE_IMPLS = {
    concat: { effect: "pure", call: (args) => argStr(args, 0) + argStr(args, 1) },
    contains: { effect: "pure", call: (args) => argList(args, 1).some((x) => goEquals(args[0], x)) },
    len: { effect: "pure", call: (args) => len(args[0]) },
    list_lookup: { effect: "pure", call: (args) => listLookup(argList(args, 0), argInt(args, 1)) },
    map_lookup: { effect: "pure", call: (args) => mapLookup(argMap(args, 0), args[1]) },
    _operator: { effect: "pure", call: operator },
    _lookup: {
        effect: "pure",
        call: (args) => {
            const c = args[0];
            return Array.isArray(c) ? listLookup(c, argInt(args, 1)) : mapLookup(argMap(args, 0), args[1]);
        },
    },
    _struct_lookup: {
        effect: "pure",
        call: (args) => {
            const s = argStruct(args, 0), f = argStr(args, 1);
            const v = s.get(f);
            if (v === undefined)
                throw new Error(`internal error: field ${f} was not found in struct`);
            return v;
        },
    },
    _struct_lookup_optional: { effect: "pure", call: (args) => argStruct(args, 0).get(argStr(args, 1)) ?? args[2] },
};
registerImpls(CORE_IMPLS);
