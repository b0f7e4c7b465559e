/**
 * The engine's working copy of a resource graph while a new graph is prepared (autoedges,
 * autogrouping, reversals, cycle check): vertices by id with mutable adjacency. Ids are
 * `kind[name]`; a hidden vertex that shares its kind and name with a visible one gets the id
 * `kind[name](hidden)` (edges written as `kind[name]` mean the visible one).
 */
import type { Meta, Vertex } from "../../lang/resource-graph.js";

export interface PlanVertex {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  /** The vertex as the program declared it (the group parent for a grouped vertex). */
  readonly vertex: Vertex;
  /** `[vertex]`, or the parent then every grouped child (§2.6). */
  members: Vertex[];
  /** Structural identity: the vertex key, plus the sorted member keys for groups. */
  key: string;
  /** Effective metaparams: global `--noop`/`--sema` applied, grouped children's semas unioned. */
  meta: Meta;
  readonly hidden: boolean;
  /** Added by the engine to undo a vanished `Meta:reverse` resource (§2.8). */
  readonly reversal: boolean;
}

export interface SendRecvPair {
  readonly send: string;
  readonly recv: string;
}

export interface PlanEdge {
  readonly from: string;
  readonly to: string;
  notify: boolean;
  readonly pairs: SendRecvPair[];
  /** Added by autoedges. */
  readonly auto?: boolean;
}

export class PlanGraph {
  readonly vertices = new Map<string, PlanVertex>();
  readonly out = new Map<string, Map<string, PlanEdge>>();
  readonly in = new Map<string, Map<string, PlanEdge>>();

  addVertex(v: PlanVertex): void {
    this.vertices.set(v.id, v);
  }

  /** Add an edge, merging with an existing one between the same ends (notify OR, pairs appended). */
  addEdge(from: string, to: string, notify: boolean, pair?: SendRecvPair, auto?: boolean): void {
    let outs = this.out.get(from);
    if (!outs) this.out.set(from, (outs = new Map()));
    const e = outs.get(to);
    if (e) {
      e.notify ||= notify;
      if (pair) e.pairs.push(pair);
      return;
    }
    const ne: PlanEdge = { from, to, notify, pairs: pair ? [pair] : [], ...(auto ? { auto } : {}) };
    outs.set(to, ne);
    let ins = this.in.get(to);
    if (!ins) this.in.set(to, (ins = new Map()));
    ins.set(from, ne);
  }

  hasEdge(from: string, to: string): boolean {
    return this.out.get(from)?.has(to) ?? false;
  }

  removeEdge(from: string, to: string): void {
    this.out.get(from)?.delete(to);
    this.in.get(to)?.delete(from);
  }

  removeVertex(id: string): void {
    for (const to of this.out.get(id)?.keys() ?? []) this.in.get(to)?.delete(id);
    for (const from of this.in.get(id)?.keys() ?? []) this.out.get(from)?.delete(id);
    this.out.delete(id);
    this.in.delete(id);
    this.vertices.delete(id);
  }

  degree(id: string): number {
    return (this.out.get(id)?.size ?? 0) + (this.in.get(id)?.size ?? 0);
  }

  /** Kahn's algorithm; returns the ids in topological order, or a cycle (`a -> b -> a`). */
  topoSort(): { order: string[] } | { cycle: string[] } {
    const indeg = new Map<string, number>();
    for (const id of this.vertices.keys()) indeg.set(id, this.in.get(id)?.size ?? 0);
    const queue: string[] = [];
    for (const [id, d] of indeg) if (d === 0) queue.push(id);
    const order: string[] = [];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!;
      order.push(id);
      for (const to of this.out.get(id)?.keys() ?? []) {
        const d = indeg.get(to)! - 1;
        indeg.set(to, d);
        if (d === 0) queue.push(to);
      }
    }
    if (order.length === this.vertices.size) return { order };
    // Walk backwards along in-edges among the vertices left over until one repeats.
    let cur = [...indeg].find(([, d]) => d > 0)![0];
    const seen = new Map<string, number>();
    const path: string[] = [];
    while (!seen.has(cur)) {
      seen.set(cur, path.length);
      path.push(cur);
      cur = [...(this.in.get(cur)?.keys() ?? [])].find((p) => indeg.get(p)! > 0)!;
    }
    const cycle = path.slice(seen.get(cur)).reverse();
    cycle.push(cycle[0]!);
    return { cycle };
  }
}
