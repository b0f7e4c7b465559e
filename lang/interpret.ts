/**
 * Interpret (mcl-language.md §9): one table + the program's output model → a ResourceGraph, or
 * the first `interpret` diagnostic. A pure function of its inputs.
 *
 *  1. walk the output model (only the taken `if` branches and the current loop bodies, read from
 *     the table) collecting resources (one per name for `[]str` names) and edge records;
 *  2. build each resource: fields whose condition holds, metaparams with defaults, ranges and
 *     validation, the `$`-name rule, the kind's own Validate (`test`: validatebool/validateerror);
 *  3. dedupe: exports per (kind, name, host), hidden resources apart, identical duplicates merged,
 *     `pkg` merged when compatible, anything else inequivalent is an error;
 *  4. edges (cross products, duplicates OR-ed), send/recv checks, and the graph must be a DAG.
 */
import type { Span } from "./ast.js";
import { diag, type Diagnostic, type Note } from "./diagnostics.js";
import type { OutEdge, OutProg, OutRes, ValueLookup } from "./program-output.js";
import { makeGraph, makeVertex, META_DEFAULTS, vertexName, type Edge, type Meta, type ResourceGraph, type Vertex } from "./resource-graph.js";
import { isCatchable, isFunc, isStruct, printValue, valueEquals, type StructValue, type Value } from "./values.js";
import { getKind } from "../stdlib/registry.js";
import { buildResource, type BuiltRes, type ResBuildError } from "./interpret-build.js";

export type InterpretResult = { readonly graph: ResourceGraph } | { readonly diagnostics: readonly Diagnostic[] };

/** An edge record before endpoint lookup (§9 step 1). */
interface EdgeRec {
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

class InterpretError {
  constructor(readonly diagnostic: Diagnostic) {}
}

function fail(code: string, message: string, span: Span | undefined, notes?: readonly Note[]): never {
  throw new InterpretError(diag("interpret", code, message, span, notes));
}

/** Interpret one table. */
export function interpret(out: OutProg, table: ValueLookup): InterpretResult {
  try {
    return { graph: new Interpreter(table).run(out) };
  } catch (e) {
    if (e instanceof InterpretError) return { diagnostics: [e.diagnostic] };
    throw e;
  }
}

/** A built resource with its `kind[name]`, and its vertex once made (cached with the memo). */
interface Res extends BuiltRes {
  readonly id: string;
  vertex?: Vertex;
}

/**
 * What one resource or edge statement instance produced from the values it read, kept per output
 * item across tables: when a new table holds the very same values (the evaluator keeps unchanged
 * values, so identity is enough), the resources, edge records and vertices are reused. Interpret
 * stays a pure function of (output model, table); this only skips recomputing equal results.
 */
interface Memo {
  readonly inputs: readonly unknown[];
  readonly resources: readonly Res[];
  readonly edges: readonly EdgeRec[];
}
const memos = new WeakMap<OutRes | OutEdge, Memo>();
/** the edge records of a resource statement's edge items, memoised apart from its fields */
const edgeMemos = new WeakMap<OutRes, Memo>();

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const edgeRec = (from: { kind: string; name: string }, to: { kind: string; name: string }, notify: boolean, span: Span): EdgeRec => ({
  from,
  to,
  fromId: vertexName(from),
  toId: vertexName(to),
  notify,
  span,
});

class Interpreter {
  private readonly resources: Res[] = [];
  private readonly edges: EdgeRec[] = [];

  constructor(private readonly table: ValueLookup) {}

  run(out: OutProg): ResourceGraph {
    this.walk(out);
    const { vertices, byName } = this.dedupe();
    const edges = this.link(byName);
    return makeGraph(vertices, edges);
  }

  private value(id: string, span: Span): Value {
    const r = this.table.result(id);
    if (r === undefined) fail("E-INTERPRET-INTERNAL", "internal: a value is missing from the table", span);
    if (isCatchable(r)) fail("E-INTERPRET-INTERNAL", `internal: unexpected error value: ${r.message}`, r.span ?? span);
    return r;
  }

  private names(v: Value): string[] {
    return typeof v === "string" ? [v] : (v as readonly Value[]).map((x) => x as string);
  }

  // ---- step 1

