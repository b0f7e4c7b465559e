/**
 * Autoedges (engine-reference.md §2.5). Kinds describe what a resource *is* (`uids`) and what it
 * wants to depend on (`seeks`, one list of candidates per wish, most specific first); the engine
 * does the matching. Only vertices of edgeable kinds with `Meta:autoedge` (default true) take part,
 * on both ends. For each wish, the first candidate uid that some other eligible vertex provides
 * wins (file: the nearest managed ancestor directory) and one edge is added: provider → seeker
 * (or seeker → provider when the kind says `before: false`). Cycles are caught later by the
 * topological sort, which rejects the whole new graph.
 */
import { getKindImpl, type KindImpl } from "./resource.js";
import type { PlanGraph, PlanVertex } from "./plan-graph.js";

type AutoEdgeSpec = ReturnType<NonNullable<KindImpl["autoedges"]>>;

/** Per vertex key: the kind's answer, reused across swaps so unchanged vertices cost one lookup. */
export type AutoEdgeCache = Map<string, AutoEdgeSpec>;

/** Add autoedges to `g` in place; returns the cache entries used (to become the next cache). Throws when a kind's `autoedges` throws. */
export function addAutoEdges(g: PlanGraph, cache: AutoEdgeCache): AutoEdgeCache {
  const used: AutoEdgeCache = new Map();
  const eligible: [PlanVertex, AutoEdgeSpec][] = [];
  const errors: string[] = [];
  for (const v of g.vertices.values()) {
    if (v.hidden || v.reversal || !v.meta.autoedge || v.members.length !== 1) continue;
    const impl = getKindImpl(v.kind);
    if (!impl?.autoedges) continue;
    let spec = cache.get(v.vertex.key) ?? used.get(v.vertex.key);
    if (!spec) {
      try {
        spec = impl.autoedges(v.name, v.vertex.params);
      } catch (e) {
        errors.push(`${v.id}: autoedges: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
    }
    used.set(v.vertex.key, spec);
    eligible.push([v, spec]);
  }
  if (errors.length > 0) throw new Error(errors.join("; "));
  eligible.sort((a, b) => (a[0].id < b[0].id ? -1 : a[0].id > b[0].id ? 1 : 0));
  // by kind, then key: no string built per uid (a swap of 1,000 files looks up 4,000)
  const providers = new Map<string, Map<string, PlanVertex[]>>();
  for (const [v, spec] of eligible) {
    for (const u of spec.uids) {
      let byKey = providers.get(u.kind);
      if (!byKey) providers.set(u.kind, (byKey = new Map()));
      const list = byKey.get(u.key);
      if (list) list.push(v);
      else byKey.set(u.key, [v]);
    }
  }
  for (const [v, spec] of eligible) {
    for (const wish of spec.seeks) {
      for (const u of wish) {
        const cand = providers.get(u.kind)?.get(u.key)?.find((c) => c !== v);
        if (!cand) continue;
        const [from, to] = spec.before === false ? [v.id, cand.id] : [cand.id, v.id];
        if (!g.hasEdge(from, to)) g.addEdge(from, to, false, undefined, true);
        break;
      }
    }
  }
  return used;
}
