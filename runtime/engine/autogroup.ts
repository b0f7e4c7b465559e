/**
 * Autogrouping (engine-reference.md §2.6): merge vertices whose kind says they can share one
 * checkApply (`KindImpl.groupCmp`), e.g. several `pkg` into one transaction. The merged vertex
 * keeps the parent's id; its resource is `createGroup([parent, ...children])`.
 *
 * Order and rules follow mgmt's CachedNonReachabilityGrouper: candidates sorted "reverse
 * hierarchical" (more `:`-chunks in the kind first, then kind and name descending); w merges into v
 * when both take part (`Meta:autogroup`, a groupable kind, not hidden), they share the first kind
 * chunk, `groupCmp(v, w)` accepts, w has no children of its own when the kinds are equal (no
 * chains), and neither is reachable from the other (merging would create a cycle). Edges of w move
 * to v (notify flags ORed); semas are unioned.
 *
 * Steward restriction: vertices at either end of a send/recv edge are never grouped (a grouped
 * vertex has one set of outputs and inputs).
 */
import { getKindImpl } from "./resource.js";
import type { PlanGraph, PlanVertex } from "./plan-graph.js";

function groupable(g: PlanGraph, v: PlanVertex): boolean {
  if (v.hidden || v.reversal || !v.meta.autogroup) return false;
  const impl = getKindImpl(v.kind);
  if (!impl?.groupCmp || !impl.createGroup) return false;
  for (const e of g.in.get(v.id)?.values() ?? []) if (e.pairs.length > 0) return false;
  for (const e of g.out.get(v.id)?.values() ?? []) if (e.pairs.length > 0) return false;
  return true;
}

function reachable(g: PlanGraph, from: string, to: string, cache: Map<string, Set<string>>): boolean {
  let seen = cache.get(from);
  if (!seen) {
    seen = new Set();
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop()!;
      for (const next of g.out.get(id)?.keys() ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    cache.set(from, seen);
  }
  return seen.has(to);
}

const cmpDesc = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/** Group `g` in place. Returns the number of merges. Throws when a kind's `groupCmp` throws. */
export function autoGroup(g: PlanGraph): number {
  const cands = [...g.vertices.values()].filter((v) => groupable(g, v));
  if (cands.length < 2) return 0;
  cands.sort((a, b) => b.kind.split(":").length - a.kind.split(":").length || cmpDesc(a.kind, b.kind) || cmpDesc(a.name, b.name));
  const merged = new Set<string>();
  let reach = new Map<string, Set<string>>();
  let merges = 0;
  for (const v of cands) {
    if (merged.has(v.id)) continue;
    const impl = getKindImpl(v.kind)!;
    const chunk = v.kind.split(":")[0];
    for (const w of cands) {
      if (w === v || merged.has(w.id) || w.kind.split(":")[0] !== chunk) continue;
      if (w.kind === v.kind && w.members.length > 1) continue;
      const parent = v.members[0]!;
      const child = w.members[0]!;
      if (!impl.groupCmp!({ name: parent.name, params: parent.params }, { name: child.name, params: child.params })) continue;
      const isolated = g.degree(v.id) === 0 || g.degree(w.id) === 0;
      if (!isolated && (reachable(g, v.id, w.id, reach) || reachable(g, w.id, v.id, reach))) continue;
      // merge w into v
      g.removeEdge(v.id, w.id);
      g.removeEdge(w.id, v.id);
      for (const e of [...(g.in.get(w.id)?.values() ?? [])]) g.addEdge(e.from, v.id, e.notify);
      for (const e of [...(g.out.get(w.id)?.values() ?? [])]) g.addEdge(v.id, e.to, e.notify);
      g.removeVertex(w.id);
      v.members.push(...w.members);
      v.meta = { ...v.meta, sema: [...new Set([...v.meta.sema, ...w.meta.sema])] };
      merged.add(w.id);
      merges++;
      if (!isolated) reach = new Map();
    }
    if (v.members.length > 1) v.key = [v.members[0]!.key, ...v.members.slice(1).map((m) => m.key).sort()].join("\n+");
  }
  return merges;
}
