/**
 * Helper for resource kind schemas (mcl-language.md §3.2, engine-reference.md §10): lang field
 * names with mcl type strings. Go→mcl mapping: all ints/uints → int, pointers transparent,
 * `interface{}` → `?1` (a var the checker instantiates per use).
 */
import { parseType } from "../../lang/type-parse.js";
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
  const s: { -readonly [K in keyof KindSchema]: KindSchema[K] } = {
    kind: name,
    fields: new Map(Object.entries(fields).map(([f, t]) => [f, parseType(t)])),
    recvable: opts.recvable ?? false,
    traits: opts.traits ?? {},
  };
  if (opts.validate) s.validate = opts.validate;
  if (opts.cmp) s.cmp = opts.cmp;
  if (opts.sends) s.sends = new Map(Object.entries(opts.sends).map(([f, t]) => [f, parseType(t)]));
  return s;
}
