/**
 * Global builtins needing no import (mcl-language.md §6.2, §11.1) and the internal functions the
 * parser/desugaring produces: `_operator`, `_lookup`, `_struct_lookup`, `_struct_lookup_optional`,
 * `_collect`.
 */
import { T, isHashable, kindName, printType, typeEquals, type Type } from "../../lang/types.js";
import { parseType } from "../../lang/type-parse.js";
import type { ArgInfo, BuiltinFunc } from "../registry.js";
import { fn, funcType, isOpen, param, ret } from "./define.js";
import { OPERATOR } from "./operators.js";

/** A statically known (non-var) arg type. */
function known(a: ArgInfo | undefined): Type | undefined {
  return a?.type === undefined || a.type.k === "var" ? undefined : a.type;
}

function checkHashableKey(solved: Type, mapParam: number): string | undefined {
  const m = param(solved, mapParam);
  if (isOpen(m) || m!.k !== "map" || isOpen(m!.key)) return undefined;
  return isHashable(m!.key) ? undefined : `map key type ${printType(m!.key)} is not hashable`;
}

const len = fn("", "len", "func(?1) int", "P", {
  check: (solved) => {
    const a = param(solved, 0);
    if (isOpen(a)) return undefined;
    return a!.k === "str" || a!.k === "list" || a!.k === "map" ? undefined : `len: unsupported type ${kindName(a!)} (want str, list or map)`;
  },
});

// `panic(x, msg)` is desugared to `panic_debug` by the parser (§2.2), so `panic` has one arg.
const panicFn = fn("", "panic", "func(x ?1) bool", "I", {
  check: (solved) => {
    const a = param(solved, 0);
    if (isOpen(a)) return undefined;
    return a!.k === "bool" || a!.k === "str" ? undefined : `panic: unsupported type ${kindName(a!)} (want bool or str)`;
  },
});

/** `l[i]` / `m[k]`: list vs map decided from the static container type, else by `check`. */
const lookup = fn("", "_lookup", undefined, "P", {
  catchable: true,
  infer: (args, fresh) => {
    if (args.length !== 2) return { error: `_lookup expects 2 args, got ${args.length}` };
    const c = known(args[0]);
    if (c?.k === "list") {
      const e = fresh();
      return funcType([["listormap", T.list(e)], ["indexorkey", T.int]], e);
    }
    if (c?.k === "map") {
      const k = fresh();
      const v = fresh();
      return funcType([["listormap", T.map(k, v)], ["indexorkey", k]], v);
    }
    if (c !== undefined) return { error: `can't index into type ${printType(c)}` };
    return funcType([["listormap", fresh()], ["indexorkey", fresh()]], fresh());
  },
  check: (solved) => {
    const c = param(solved, 0);
    const i = param(solved, 1);
    const r = ret(solved);
    if (isOpen(c) || i === undefined || r === undefined) return undefined;
    if (c!.k === "list") {
      if (!isOpen(i) && i.k !== "int") return `list index must be int, got ${kindName(i)}`;
      if (!isOpen(r) && !isOpen(c!.elem) && !typeEquals(r, c!.elem)) return `type error: ${kindName(c!.elem)} != ${kindName(r)}`;
      return undefined;
    }
    if (c!.k === "map") {
      if (!isOpen(i) && !isOpen(c!.key) && !typeEquals(i, c!.key)) return `type error: ${kindName(c!.key)} != ${kindName(i)}`;
      if (!isOpen(r) && !isOpen(c!.val) && !typeEquals(r, c!.val)) return `type error: ${kindName(c!.val)} != ${kindName(r)}`;
      return checkHashableKey(solved, 0);
    }
    return `can't index into type ${printType(c!)}`;
  },
});

function fieldName(args: readonly ArgInfo[] | undefined): string | undefined {
  const v = args?.[1]?.value;
  return typeof v === "string" ? v : undefined;
}

/**
 * Inference of `s->f`: an error, or the struct type when it is already known (else undefined) and
 * the type of its field `f` (undefined when it has none).
 */
function inferField(args: readonly ArgInfo[]): { readonly error: string } | { readonly s?: Type; readonly ft?: Type } {
  const f = fieldName(args);
  if (f === undefined) return { error: "struct field name must be a static string" };
  const s = known(args[0]);
  if (s === undefined) return {};
  if (s.k !== "struct") return { error: `type error: struct != ${kindName(s)}` };
  const ft = s.fields.find((x) => x.name === f)?.type;
  return ft === undefined ? { s } : { s, ft };
}

