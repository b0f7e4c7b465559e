/**
 * The resource graph as JSON, for the compile cache (compile-cache.ts). Params use the lossless
 * tagged JSON of lang/value-json.ts; metaparams only where they differ from the defaults; each
 * vertex's identity key is recomputed by `makeVertex` on the way back, so a decoded graph is
 * indistinguishable from one the interpreter built (the engine diffs graphs by those keys).
 */
import { valueFromJson, valueToJson, type Json } from "../../lang/value-json.js";
import { makeVertex, META_DEFAULTS, nonDefaultMeta, sealGraph, type Edge, type Meta, type ResourceGraph, type Vertex } from "../../lang/resource-graph.js";

interface VertexJson {
  readonly k: string;
  readonly n: string;
  readonly p: Record<string, Json>;
  /** non-default metaparams; `limit: Infinity` as "+Inf" */
  readonly m?: [string, Json][];
}

export interface GraphJson {
  readonly vertices: readonly VertexJson[];
  readonly edges: readonly Edge[];
}

/** The graph as JSON data; throws when a param holds a func value (not storable). */
export function encodeGraph(g: ResourceGraph): GraphJson {
  const vertices = g.vertices.map((v): VertexJson => {
    const p: Record<string, Json> = {};
    for (const k of Object.keys(v.params)) p[k] = valueToJson(v.params[k]!);
    const m = nonDefaultMeta(v.meta).map(([k, x]): [string, Json] => [k, x === Infinity ? "+Inf" : (x as Json)]);
    return m.length > 0 ? { k: v.kind, n: v.name, p, m } : { k: v.kind, n: v.name, p };
  });
  return { vertices, edges: g.edges.map((e) => ({ ...e })) };
}

/** The inverse of {@link encodeGraph}; throws on malformed data. */
export function decodeGraph(j: unknown): ResourceGraph {
  const g = j as GraphJson;
  if (!Array.isArray(g?.vertices) || !Array.isArray(g.edges)) throw new Error("malformed cached graph");
  const vertices: Vertex[] = g.vertices.map((v) => {
    if (typeof v?.k !== "string" || typeof v.n !== "string" || typeof v.p !== "object" || v.p === null) throw new Error("malformed cached vertex");
    const params: Record<string, ReturnType<typeof valueFromJson>> = {};
    for (const k of Object.keys(v.p)) params[k] = valueFromJson(v.p[k]);
    return makeVertex(v.k, v.n, params, decodeMeta(v.m));
  });
  const edges = g.edges.map((e): Edge => {
    if (typeof e?.from !== "string" || typeof e.to !== "string" || typeof e.notify !== "boolean") throw new Error("malformed cached edge");
    return Object.freeze({ ...e });
  });
  return sealGraph(vertices, edges);
}

function decodeMeta(m: unknown): Meta {
  if (m === undefined) return META_DEFAULTS;
  if (!Array.isArray(m)) throw new Error("malformed cached metaparams");
  const out: Record<string, unknown> = { ...META_DEFAULTS };
  for (const e of m as unknown[]) {
    if (!Array.isArray(e) || typeof e[0] !== "string" || !(e[0] in META_DEFAULTS)) throw new Error("malformed cached metaparam");
    const d = (META_DEFAULTS as unknown as Record<string, unknown>)[e[0]];
    const x: unknown = e[1] === "+Inf" ? Infinity : e[1];
    if (Array.isArray(d) ? !Array.isArray(x) : typeof x !== typeof d) throw new Error(`malformed cached metaparam ${e[0]}`);
    out[e[0]] = x;
  }
  return out as unknown as Meta;
}

/** Whether two graphs have the same vertices (by identity key, in order) and edges. */
export function sameGraph(a: ResourceGraph, b: ResourceGraph): boolean {
  if (a.vertices.length !== b.vertices.length || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < a.vertices.length; i++) {
    const x = a.vertices[i]!;
    const y = b.vertices[i]!;
    if (x.key !== y.key || x.hidden !== y.hidden || (x.export ?? []).join("\0") !== (y.export ?? []).join("\0")) return false;
  }
  for (let i = 0; i < a.edges.length; i++) {
    const x = a.edges[i]!;
    const y = b.edges[i]!;
    if (x.from !== y.from || x.to !== y.to || x.notify !== y.notify || x.send !== y.send || x.recv !== y.recv) return false;
  }
  return true;
}
