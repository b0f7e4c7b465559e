/**
 * mcl types (mcl-language.md §5.1): the representation shared by the checker, the unifier,
 * the builtin registry and (later) the runtime. Unification variables are `{k:"var", id}`;
 * their bindings live in a Unifier (lang/unify.ts), never in the type objects themselves.
 */
export const T = {
    bool: { k: "bool" },
    str: { k: "str" },
    int: { k: "int" },
    float: { k: "float" },
    variant: { k: "variant" },
    nil: { k: "nil" },
    list: (elem) => ({ k: "list", elem }),
    map: (key, val) => ({ k: "map", key, val }),
    struct: (fields) => ({ k: "struct", fields }),
    func: (params, ret) => ({ k: "func", params, ret }),
    var: (id) => ({ k: "var", id }),
};
/** The kind word used in short error messages: `type error: str != list` (§5.1). */
export function kindName(t) {
    return t.k === "var" ? `?${t.id}` : t.k;
}
/** Canonical printing: `[]str`, `map{str: int}`, `struct{a int; b str}`, `func(a str, b int) float`, `?1`. */
export function printType(t) {
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
export function typeEquals(a, b) {
    if (a.k !== b.k)
        return false;
    switch (a.k) {
        case "list":
            return typeEquals(a.elem, b.elem);
        case "map": {
            const bb = b;
            return typeEquals(a.key, bb.key) && typeEquals(a.val, bb.val);
        }
        case "struct": {
            const bb = b;
            return a.fields.length === bb.fields.length && a.fields.every((f, i) => f.name === bb.fields[i].name && typeEquals(f.type, bb.fields[i].type));
        }
        case "func": {
            const bb = b;
            return a.params.length === bb.params.length && a.params.every((p, i) => typeEquals(p.type, bb.params[i].type)) && typeEquals(a.ret, bb.ret);
        }
        case "var":
            return a.id === b.id;
        default:
            return true;
    }
}
/** True when the type contains no unification variable. */
export function isConcrete(t) {
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
export function isHashable(t) {
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
