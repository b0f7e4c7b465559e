/**
 * Building one resource at interpret time (mcl-language.md §3.2 "Building"): store each field
 * (integer fields of Go width are range-checked, negative ints can't go into unsigned fields),
 * apply metaparams over their defaults and check their ranges (engine-reference.md §3), then
 * Validate: non-empty name, the `$` rule (`Meta:dollar`), metaparam rules, and the kind's own
 * Validate (the schema's `validate` hook: `test` validatebool / validateerror, `file` state,
 * paths, content/source/fragments…), which hidden resources skip (§2.11).
 */
import type { Span } from "./ast.js";
import { META_DEFAULTS, type Meta } from "./resource-graph.js";
import { isStruct, type Value } from "./values.js";
import { getKind, type KindSchema } from "../stdlib/registry.js";

export interface BuiltRes {
  readonly kind: string;
  readonly name: string;
  readonly params: Readonly<Record<string, Value>>;
  readonly meta: Meta;
  readonly span: Span;
}

export type ResBuildError =
  | { readonly error: "kind" }
  /** `plain`: the message is complete (not prefixed with `K[n] did not Validate:`) */
  | { readonly error: "validate"; readonly code: string; readonly message: string; readonly plain?: boolean };

/** Go integer field types of the `test` kind (resource-kinds-test.md), for range checks on store. */
const GO_INTS: Readonly<Record<string, string>> = {
  int8: "int8",
  int16: "int16",
  int32: "int32",
  int64: "int64",
  uint: "uint",
  uint8: "uint8",
  uint16: "uint16",
  uint32: "uint32",
  uint64: "uint64",
  byte: "uint8",
  rune: "int32",
  int64ptr: "int64",
  int8ptr: "int8",
  uint8ptr: "uint8",
  int8ptrptrptr: "int8",
};

const GO_INT_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = { test: GO_INTS };

const RANGES = new Map<string, readonly [bigint, bigint]>();

function range(goType: string): readonly [bigint, bigint] {
  let r = RANGES.get(goType);
  if (r) return r;
  const bits = goType === "int" || goType === "uint" ? 64 : Number(goType.replace(/^u?int/, ""));
  r = goType.startsWith("u") ? [0n, 2n ** BigInt(bits) - 1n] : [-(2n ** BigInt(bits - 1)), 2n ** BigInt(bits - 1) - 1n];
  RANGES.set(goType, r);
  return r;
}

/** Store an int into a Go integer type; an error message or undefined. */
function storeInt(v: bigint, goType: string): string | undefined {
  const [lo, hi] = range(goType);
  if (v < 0n && goType.startsWith("u")) return `can't store negative int \`${v}\` into unsigned \`${goType}\` field`;
  if (v < lo || v > hi) return `can't store int \`${v}\` into \`${goType}\` field: out of range`;
  return undefined;
}

type MutableMeta = { -readonly [K in keyof Meta]: Meta[K] };

/** Apply one `Meta:prop` value. */
function setMeta(m: MutableMeta, prop: string, v: Value): string | undefined {
  switch (prop) {
    case "retry":
    case "poll":
    case "delay":
    case "timeout":
    case "burst": {
      const goType = prop === "retry" ? "int16" : prop === "poll" ? "int32" : prop === "burst" ? "int" : "uint64";
      const err = storeInt(v as bigint, goType);
      if (err) return `Meta:${prop}: ${err}`;
      m[prop] = Number(v);
      return undefined;
    }
    case "limit":
      m.limit = v as number;
      return undefined;
    case "sema":
    case "export":
      m[prop] = [...(v as readonly string[])];
      return undefined;
    default:
      if (prop in META_DEFAULTS) {
        (m as unknown as Record<string, Value>)[prop] = v;
        return undefined;
      }
      return `unknown meta param \`${prop}\``;
  }
}

/** engine.Validate's metaparam rules (engine-reference.md §3). */
function validateMeta(m: Meta): string | undefined {
  if (m.limit !== Infinity && m.burst <= 0) return "burst must be greater than zero when limit is not Inf (Meta:limit needs Meta:burst > 0)";
  for (const s of m.sema) {
    if (s === "") return "sema entry is empty";
    if (/^\d+$/.test(s)) return `sema entry \`${s}\` is a bare number (want \`id\` or \`id:N\`)`;
    const i = s.lastIndexOf(":");
    if (i >= 0) {
      const n = s.slice(i + 1);
      if (!/^\d+$/.test(n) || Number(n) <= 0) return `sema entry \`${s}\`: the count must be a positive integer`;
    }
  }
  for (const h of m.export) if (h === "") return "export entry is empty";
  return undefined;
}

export function buildResource(
  kind: string,
  name: string,
  fields: readonly (readonly [string, Value, Span])[],
  metas: readonly (readonly [string | undefined, Value, Span])[],
  collected = false,
): Omit<BuiltRes, "span"> | ResBuildError {
  const schema = getKind(kind);
  if (!schema) return { error: "kind" };
  const params: Record<string, Value> = {};
  const ints = GO_INT_FIELDS[kind];
  // indexed, not `for (const [f, v] of …)`: tuple destructuring runs the iterator protocol per field
  for (let i = 0; i < fields.length; i++) {
    const fv = fields[i]!;
    const f = fv[0], v = fv[1];
    const goType = ints?.[f];
    if (goType && typeof v === "bigint") {
      const err = storeInt(v, goType);
      if (err) return { error: "validate", code: "E-INTERPRET-STORE", message: err, plain: true };
    }
    params[f] = v;
  }
  if (metas.length === 0 && !collected) return finish(schema, kind, name, params, META_DEFAULTS);
  const meta: MutableMeta = { ...META_DEFAULTS, sema: [], export: [] };
  for (const [prop, v] of metas) {
    if (prop === undefined) {
      if (!isStruct(v)) continue;
      for (const [p, x] of v.entries()) {
        const err = setMeta(meta, p, x);
        if (err) return { error: "validate", code: "E-INTERPRET-META", message: err };
      }
      continue;
    }
    const err = setMeta(meta, prop, v);
    if (err) return { error: "validate", code: "E-INTERPRET-META", message: err };
  }
  if (collected) meta.export = [];
  return finish(schema, kind, name, params, meta);
}

/** engine.Validate, then the kind's own Validate. `meta` is META_DEFAULTS itself when no Meta was set (shared, frozen). */
function finish(schema: KindSchema, kind: string, name: string, params: Record<string, Value>, meta: Meta): Omit<BuiltRes, "span"> | ResBuildError {
  if (kind === "") return { error: "validate", code: "E-INTERPRET-VALIDATE", message: "the Res kind is empty" };
  if (name === "") return { error: "validate", code: "E-INTERPRET-VALIDATE", message: "the Res name is empty" };
  if (name.startsWith("$") && !meta.dollar) return { error: "validate", code: "E-INTERPRET-VALIDATE", message: "the Res name starts with a $" };
  const merr = meta === META_DEFAULTS ? undefined : validateMeta(meta);
  if (merr) return { error: "validate", code: "E-INTERPRET-META", message: merr };
  if (!meta.hidden && schema.validate) {
    const err = schema.validate(name, params);
    if (err !== undefined) return { error: "validate", code: "E-INTERPRET-VALIDATE", message: err };
  }
  return { kind, name, params, meta };
}
