/**
 * Package `value` (mcl-language.md §11.2): `get`, `get_bool`, `get_str`, `get_int`, `get_float`
 * read the per-host value store (runtime/local) that `value` resources write, and re-emit when it
 * changes. Each returns `struct{value T; ready bool}`: `ready` is false, and `value` the zero value
 * of T, until the key has been stored. A stored value of another type is a fatal error (the
 * program and the store disagree; silently reading a zero value would hide it).
 */
import { map } from "rxjs";
import { printType, type Type } from "../../../lang/types.js";
import { StructValue, isList, isMap, isStruct, printValue, zeroValue as zeroOf, type Value } from "../../../lang/values.js";
import { openLocal } from "../../../runtime/local/index.js";
import { registerImpls, type FuncImpl, type ImplContext } from "../../impl.js";
import { argStr } from "./util.js";

/** The Go zero value of `t`; a type without one is a bug in the caller's signature. */
export function zeroValue(t: Type): Value {
  const z = zeroOf(t);
  if (z === undefined) throw new Error(`no zero value for type ${printType(t)}`);
  return z;
}

/** Does `v` have type `t`? Open parts (vars, variant) accept anything. */
export function valueHasType(v: Value, t: Type): boolean {
  switch (t.k) {
    case "bool":
      return typeof v === "boolean";
    case "str":
      return typeof v === "string";
    case "int":
      return typeof v === "bigint";
    case "float":
      return typeof v === "number";
    case "list":
      return isList(v) && v.every((x) => valueHasType(x, t.elem));
    case "map":
      return isMap(v) && [...v].every(([k, x]) => valueHasType(k, t.key) && valueHasType(x, t.val));
    case "struct":
      return isStruct(v) && v.names.length === t.fields.length && t.fields.every((f, i) => v.names[i] === f.name && valueHasType(v.values[i]!, f.type));
    case "func":
    case "nil":
      return false;
    default:
      return true;
  }
}

/** The `value` field type of the call site's `struct{value T; ready bool}` result. */
function siteValueType(ctx: ImplContext): Type | undefined {
  const t = ctx.type;
  if (t?.k !== "func" || t.ret.k !== "struct") return undefined;
  const f = t.ret.fields.find((x) => x.name === "value")?.type;
  return f === undefined || f.k === "var" ? undefined : f;
}

function getter(fn: string, fixed: Type | undefined): FuncImpl {
  return {
    effect: "source",
    stream: (args, ctx) => {
      const key = argStr(args, 0, fn);
      const want = fixed ?? siteValueType(ctx);
      return openLocal(ctx.stateDir)
        .values.watch(key)
        .pipe(
          map((v) => {
            if (v === undefined) {
              if (want === undefined) throw new Error(`${fn}: the type of key ${JSON.stringify(key)} is unknown at this call site`);
              return new StructValue({ value: zeroValue(want), ready: false });
            }
            if (want !== undefined && !valueHasType(v, want)) {
              throw new Error(`${fn}: key ${JSON.stringify(key)} holds ${printValue(v)}, not a ${printType(want)}`);
            }
            return new StructValue({ value: v, ready: true });
          }),
        );
    },
  };
}

registerImpls({
  "value.get": getter("value.get", undefined),
  "value.get_bool": getter("value.get_bool", { k: "bool" }),
  "value.get_str": getter("value.get_str", { k: "str" }),
  "value.get_int": getter("value.get_int", { k: "int" }),
  "value.get_float": getter("value.get_float", { k: "float" }),
});
