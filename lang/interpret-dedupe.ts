/**
 * Interpret step 3 (mcl-language.md §9): one vertex per `kind[name]`. Exports are checked per
 * (kind, name, host); hidden resources stay apart (one per distinct definition); identical
 * duplicates merge, `pkg` merges when compatible (installed + newest → newest), and any other
 * inequivalent duplicate is an error.
 */
import { getKind } from "../stdlib/registry.js";
import type { BuiltRes } from "./interpret-build.js";
import { fail } from "./interpret-error.js";
import type { VertexIds } from "./interpret-link.js";
import { makeVertex, META_DEFAULTS, type Meta, type Vertex } from "./resource-graph.js";
import { printValue, valueEquals, type Value } from "./values.js";

/** A built resource with its `kind[name]`, and its vertex once made (cached with interpret's memo). */
export interface Res extends BuiltRes {
  readonly id: string;
  vertex?: Vertex;
}

export interface Deduped {
  /** unsorted: the kept resources in program order, then the hidden ones */
  readonly vertices: readonly Vertex[];
  readonly ids: VertexIds;
  /**
   * Every resource became its own vertex, in order (`vertices[i]` is `resources[i]`'s): no
   * duplicates, nothing hidden or exported. Interpret reuses the vertex order of such graphs.
   */
  readonly plain: boolean;
}

export function dedupe(resources: readonly Res[]): Deduped {
  const kept = new Map<string, Res>();
  const hidden: Res[] = [];
  const lastHidden = new Map<string, Res>();
  const exports = new Map<string, Res>();
  for (const r of resources) {
    const id = r.id;
    for (const host of r.meta.export) {
      const k = `${id}\0${host}`;
      const prev = exports.get(k);
      if (prev && !sameResource(prev, r)) {
        fail("E-INTERPRET-DUPLICATE", `inequivalent duplicate export: ${id} to ${host}: ${difference(prev, r)}`, r.span, [{ message: "first exported here", span: prev.span }]);
      }
      if (!prev) exports.set(k, r);
    }
    if (r.meta.hidden) {
      const last = lastHidden.get(id);
      if (!last || !sameResource(last, r)) hidden.push(r), lastHidden.set(id, r);
      continue;
    }
    const prev = kept.get(id);
    if (!prev) {
      kept.set(id, r);
      continue;
    }
    if (sameResource(prev, r)) continue;
    if (getKind(r.kind)?.traits.compatible) {
      const merged = mergeCompatible(prev, r);
      if (typeof merged === "string") {
        fail("E-INTERPRET-DUPLICATE", `incompatible duplicate resource \`${id}\` found: ${merged}`, r.span, [{ message: "first defined here", span: prev.span }]);
      }
      kept.set(id, { ...merged, id });
      continue;
    }
    fail("E-INTERPRET-DUPLICATE", `inequivalent duplicate resource \`${id}\` found: ${difference(prev, r)}`, r.span, [{ message: "first defined here", span: prev.span }]);
  }
  const vertices: Vertex[] = [];
  const index = new Map<string, number>();
  const visible = new Set<string>();
  for (const r of kept.values()) {
    vertices.push((r.vertex ??= makeVertex(r.kind, r.name, r.params, r.meta)));
    index.set(r.id, index.size);
    visible.add(r.id);
  }
  const hiddenOnly = new Set<string>();
  for (const r of hidden) {
    vertices.push((r.vertex ??= makeVertex(r.kind, r.name, r.params, r.meta)));
    if (!index.has(r.id)) index.set(r.id, index.size);
    if (!visible.has(r.id)) hiddenOnly.add(r.id);
  }
  const plain = hidden.length === 0 && exports.size === 0 && kept.size === resources.length;
  return { vertices, ids: { index, hiddenOnly }, plain };
}

function sameResource(a: BuiltRes, b: BuiltRes): boolean {
  if (a === b) return true;
  return a.kind === b.kind && a.name === b.name && sameParams(a.params, b.params) && sameMeta(a.meta, b.meta) && getKind(a.kind)?.cmp?.(a.params, b.params) === undefined;
}

function sameParams(a: Readonly<Record<string, Value>>, b: Readonly<Record<string, Value>>): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b && valueEquals(a[k]!, b[k]!));
}

function sameMeta(a: Meta, b: Meta): boolean {
  if (a === b) return true;
  return (Object.keys(META_DEFAULTS) as (keyof Meta)[]).every((k) => {
    if (k === "retryreset") return true; // ResCmp ignores it (engine-reference.md §3)
    const x = a[k], y = b[k];
    return Array.isArray(x) ? JSON.stringify(x) === JSON.stringify(y) : x === y;
  });
}

/** Why two resources of the same kind and name differ (first difference). */
function difference(a: BuiltRes, b: BuiltRes): string {
  const keys = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort();
  for (const k of keys) {
    const x = a.params[k], y = b.params[k];
    if (x === undefined || y === undefined || !valueEquals(x, y)) {
      const show = (v: Value | undefined): string => (v === undefined ? "unset" : printValue(v));
      return `the param \`${k}\` differs (${show(x)} != ${show(y)})`;
    }
  }
  for (const k of Object.keys(META_DEFAULTS) as (keyof Meta)[]) {
    if (JSON.stringify(a.meta[k]) !== JSON.stringify(b.meta[k])) return `the meta param \`${k}\` differs`;
  }
  return getKind(a.kind)?.cmp?.(a.params, b.params) ?? "they differ";
}

/** `pkg` (the only compatible kind): installed + newest → newest; other differences are incompatible. */
function mergeCompatible(a: BuiltRes, b: BuiltRes): BuiltRes | string {
  if (!sameMeta(a.meta, b.meta)) return "the meta params differ";
  const params: Record<string, Value> = { ...a.params };
  const keys = new Set([...Object.keys(a.params), ...Object.keys(b.params)]);
  for (const k of keys) {
    const x = a.params[k], y = b.params[k];
    if (x !== undefined && y !== undefined && valueEquals(x, y)) continue;
    if (k === "state") {
      const sx = (x ?? "installed") as string, sy = (y ?? "installed") as string;
      const both = new Set([sx, sy]);
      if (both.size === 1) continue;
      if (both.size === 2 && both.has("installed") && both.has("newest")) {
        params[k] = "newest";
        continue;
      }
      return `state \`${sx}\` is not compatible with state \`${sy}\``;
    }
    return `the param \`${k}\` differs`;
  }
  return { ...a, params };
}