/** Final check of `s->f` (`required`: a missing field is an error, not the optional default). */
function checkField(solved: Type, args: readonly ArgInfo[] | undefined, required: boolean): string | undefined {
  const s = param(solved, 0);
  const f = fieldName(args);
  if (isOpen(s)) return undefined;
  if (s!.k !== "struct") return `type error: struct != ${kindName(s!)}`;
  if (f === undefined) return undefined;
  const ft = s!.fields.find((x) => x.name === f);
  if (!ft) return required ? `field ${f} was not found in struct` : undefined;
  const r = ret(solved);
  if (r !== undefined && !isOpen(r) && !isOpen(ft.type) && !typeEquals(r, ft.type)) return `type error: ${kindName(ft.type)} != ${kindName(r)}`;
  return undefined;
}

/** `s->f`: the field name is a literal (arg 1); the struct type must be known by the end. */
const structLookup = fn("", "_struct_lookup", undefined, "P", {
  infer: (args, fresh) => {
    const l = inferField(args);
    if ("error" in l) return l;
    if (l.s === undefined) return funcType([["struct", fresh()], ["field", T.str]], fresh());
    if (l.ft === undefined) return { error: `field ${fieldName(args)} was not found in struct` };
    return funcType([["struct", l.s], ["field", T.str]], l.ft);
  },
  check: (solved, args) => checkField(solved, args, true),
});

/** `s->f <|> d`: field `f` if the static struct type has it (then `d` must match), else `d`. */
const structLookupOptional = fn("", "_struct_lookup_optional", undefined, "P", {
  infer: (args, fresh) => {
    const l = inferField(args);
    if ("error" in l) return l;
    if (l.s === undefined) {
      const v = fresh();
      return funcType([["struct", fresh()], ["field", T.str], ["optional", v]], v);
    }
    const t = l.ft ?? fresh();
    return funcType([["struct", l.s], ["field", T.str], ["optional", t]], t);
  },
  check: (solved, args) => checkField(solved, args, false),
});

const COLLECT_NAMES_DEFAULT = "[]struct{name str; host str}";
const COLLECTED = T.list(T.struct([
  { name: "name", type: T.str },
  { name: "host", type: T.str },
  { name: "data", type: T.str },
]));

/** `collect kind NAMES {…}` → `_collect(kind, NAMES)`; NAMES is str, []str or []struct{name str; host str} (§3.10). */
const collect = fn("", "_collect", undefined, "S", {
  // Like resource names (§3.2 static rule): statically str → str, statically []str → []str,
  // otherwise the default []struct{name str; host str}.
  infer: (args) => {
    if (args.length !== 2) return { error: `_collect expects 2 args, got ${args.length}` };
    const n = known(args[1]);
    let names: Type = parseType(COLLECT_NAMES_DEFAULT);
    if (n?.k === "str" || typeof args[1]?.value === "string") names = T.str;
    else if (n?.k === "list" && n.elem.k === "str") names = T.list(T.str);
    return funcType([["kind", T.str], ["names", names]], COLLECTED);
  },
  check: (solved) => {
    const n = param(solved, 1);
    if (isOpen(n)) return undefined;
    const ok = n!.k === "str" || (n!.k === "list" && (isOpen(n!.elem) || n!.elem.k === "str" || printType(n!) === COLLECT_NAMES_DEFAULT));
    return ok ? undefined : `collect names must be str, []str or ${COLLECT_NAMES_DEFAULT}, got ${printType(n!)}`;
  },
});

export const CORE: readonly BuiltinFunc[] = [
  fn("", "concat", "func(a str, b str) str", "P"),
  fn("", "contains", "func(needle ?1, haystack []?1) bool", "P"),
  len,
  fn("", "list_lookup", "func(list []?1, index int) ?1", "P", { catchable: true }),
  fn("", "map_lookup", "func(map map{?1: ?2}, key ?1) ?2", "P", { catchable: true, check: (s) => checkHashableKey(s, 0) }),
  fn("", "history", "func(value ?1, index int) ?1", "S"),
  fn("", "random1", "func(length int) str", "I"),
  panicFn,
  fn("", "panic_debug", "func(x bool, err str) bool", "I"),
  OPERATOR,
  lookup,
  structLookup,
  structLookupOptional,
  collect,
];
