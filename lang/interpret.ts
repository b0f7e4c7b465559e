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
import type { Diagnostic } from "./diagnostics.js";
import { decodeExport } from "./export-codec.js";
import { buildResource, type ResBuildError } from "./interpret-build.js";
import { dedupe, type Res } from "./interpret-dedupe.js";
import { fail, InterpretError } from "./interpret-error.js";
import { edgeRec, link, type EdgeRec, type VertexIds } from "./interpret-link.js";
import type { OutEdge, OutProg, OutRes, ValueLookup } from "./program-output.js";
import { compareEdges, compareVertices, makeVertex, sealGraph, vertexName, type Edge, type ResourceGraph, type Vertex } from "./resource-graph.js";
import { isCatchable, isFunc, isStruct, type StructValue, type Value } from "./values.js";

export type InterpretResult = { readonly graph: ResourceGraph } | { readonly diagnostics: readonly Diagnostic[] };

/** Interpret one table. */
export function interpret(out: OutProg, table: ValueLookup): InterpretResult {
  try {
    return { graph: new Interpreter(table).run(out) };
  } catch (e) {
    if (e instanceof InterpretError) return { diagnostics: [e.diagnostic] };
    throw e;
  }
}

/**
 * What one resource or edge statement instance produced from the values it read, kept per output
 * item across tables: when a new table holds the very same values (the evaluator keeps unchanged
 * values, so identity is enough), the resources, edge records and vertices are reused. Interpret
 * stays a pure function of (output model, table); this only skips recomputing equal results.
 */
class Memo {
  /**
   * The values read last time, in a fixed order: a resource statement's name, then (condition,
   * value) per field and per meta; an edge statement's halves. Updated in place as they are read.
   */
  readonly inputs: unknown[] = [];
  /** what those values made; undefined until made, and while a build of new values is under way */
  resources: readonly Res[] | undefined = undefined;
  /** the `kind[name]` of each resource, valid while the name value stays the same */
  ids: readonly string[] = [];
  /** a resource statement's edge items apart from its fields: its name, then (condition, names) per item */
  readonly edgeInputs: unknown[] = [];
  edges: readonly EdgeRec[] | undefined = undefined;
}
const memos = new WeakMap<OutRes | OutEdge, Memo>();

function memoOf(x: OutRes | OutEdge): Memo {
  let m = memos.get(x);
  if (m === undefined) memos.set(x, (m = new Memo()));
  return m;
}

/** Write `v` at `into[i]`; true when it was already there (same identity). */
function keep(into: unknown[], i: number, v: unknown): boolean {
  if (i < into.length && into[i] === v) return true;
  into[i] = v;
  return false;
}

/**
 * The last graph interpreted from an output model, with what it was made of. When the next walk
 * yields the same resource names in the same order and the last graph was plain (see `plain`
 * in interpret-dedupe.ts), its vertex order and name index still hold: only the vertices that
 * changed are new, and when the edge records are the very same ones, so are the edges (they
 * depend only on the records and the names). So a graph costs O(changed resources) plus O(V)
 * pointer checks, instead of a dedupe, a sort and a link.
 */
interface Last {
  readonly resources: readonly Res[];
  readonly edges: readonly EdgeRec[];
  readonly graph: ResourceGraph;
  /** for a plain graph: vertex k of the graph is made from `resources[order[k]]` */
  readonly order: Int32Array | undefined;
  readonly ids: VertexIds;
}
const lasts = new WeakMap<OutProg, Last>();

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

class Interpreter {
  private readonly resources: Res[] = [];
  private readonly edges: EdgeRec[] = [];

  constructor(private readonly table: ValueLookup) {}

  run(out: OutProg): ResourceGraph {
    this.walk(out);
    const last = lasts.get(out);
    const next = (last && this.reuse(last)) ?? this.build();
    lasts.set(out, next);
    return next.graph;
  }

  /** Steps 3 and 4 from scratch. */
  private build(): Last {
    const { vertices, ids, plain } = dedupe(this.resources);
    const edges = link(this.edges, ids).sort(compareEdges);
    if (!plain) return { resources: this.resources, edges: this.edges, graph: sealGraph([...vertices].sort(compareVertices), edges), order: undefined, ids };
    const order = Int32Array.from(vertices.keys()).sort((a, b) => compareVertices(vertices[a]!, vertices[b]!));
    const sorted = Array.from(order, (i) => vertices[i]!);
    return { resources: this.resources, edges: this.edges, graph: sealGraph(sorted, edges), order, ids };
  }

