/**
 * The data of an exported resource (engine-reference.md §2.10; mcl-language.md §3.10): what a host
 * stores in the World for `Meta:export`, and what `collect` turns back into a resource on another
 * host. The World treats it as an opaque string.
 *
 * `{"v":1,"params":{"content":"x","mode":…}}`, each param in the lossless tagged JSON of
 * value-json.ts. Only the params travel: the collecting host's resource takes its metaparams from
 * the `collect` body (mgmt ships the whole resource but clears `export`; the exporter's other
 * metaparams, typically `Meta:hidden`, describe how the *exporter* treats it).
 */
import type { Value } from "./values.js";
import { valueFromJson, valueToJson, type Json } from "./value-json.js";

const VERSION = 1;

/** Serialise the params of an exported resource. Throws on func values (not exportable). */
export function encodeExport(params: Readonly<Record<string, Value>>): string {
  const out: Record<string, Json> = {};
  for (const k of Object.keys(params).sort()) out[k] = valueToJson(params[k]!);
  return JSON.stringify({ v: VERSION, params: out });
}

/** The params of an exported resource, or a one-line reason when `data` is not one. */
export function decodeExport(data: string): Record<string, Value> | string {
  let doc: unknown;
  try {
    doc = JSON.parse(data);
  } catch {
    return "the exported data is not JSON";
  }
  if (typeof doc !== "object" || doc === null) return "the exported data is not an object";
  const d = doc as { v?: unknown; params?: unknown };
  if (d.v !== VERSION) return `the exported data has version ${JSON.stringify(d.v)}, expected ${VERSION}`;
  if (typeof d.params !== "object" || d.params === null || Array.isArray(d.params)) return "the exported data has no params";
  const params: Record<string, Value> = {};
  try {
    for (const [k, v] of Object.entries(d.params)) params[k] = valueFromJson(v);
  } catch (e) {
    return `the exported data is malformed: ${(e as Error).message}`;
  }
  return params;
}
