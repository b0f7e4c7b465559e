/**
 * Helper for resource kind schemas (mcl-language.md §3.2, engine-reference.md §10): lang field
 * names with mcl type strings. Go→mcl mapping: all ints/uints → int, pointers transparent,
 * `interface{}` → `?1` (a var the checker instantiates per use).
 */
import { parseType } from "../../lang/type-parse.js";
import type { Type } from "../../lang/types.js";
import type { KindSchema, KindTraits, ResParams } from "../registry.js";

export interface KindOpts {
  readonly sends?: Readonly<Record<string, string>>;
  readonly recvable?: boolean;
  readonly traits?: KindTraits;
  /** the kind's own Validate (KindSchema.validate) */
  readonly validate?: (name: string, params: ResParams) => string | undefined;
  /** the kind-specific part of Cmp (KindSchema.cmp) */
  readonly cmp?: (a: ResParams, b: ResParams) => string | undefined;
}

export function kind(name: string, fields: Readonly<Record<string, string>>, opts: KindOpts = {}): KindSchema {
  // The field types are parsed on first read, not at start-up: a program names a few of the
  // ~30 kinds, and every bundle that imports the registry would otherwise parse all of them.
  let parsed: ReadonlyMap<string, Type> | undefined;
  const s: { -readonly [K in keyof KindSchema]: KindSchema[K] } = {
    kind: name,
    get fields() {
      return (parsed ??= parseFields(fields));
    },
    recvable: opts.recvable ?? false,
    traits: opts.traits ?? {},
  };
  if (opts.validate) s.validate = opts.validate;
  if (opts.cmp) s.cmp = opts.cmp;
  const sends = opts.sends;
  if (sends) {
    let parsedSends: ReadonlyMap<string, Type> | undefined;
    Object.defineProperty(s, "sends", { enumerable: true, get: () => (parsedSends ??= parseFields(sends)) });
  }
  return s;
}

function parseFields(fields: Readonly<Record<string, string>>): ReadonlyMap<string, Type> {
  return new Map(Object.entries(fields).map(([f, t]) => [f, parseType(t)]));
}
