/**
 * Interpret step 4 (mcl-language.md §9): edge records → the graph's edges. Every endpoint
 * must exist, a resource receives each param from one sender only, duplicate edges collapse
 * (notify OR-ed), and the graph must be a DAG.
 */
import type { Span } from "./ast.js";
import { fail } from "./interpret-error.js";
import { vertexName, type Edge } from "./resource-graph.js";

/** An edge record before endpoint lookup (§9 step 1). */
export interface EdgeRec {
  readonly from: { kind: string; name: string };
  readonly to: { kind: string; name: string };
  /** `kind[name]` of each end */
  readonly fromId: string;
  readonly toId: string;
  readonly notify: boolean;
  readonly send?: string;
  readonly recv?: string;
  readonly span: Span;
  /** cached by link: the dedupe key and the frozen Edge this record makes on its own */
  key?: string;
  edge?: Edge;
}

export const edgeRec = (from: { kind: string; name: string }, to: { kind: string; name: string }, notify: boolean, span: Span): EdgeRec => ({
  from,
  to,
  fromId: vertexName(from),
  toId: vertexName(to),
  notify,
  span,
});

/** The graph's `kind[name]`s as link needs them. */
export interface VertexIds {
  /** every `kind[name]` → a dense index (0…n-1), for the cycle check */
  readonly index: ReadonlyMap<string, number>;
  /** the names whose every vertex is hidden (they cannot send) */
  readonly hiddenOnly: ReadonlySet<string>;
}

/** The edges of the graph, unsorted; fails on a missing endpoint, a duplicate receive or a cycle. */
export function link(recs: readonly EdgeRec[], ids: VertexIds): Edge[] {
  const edges = new Map<string, { e: Edge; span: Span }>();
  const receivers = new Map<string, string>();
  for (const r of recs) {
    const fromId = r.fromId, toId = r.toId;
    if (!ids.index.has(fromId)) fail("E-INTERPRET-EDGE", `edge cannot find resource kind: ${r.from.kind} named: \`${r.from.name}\``, r.span);
    if (!ids.index.has(toId)) fail("E-INTERPRET-EDGE", `edge cannot find resource kind: ${r.to.kind} named: \`${r.to.name}\``, r.span);
    if (r.send !== undefined) {
      if (ids.hiddenOnly.has(fromId)) fail("E-INTERPRET-SENDRECV", `cannot send from hidden resource: ${fromId}`, r.span);
      const rk = `${toId}\0${r.recv}`;
      const prevSender = receivers.get(rk);
      if (prevSender !== undefined && prevSender !== `${fromId}.${r.send}`) {
        fail("E-INTERPRET-SENDRECV", `${toId} has duplicate receive on: \`${r.recv}\` param`, r.span);
      }
      receivers.set(rk, `${fromId}.${r.send}`);
    }
    const k = (r.key ??= `${fromId}\0${toId}\0${r.send ?? ""}\0${r.recv ?? ""}`);
    const prev = edges.get(k);
    if (prev && (prev.e.notify || !r.notify)) continue; // duplicates collapse, notify OR-ed
    const e = (r.edge ??= Object.freeze<Edge>({ from: fromId, to: toId, notify: r.notify, ...(r.send === undefined ? {} : { send: r.send, recv: r.recv! }) }));
    edges.set(k, { e, span: prev?.span ?? r.span });
  }
  const list = [...edges.values()];
  if (!acyclic(ids.index, list)) checkAcyclic(list);
  return list.map((x) => x.e);
}

/** Kahn's algorithm over vertex indices: true when the edges make a DAG (the common case, kept cheap). */
function acyclic(index: ReadonlyMap<string, number>, edges: readonly { e: Edge }[]): boolean {
  if (edges.length === 0) return true;
  const n = index.size;
  const indeg = new Int32Array(n);
  const start = new Int32Array(n + 1);
  const from = new Int32Array(edges.length), to = new Int32Array(edges.length);
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!.e;
    from[i] = index.get(e.from)!;
    to[i] = index.get(e.to)!;
    start[from[i]! + 1]!++;
    indeg[to[i]!]!++;
  }
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const adj = new Int32Array(edges.length);
  for (let i = 0; i < edges.length; i++) adj[fill[from[i]!]!++] = to[i]!;
  const queue = new Int32Array(n);
  let head = 0, tail = 0;
  for (let v = 0; v < n; v++) if (indeg[v] === 0) queue[tail++] = v;
  while (head < tail) {
    const v = queue[head++]!;
    for (let j = start[v]!; j < start[v + 1]!; j++) if (--indeg[adj[j]!]! === 0) queue[tail++] = adj[j]!;
  }
  return tail === n;
}

/** Finds a cycle and fails with it (`resource graph has cycles: a -> b -> a`). */
function checkAcyclic(edges: readonly { e: Edge; span: Span }[]): void {
  const out = new Map<string, { to: string; span: Span }[]>();
  for (const { e, span } of edges) {
    const l = out.get(e.from);
    if (l) l.push({ to: e.to, span });
    else out.set(e.from, [{ to: e.to, span }]);
  }
  const state = new Map<string, 1 | 2>();
  for (const start of [...out.keys()].sort()) {
    if (state.has(start)) continue;
    const stack: { n: string; i: number; via?: Span }[] = [{ n: start, i: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top.n)?.[top.i];
      if (!next) {
        state.set(top.n, 2);
        stack.pop();
        continue;
      }
      top.i++;
      const s = state.get(next.to);
      if (s === 1) {
        const from = stack.findIndex((f) => f.n === next.to);
        const cycle = [...stack.slice(from).map((f) => f.n), next.to];
        fail("E-INTERPRET-CYCLE", `resource graph has cycles: ${cycle.join(" -> ")}`, next.span);
      }
      if (s === undefined) {
        state.set(next.to, 1);
        stack.push({ n: next.to, i: 0, via: next.span });
      }
    }
  }
}