  private walk(p: OutProg): void {
    for (const it of p.items) {
      switch (it.k) {
        case "res":
          this.res(it);
          break;
        case "edge":
          this.edge(it);
          break;
        case "prog":
          this.walk(it.prog);
          break;
        case "switch": {
          const tok = this.value(it.node, it.span);
          if (!isFunc(tok)) fail("E-INTERPRET-INTERNAL", "internal: a structural node has no structure", it.span);
          const impl = tok.impl as OutProg | readonly OutProg[];
          if (Array.isArray(impl)) for (const q of impl as readonly OutProg[]) this.walk(q);
          else this.walk(impl as OutProg);
          break;
        }
      }
    }
  }

  private cond(id: string | undefined, span: Span): boolean {
    return id === undefined || this.value(id, span) === true;
  }

  /**
   * The table values a resource statement reads, in a fixed order (for the memos): the name, then
   * the fields and metas (`what = "res"`) or the edge items (`what = "edges"`).
   */
  private resInputs(r: OutRes, what: "res" | "edges"): unknown[] {
    const t = this.table;
    const out: unknown[] = [t.result(r.name)];
    if (what === "res") {
      for (const f of r.fields) out.push(f.cond === undefined ? undefined : t.result(f.cond), t.result(f.value));
      for (const m of r.metas) out.push(m.cond === undefined ? undefined : t.result(m.cond), t.result(m.value));
    } else {
      for (const e of r.edges) out.push(e.cond === undefined ? undefined : t.result(e.cond), t.result(e.name));
    }
    return out;
  }

  private res(r: OutRes): void {
    const inputs = this.resInputs(r, "res");
    const memo = memos.get(r);
    if (memo && sameInputs(memo.inputs, inputs)) {
      for (const x of memo.resources) this.resources.push(x);
    } else {
      const r0 = this.resources.length;
      this.buildRes(r);
      memos.set(r, { inputs, resources: this.resources.slice(r0), edges: [] });
    }
    if (r.edges.length === 0) return;
    const edgeInputs = this.resInputs(r, "edges");
    const em = edgeMemos.get(r);
    if (em && sameInputs(em.inputs, edgeInputs)) {
      for (const x of em.edges) this.edges.push(x);
      return;
    }
    const e0 = this.edges.length;
    this.resEdges(r);
    edgeMemos.set(r, { inputs: edgeInputs, resources: [], edges: this.edges.slice(e0) });
  }

  /** The edge records of a resource's `Before/Depend/Notify/Listen` items, for every name. */
  private resEdges(r: OutRes): void {
    const s = r.stmt;
    for (const t of this.targets(r)) {
      for (const e of r.edges) {
        if (!this.cond(e.cond, e.span)) continue;
        for (const other of this.names(this.value(e.name, e.span))) {
          const self = { kind: s.kindName, name: t.name };
          const tgt = { kind: e.kind, name: other };
          const forward = e.prop === "before" || e.prop === "notify";
          const notify = e.prop === "notify" || e.prop === "listen";
          this.edges.push(forward ? edgeRec(self, tgt, notify, e.span) : edgeRec(tgt, self, notify, e.span));
        }
      }
    }
  }

  /** The resources a statement makes: one per name (`collect`: per collected struct). */
  private targets(r: OutRes): { name: string; base?: StructValue }[] {
    const s = r.stmt;
    const nameVal = this.value(r.name, s.name.span);
    // collect: []struct{name; host; data}; otherwise str or []str
    return s.collect && Array.isArray(nameVal)
      ? (nameVal as readonly Value[]).filter(isStructValue).map((x) => ({ name: String(x.get("name")), base: x }))
      : this.names(nameVal).map((name) => ({ name }));
  }

  private buildRes(r: OutRes): void {
    const s = r.stmt;
    const targets = this.targets(r);
    const fields: [string, Value, Span][] = [];
    for (const f of r.fields) if (this.cond(f.cond, f.span)) fields.push([f.name, this.value(f.value, f.span), f.span]);
    const metas: [string | undefined, Value, Span][] = [];
    for (const m of r.metas) if (this.cond(m.cond, m.span)) metas.push([m.prop, this.value(m.value, m.span), m.span]);
    for (const t of targets) {
      const built = buildResource(s.kindName, t.name, fields, metas, s.collect);
      if ("error" in built) this.buildFail(built, s.kindName, t.name, s.span);
      this.resources.push({ kind: built.kind, name: built.name, params: built.params, meta: built.meta, span: s.span, id: vertexName(built) });
    }
  }

