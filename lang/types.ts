/**
 * mcl types (mcl-language.md §5.1): the representation shared by the checker, the unifier,
 * the builtin registry and (later) the runtime. Unification variables are `{k:"var", id}`;
 * their bindings live in a Unifier (lang/unify.ts), never in the type objects themselves.
 */

export interface FieldType {
  readonly name: string;
  readonly type: Type;
}

export type Type =
  | { readonly k: "bool" }
  | { readonly k: "str" }
  | { readonly k: "int" }
  | { readonly k: "float" }
  | { readonly k: "variant" }
  | { readonly k: "nil" }
  | { readonly k: "list"; readonly elem: Type }
  | { readonly k: "map"; readonly key: Type; readonly val: Type }
  | { readonly k: "struct"; readonly fields: readonly FieldType[] }
  /** Param names are kept for printing and builtin arg names; equality ignores them. */
  | { readonly k: "func"; readonly params: readonly FieldType[]; readonly ret: Type }
  | { readonly k: "var"; readonly id: number };

export type TypeKind = Type["k"];

export const T = {
  bool: { k: "bool" } as Type,
  str: { k: "str" } as Type,
  int: { k: "int" } as Type,
  float: { k: "float" } as Type,
  variant: { k: "variant" } as Type,
  nil: { k: "nil" } as Type,
  list: (elem: Type): Type => ({ k: "list", elem }),
  map: (key: Type, val: Type): Type => ({ k: "map", key, val }),
  struct: (fields: readonly FieldType[]): Type => ({ k: "struct", fields }),
  func: (params: readonly FieldType[], ret: Type): Type => ({ k: "func", params, ret }),
  var: (id: number): Type => ({ k: "var", id }),
};

/** The kind word used in short error messages: `type error: str != list` (§5.1). */
export function kindName(t: Type): string {
  return t.k === "var" ? `?${t.id}` : t.k;
}

/** Canonical printing: `[]str`, `map{str: int}`, `struct{a int; b str}`, `func(a str, b int) float`, `?1`. */
export function printType(t: Type): string {
  switch (t.k) {
    case "bool":
    case "str":
    case "int":
    case "float":
    case "variant":
    case "nil":
      return t.k;
    case "list":
      return `[]${printType(t.elem)}`;
    case "map":
      return `map{${printType(t.key)}: ${printType(t.val)}}`;
    case "struct":
      return `struct{${t.fields.map((f) => `${f.name} ${printType(f.type)}`).join("; ")}}`;
    case "func":
      return `func(${t.params.map((p, i) => `${p.name || String(i)} ${printType(p.type)}`).join(", ")}) ${printType(t.ret)}`;
    case "var":
      return `?${t.id}`;
  }
}

/** Structural equality of two types without variable bindings (vars equal by id; func param names ignored). */
export function typeEquals(a: Type, b: Type): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case "list":
      return typeEquals(a.elem, (b as typeof a).elem);
    case "map": {
      const bb = b as typeof a;
      return typeEquals(a.key, bb.key) && typeEquals(a.val, bb.val);
    }
    case "struct": {
      const bb = b as typeof a;
      return a.fields.length === bb.fields.length && a.fields.every((f, i) => f.name === bb.fields[i]!.name && typeEquals(f.type, bb.fields[i]!.type));
    }
    case "func": {
      const bb = b as typeof a;
      return a.params.length === bb.params.length && a.params.every((p, i) => typeEquals(p.type, bb.params[i]!.type)) && typeEquals(a.ret, bb.ret);
    }
    case "var":
      return a.id === (b as typeof a).id;
    default:
      return true;
  }
}

/** True when the type contains no unification variable. */
export function isConcrete(t: Type): boolean {
  switch (t.k) {
    case "var":
      return false;
    case "list":
      return isConcrete(t.elem);
    case "map":
      return isConcrete(t.key) && isConcrete(t.val);
    case "struct":
      return t.fields.every((f) => isConcrete(f.type));
    case "func":
      return t.params.every((p) => isConcrete(p.type)) && isConcrete(t.ret);
    default:
      return true;
  }
}

/** Map keys must be hashable: bool/str/int/float or structs of hashables (§4). */
export function isHashable(t: Type): boolean {
  switch (t.k) {
    case "bool":
    case "str":
    case "int":
    case "float":
      return true;
    case "struct":
      return t.fields.every((f) => isHashable(f.type));
    default:
      return false;
  }
}