  /** Steps 3 and 4 from the last plain graph when the names are the same, in the same order; else undefined. */
  private reuse(last: Last): Last | undefined {
    const { order, ids } = last;
    const rs = this.resources, prev = last.resources;
    if (order === undefined || rs.length !== prev.length) return undefined;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i]!;
      if (r.id !== prev[i]!.id || r.meta.hidden || r.meta.export.length > 0) return undefined;
    }
    const old = last.graph.vertices;
    const vertices = new Array<Vertex>(rs.length);
    let same = true;
    for (let k = 0; k < order.length; k++) {
      const r = rs[order[k]!]!;
      const v = (r.vertex ??= makeVertex(r.kind, r.name, r.params, r.meta));
      vertices[k] = v;
      if (v !== old[k]) same = false;
    }
    const sameEdges = sameInputs(this.edges, last.edges);
    const edges: readonly Edge[] = sameEdges ? last.graph.edges : link(this.edges, ids).sort(compareEdges);
    const graph = same && sameEdges ? last.graph : sealGraph(same ? old : vertices, edges);
    return { resources: rs, edges: this.edges, graph, order, ids };
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

  /** A value read by `keep` (undefined for a missing condition): checked as `value` does. */
  private checked(r: unknown, span: Span): Value {
    if (r === undefined) fail("E-INTERPRET-INTERNAL", "internal: a value is missing from the table", span);
    if (isCatchable(r)) fail("E-INTERPRET-INTERNAL", `internal: unexpected error value: ${r.message}`, r.span ?? span);
    return r as Value;
  }

  private res(r: OutRes): void {
    const t = this.table;
    const m = memoOf(r);
    // read every input once, into the memo, noting whether any changed
    const inputs = m.inputs;
    const sameName = keep(inputs, 0, t.result(r.name));
    let same = sameName;
    let i = 1;
    for (const f of r.fields) {
      if (!keep(inputs, i++, f.cond === undefined ? undefined : t.result(f.cond))) same = false;
      if (!keep(inputs, i++, t.result(f.value))) same = false;
    }
    for (const x of r.metas) {
      if (!keep(inputs, i++, x.cond === undefined ? undefined : t.result(x.cond))) same = false;
      if (!keep(inputs, i++, t.result(x.value))) same = false;
    }
    if (!same || m.resources === undefined) {
      m.resources = undefined; // a failing build must not leave a memo of these inputs
      const r0 = this.resources.length;
      this.buildRes(r, m, sameName);
      m.resources = this.resources.slice(r0);
    } else {
      for (const x of m.resources) this.resources.push(x);
    }
    if (r.edges.length === 0) return;
    const ei = m.edgeInputs;
    let sameEdges = keep(ei, 0, inputs[0]);
    i = 1;
    for (const e of r.edges) {
      if (!keep(ei, i++, e.cond === undefined ? undefined : t.result(e.cond))) sameEdges = false;
      if (!keep(ei, i++, t.result(e.name))) sameEdges = false;
    }
    this.memoEdges(m, sameEdges, () => this.resEdges(r));
  }

  /** The memo's edge records when its inputs were the same, else `build` them and keep them. */
  private memoEdges(m: Memo, same: boolean, build: () => void): void {
    if (same && m.edges !== undefined) {
      for (const x of m.edges) this.edges.push(x);
      return;
    }
    m.edges = undefined; // a failing build must not leave a memo of these inputs
    const e0 = this.edges.length;
    build();
    m.edges = this.edges.slice(e0);
  }

  /** The edge records of a resource's `Before/Depend/Notify/Listen` items, for every name. */
  private resEdges(r: OutRes): void {
    const s = r.stmt;
    for (const t of this.targets(r, this.value(r.name, s.name.span))) {
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
  private targets(r: OutRes, nameVal: Value): { name: string; base?: StructValue }[] {
    const s = r.stmt;
    // collect: []struct{name; host; data}; otherwise str or []str
    return s.collect && Array.isArray(nameVal)
      ? (nameVal as readonly Value[]).filter(isStructValue).map((x) => ({ name: String(x.get("name")), base: x }))
      : this.names(nameVal).map((name) => ({ name }));
  }

  /** Build a resource statement's resources from the values `res` read into `m.inputs`. */
  private buildRes(r: OutRes, m: Memo, sameName: boolean): void {
    const s = r.stmt;
    const inputs = m.inputs;
    if (!sameName) m.ids = [];
    const targets = this.targets(r, this.checked(inputs[0], s.name.span));
    const fields: [string, Value, Span][] = [];
    let i = 1;
    for (const f of r.fields) {
      const c = inputs[i++], v = inputs[i++];
      if (c === undefined || this.checked(c, f.span) === true) fields.push([f.name, this.checked(v, f.span), f.span]);
    }
    const metas: [string | undefined, Value, Span][] = [];
    for (const x of r.metas) {
      const c = inputs[i++], v = inputs[i++];
      if (c === undefined || this.checked(c, x.span) === true) metas.push([x.prop, this.checked(v, x.span), x.span]);
    }
    // the same name value makes the same names: keep their `kind[name]` strings
    const ids = sameName && m.ids.length === targets.length ? m.ids : [];
    for (let j = 0; j < targets.length; j++) {
      const t = targets[j]!;
      const built = buildResource(s.kindName, t.name, t.base ? [...this.collected(t.base, s.kindName, s.span), ...fields] : fields, metas, s.collect);
      if ("error" in built) this.buildFail(built, s.kindName, t.name, s.span);
      const id = ids === m.ids ? ids[j]! : vertexName(built);
      if (ids !== m.ids) (ids as string[]).push(id);
      this.resources.push({ kind: built.kind, name: built.name, params: built.params, meta: built.meta, span: s.span, id, vertex: undefined });
    }
    m.ids = ids;
  }

  /** The params a collected resource was exported with: its base, which the body overrides (§3.10). */
  private collected(base: StructValue, kind: string, span: Span): [string, Value, Span][] {
    const params = decodeExport(String(base.get("data") ?? ""));
    if (typeof params === "string") fail("E-INTERPRET-COLLECT", `collected ${kind}[${String(base.get("name"))}] from ${String(base.get("host"))}: ${params}`, span);
    return Object.entries(params).map(([k, v]) => [k, v, span]);
  }

  private buildFail(e: ResBuildError, kind: string, name: string, span: Span): never {
    if (e.error === "kind") fail("E-INTERPRET-KIND", `cannot create resource kind \`${kind}\`: no resource kind \`${kind}\` available`, span);
    fail(e.code, e.plain ? e.message : `${kind}[${name}] did not Validate: ${e.message}`, span);
  }

  private edge(e: OutEdge): void {
    const m = memoOf(e);
    let same = true;
    for (let i = 0; i < e.halves.length; i++) if (!keep(m.inputs, i, this.table.result(e.halves[i]!.name))) same = false;
    this.memoEdges(m, same, () => this.buildEdge(e));
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
}

function isStructValue(v: Value): v is StructValue {
  return isStruct(v);
}