  private buildFail(e: ResBuildError, kind: string, name: string, span: Span): never {
    if (e.error === "kind") fail("E-INTERPRET-KIND", `cannot create resource kind \`${kind}\`: no resource kind \`${kind}\` available`, span);
    fail(e.code, e.plain ? e.message : `${kind}[${name}] did not Validate: ${e.message}`, span);
  }

  private edge(e: OutEdge): void {
    const inputs = e.halves.map((h) => this.table.result(h.name));
    const memo = memos.get(e);
    if (memo && sameInputs(memo.inputs, inputs)) {
      for (const x of memo.edges) this.edges.push(x);
      return;
    }
    const e0 = this.edges.length;
    this.buildEdge(e);
    memos.set(e, { inputs, resources: [], edges: this.edges.slice(e0) });
  }

  private buildEdge(e: OutEdge): void {
    const halves = e.halves.map((h) => ({ h, names: this.names(this.value(h.name, h.span)) }));
    const sendRecv = halves.length === 2 && halves[0]!.h.field !== undefined && halves[1]!.h.field !== undefined;
    for (let i = 0; i + 1 < halves.length; i++) {
      const a = halves[i]!, b = halves[i + 1]!;
      for (const an of a.names) {
        for (const bn of b.names) {
          const rec = edgeRec({ kind: a.h.kind, name: an }, { kind: b.h.kind, name: bn }, false, e.stmt.span);
          this.edges.push(sendRecv ? { ...rec, send: a.h.field!, recv: b.h.field! } : rec);
        }
      }
    }
  }

  // ---- step 2/3

  private dedupe(): { vertices: Vertex[]; byName: Map<string, Vertex[]> } {
    const kept = new Map<string, Res>();
    const hidden: Res[] = [];
    const lastHidden = new Map<string, Res>();
    const exports = new Map<string, Res>();
    for (const r of this.resources) {
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
    const byName = new Map<string, Vertex[]>();
    for (const r of [...kept.values(), ...hidden]) {
      const v = (r.vertex ??= makeVertex(r.kind, r.name, r.params, r.meta));
      vertices.push(v);
      const id = r.id;
      const l = byName.get(id);
      if (l) l.push(v);
      else byName.set(id, [v]);
    }
    return { vertices, byName };
  }

  // ---- step 4–6

  private link(byName: Map<string, Vertex[]>): Edge[] {
    const edges = new Map<string, { e: Edge; span: Span }>();
    const receivers = new Map<string, string>();
    for (const r of this.edges) {
      const fromId = r.fromId, toId = r.toId;
      const from = byName.get(fromId);
      if (!from) fail("E-INTERPRET-EDGE", `edge cannot find resource kind: ${r.from.kind} named: \`${r.from.name}\``, r.span);
      if (!byName.has(toId)) fail("E-INTERPRET-EDGE", `edge cannot find resource kind: ${r.to.kind} named: \`${r.to.name}\``, r.span);
      if (r.send !== undefined) {
        if (from.every((v) => v.hidden)) fail("E-INTERPRET-SENDRECV", `cannot send from hidden resource: ${fromId}`, r.span);
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
    if (!acyclic(byName, list)) checkAcyclic(list);
    return list.map((x) => x.e);
  }
}

function isStructValue(v: Value): v is StructValue {
  return isStruct(v);
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

/** Kahn's algorithm over vertex indices: true when the edges make a DAG (the common case, kept cheap). */
function acyclic(byName: ReadonlyMap<string, readonly Vertex[]>, edges: readonly { e: Edge }[]): boolean {
  if (edges.length === 0) return true;
  const index = new Map<string, number>();
  for (const id of byName.keys()) index.set(id, index.size);
  const n = index.size;
  const indeg = new Int32Array(n);
  const start = new Int32Array(n + 1);
  const from = new Int32Array(edges.length), to = new Int32Array(edges.length);
  edges.forEach(({ e }, i) => {
    from[i] = index.get(e.from)!;
    to[i] = index.get(e.to)!;
    start[from[i]! + 1]!++;
    indeg[to[i]!]!++;
  });
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
