/**
 * Helper for resource kind schemas (mcl-language.md §3.2, engine-reference.md §10): lang field
 * names with mcl type strings. Go→mcl mapping: all ints/uints → int, pointers transparent,
 * `interface{}` → `?1` (a var the checker instantiates per use).
 */
import { parseType } from "../../lang/type-parse.js";
export function kind(name, fields, opts = {}) {
    const s = {
        kind: name,
        fields: new Map(Object.entries(fields).map(([f, t]) => [f, parseType(t)])),
        recvable: opts.recvable ?? false,
        traits: opts.traits ?? {},
    };
    if (opts.sends)
        s.sends = new Map(Object.entries(opts.sends).map(([f, t]) => [f, parseType(t)]));
    return s;
}
