/**
 * Preparing a new graph for a swap (engine-reference.md §1 steps 1–4, §4.7): resolve edges,
 * apply the global `--noop`/`--sema`, add autoedges, autogroup, add pending reversals, check that
 * the result is a DAG, and diff it against the running vertices by id and structural key. Pure
 * apart from the kinds' `autoedges`/`groupCmp` callbacks: any failure throws before the running
 * graph is touched.
 */
import { META_DEFAULTS, makeVertex, vertexName, type Meta, type ResourceGraph, type Vertex } from "../../lang/resource-graph.js";
import type { Value } from "../../lang/values.js";
import { addAutoEdges, type AutoEdgeCache } from "./autoedge.js";
import { getKindImpl } from "./resource.js";
import { autoGroup } from "./autogroup.js";
import { PlanGraph, type PlanVertex } from "./plan-graph.js";

export interface PlanOptions {
  readonly noop: boolean;
  readonly sema?: number;
  readonly autoedges: boolean;
  readonly autogroup: boolean;
}

/** A pending reversal (§2.8): the resource that undoes a vanished `Meta:reverse` vertex. */
export interface Reversal {
  readonly kind: string;
  readonly name: string;
  readonly params: Readonly<Record<string, Value>>;
}

export interface Plan {
  readonly graph: PlanGraph;
  /** Topological order of `graph`'s ids. */
  readonly order: readonly string[];
  readonly autoedgeCache: AutoEdgeCache;
}

function effectiveMeta(m: Meta, opts: PlanOptions): Meta {
  const semaN = opts.sema !== undefined && opts.sema > 0 ? `:${opts.sema}` : undefined;
  if (!(opts.noop && !m.noop) && semaN === undefined) return m;
  return { ...m, noop: m.noop || opts.noop, sema: semaN === undefined ? m.sema : [...m.sema, semaN] };
}

/** Build and check the graph to run. Throws an Error whose message lists every problem. */
export function planGraph(rg: ResourceGraph, opts: PlanOptions, cache: AutoEdgeCache, reversals: ReadonlyMap<string, Reversal>): Plan {
  const g = new PlanGraph();
  const visible = new Set<string>();
  for (const v of rg.vertices) if (!v.hidden) visible.add(vertexName(v));
  const problems: string[] = [];
  for (const v of rg.vertices) {
    const base = vertexName(v);
    const id = v.hidden && visible.has(base) ? `${base}(hidden)` : base;
    if (g.vertices.has(id)) {
      problems.push(`duplicate vertex ${id}`);
      continue;
    }
    g.addVertex(mkPlanVertex(id, v, effectiveMeta(v.meta, opts), false));
  }
  for (const e of rg.edges) {
    if (!g.vertices.has(e.from) || !g.vertices.has(e.to)) {
      problems.push(`edge ${e.from} -> ${e.to}: no such vertex ${g.vertices.has(e.from) ? e.to : e.from}`);
      continue;
    }
    if (e.from === e.to) {
      problems.push(`edge ${e.from} -> ${e.to}: a resource can't depend on itself`);
      continue;
    }
    g.addEdge(e.from, e.to, e.notify, e.send !== undefined && e.recv !== undefined ? { send: e.send, recv: e.recv } : undefined);
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  const usedCache = opts.autoedges ? addAutoEdges(g, cache) : new Map();
  if (opts.autogroup) autoGroup(g);
  for (const [id, r] of reversals) {
    if (g.vertices.has(id)) continue;
    const meta: Meta = effectiveMeta({ ...META_DEFAULTS, sema: [], export: [] }, opts);
    g.addVertex(mkPlanVertex(id, makeVertex(r.kind, r.name, r.params, META_DEFAULTS), meta, true));
  }
  const sorted = g.topoSort();
  if ("cycle" in sorted) throw new Error(`the resource graph has a cycle: ${sorted.cycle.join(" -> ")}`);
  return { graph: g, order: sorted.order, autoedgeCache: usedCache };
}

/**
 * The fast path of a swap: when the new graph has the same vertices (by kind, name, hidden) and
 * the same edges as the previous one, and the changed vertices can't alter autoedges or grouping,
 * the running plan stays valid and only the changed vertices need replacing. Returns their new
 * plan vertices, or undefined when the full preparation is needed. Cost: one pass of reference
 * and string comparisons over the two graphs, no allocation for unchanged vertices.
 */
export function fastDiff(
  prev: ResourceGraph | undefined,
  next: ResourceGraph,
  g: PlanGraph,
  opts: PlanOptions,
  cache: AutoEdgeCache,
): PlanVertex[] | undefined {
  if (!prev || prev.vertices.length !== next.vertices.length || prev.edges.length !== next.edges.length) return undefined;
  const changed: Vertex[] = [];
  for (let i = 0; i < next.vertices.length; i++) {
    const a = prev.vertices[i]!;
    const b = next.vertices[i]!;
    if (a === b || a.key === b.key) continue;
    if (a.kind !== b.kind || a.name !== b.name || a.hidden || b.hidden) return undefined;
    changed.push(b);
  }
  for (let i = 0; i < next.edges.length; i++) {
    const a = prev.edges[i]!;
    const b = next.edges[i]!;
    if (a !== b && (a.from !== b.from || a.to !== b.to || a.notify !== b.notify || a.send !== b.send || a.recv !== b.recv)) return undefined;
  }
  const out: PlanVertex[] = [];
  for (const b of changed) {
    const id = vertexName(b);
    const old = g.vertices.get(id);
    if (!old || old.members.length > 1 || old.reversal) return undefined;
    const impl = getKindImpl(b.kind);
    if (opts.autogroup && impl?.groupCmp && (b.meta.autogroup || old.vertex.meta.autogroup)) return undefined;
    if (opts.autoedges && impl?.autoedges && (b.meta.autoedge || old.vertex.meta.autoedge)) {
      if (b.meta.autoedge !== old.vertex.meta.autoedge) return undefined;
      const before = cache.get(old.vertex.key);
      if (!before) return undefined;
      let after: ReturnType<NonNullable<typeof impl.autoedges>>;
      try {
        after = impl.autoedges(b.name, b.params);
      } catch {
        return undefined; // the full path reports the error
      }
      if (JSON.stringify(after) !== JSON.stringify(before)) return undefined;
      cache.set(b.key, after);
    }
    out.push(mkPlanVertex(id, b, effectiveMeta(b.meta, opts), false));
  }
  return out;
}

function mkPlanVertex(id: string, v: Vertex, meta: Meta, reversal: boolean): PlanVertex {
  return { id, kind: v.kind, name: v.name, vertex: v, members: [v], key: reversal ? `reversal:${v.key}` : v.key, meta, hidden: v.hidden === true, reversal };
}
