/**
 * Per-prog ordering (mcl-language.md §6.3, mgmt `StmtProg.SetScope` ordering graph): every
 * statement of one prog produces names (`var:x`, `func:f`, `class:c`, `scoped:alias`) and consumes
 * names (`$x`, `f()`, `include c`, `alias.` prefixes). Producers link to consumers; the statements
 * are then visited in a deterministic topological order (dependencies first, otherwise source
 * order). Duplicate producers and cycles (recursion) are scope errors.
 *
 * Also home of the `class a:b` nesting sugar (§2.2), which is a per-prog rewrite.
 */
import type { Expr, Span, Stmt, StmtClass, EdgeHalf } from "./ast.js";
import { assertNever } from "./ast.js";
import { diag, type Diagnostic, type Note } from "./diagnostics.js";
import { importAlias } from "./modules.js";

export type Namespace = "var" | "func" | "class" | "scoped";

/**
 * A reference from a statement to a name it consumes: `name` in namespace `ns`. A dotted name
 * (`$a.b`, `a.f()`, `include a.c`) also consumes its prefix in "scoped"; `written` keeps the
 * reference as written, for the recursion notes. Names are not joined into `ns:name` keys here:
 * building and hashing one string per reference was most of the ordering's cost (docs/benchmarks.md).
 */
export interface Ref {
  readonly ns: Namespace;
  readonly name: string;
  readonly span: Span;
  readonly written: { readonly ns: Namespace; readonly name: string };
}

/** `var:x`, `func:fmt.printf`, `scoped:fmt`: how diagnostics name a ref's target. */
function keyOf(ns: Namespace, name: string): string {
  return `${ns}:${name}`;
}

/** Byline text for recursion notes: `$x`, `f()`, `include c`. */
function what(r: Ref): string {
  const w = r.written;
  return w.ns === "var" ? `$${w.name}` : w.ns === "func" ? `${w.name}()` : w.ns === "class" ? `include ${w.name}` : w.name;
}

/**
 * Four maps, one per namespace, keyed by plain names. Fields rather than a `Record` indexed by the
 * namespace string: a keyed load per lookup was megamorphic on this hot path.
 */
class NameTable<V> {
  private readonly vars = new Map<string, V>();
  private readonly funcs = new Map<string, V>();
  private readonly classes = new Map<string, V>();
  private readonly scoped = new Map<string, V>();
  private map(ns: Namespace): Map<string, V> {
    return ns === "var" ? this.vars : ns === "func" ? this.funcs : ns === "class" ? this.classes : this.scoped;
  }
  get(ns: Namespace, name: string): V | undefined {
    return this.map(ns).get(name);
  }
  set(ns: Namespace, name: string, v: V): void {
    this.map(ns).set(name, v);
  }
}

export interface Ordering {
  /** the statements (after class nesting sugar) in topological order */
  readonly order: readonly Stmt[];
  readonly diagnostics: readonly Diagnostic[];
  /** statements involved in a cycle or a duplicate: the checker skips nothing, but knows to guard */
  readonly broken: boolean;
}

const sugarCache = new WeakMap<readonly Stmt[], readonly Stmt[]>();

/**
 * `class a:b {…}` is moved into the body of class `a` as class `b`, when `a` is defined in the same
 * prog (mgmt: interpolate stage). Memoised per array, so a body keeps its identity across includes.
 */
export function desugarClasses(stmts: readonly Stmt[]): readonly Stmt[] {
  const hit = sugarCache.get(stmts);
  if (hit) return hit;
  let out: readonly Stmt[] = stmts;
  if (stmts.some((s) => s.kind === "class" && s.name.includes(":"))) {
    const names = new Set(stmts.filter((s) => s.kind === "class").map((s) => (s as StmtClass).name));
    const moved = new Map<string, StmtClass[]>();
    const keep: Stmt[] = [];
    for (const s of stmts) {
      if (s.kind === "class" && s.name.includes(":")) {
        const i = s.name.indexOf(":");
        const parent = s.name.slice(0, i);
        if (names.has(parent)) {
          const inner: StmtClass = { ...s, name: s.name.slice(i + 1) };
          const list = moved.get(parent) ?? [];
          list.push(inner);
          moved.set(parent, list);
          continue;
        }
      }
      keep.push(s);
    }
    out = keep.map((s) => {
      if (s.kind !== "class") return s;
      const extra = moved.get(s.name);
      if (!extra) return s;
      moved.delete(s.name); // only the first class of that name gets them (duplicates are an error anyway)
      return { ...s, body: [...s.body, ...extra] };
    });
  }
  sugarCache.set(stmts, out);
  return out;
}

/** The name a statement defines in its prog (a statement defines at most one). */
function producerOf(s: Stmt): { readonly ns: Namespace; readonly name: string } | undefined {
  switch (s.kind) {
    case "bind":
      return { ns: "var", name: s.name };
    case "func":
      return { ns: "func", name: s.name };
    case "class":
      return { ns: "class", name: s.name };
    case "import": {
      if (s.alias === "*") return undefined;
      const a = s.alias ?? importAlias(s.path);
      return a ? { ns: "scoped", name: a } : undefined;
    }
    case "include":
      return s.alias !== undefined ? { ns: "scoped", name: s.alias } : undefined;
    default:
      return undefined;
  }
}

function describe(s: Stmt): string {
  switch (s.kind) {
    case "bind":
      return `bind(${s.name})`;
    case "func":
      return `func(${s.name})`;
    case "class":
      return `class(${s.name})`;
    case "import":
      return `import(${s.path})`;
    case "include":
      return `include(${s.name})`;
    default:
      return s.kind;
  }
}

// ---------------------------------------------------------------------------------------------
// Reference collection

type Bound = ReadonlySet<string>;
const NONE: Bound = new Set();

function withBound(b: Bound, names: readonly string[]): Bound {
  if (names.length === 0) return b;
  const n = new Set(b);
  for (const x of names) n.add(x);
  return n;
}

function pushDotted(out: Ref[], ns: Namespace, name: string, span: Span): void {
  const written = { ns, name };
  out.push({ ns, name, span, written });
  const dot = name.indexOf(".");
  if (dot > 0) out.push({ ns: "scoped", name: name.slice(0, dot), span, written });
}

function exprRefs(e: Expr, bound: Bound, out: Ref[]): void {
  switch (e.kind) {
    case "bool":
    case "int":
    case "float":
    case "str":
      return;
    case "interp":
      for (const p of e.parts) if (typeof p !== "string") exprRefs(p, bound, out);
      return;
    case "list":
      for (const x of e.items) exprRefs(x, bound, out);
      return;
    case "map":
      for (const x of e.entries) {
        exprRefs(x.key, bound, out);
        exprRefs(x.value, bound, out);
      }
      return;
    case "struct":
      for (const x of e.fields) exprRefs(x.value, bound, out);
      return;
    case "var":
      if (!bound.has(e.name)) pushDotted(out, "var", e.name, e.span);
      return;
    case "lambda":
      exprRefs(e.body, withBound(bound, e.params.map((p) => p.name)), out);
      return;
    case "call":
      if (e.callee.kind === "name") pushDotted(out, "func", e.callee.name, e.callee.span);
      else exprRefs(e.callee, bound, out);
      for (const a of e.args) exprRefs(a, bound, out);
      return;
    case "if":
      exprRefs(e.cond, bound, out);
      exprRefs(e.then, bound, out);
      exprRefs(e.else, bound, out);
      return;
    case "binary":
    case "except":
      exprRefs(e.left, bound, out);
      exprRefs(e.right, bound, out);
      return;
    case "not":
      exprRefs(e.operand, bound, out);
      return;
    case "index":
      exprRefs(e.target, bound, out);
      exprRefs(e.index, bound, out);
      return;
    case "field":
      exprRefs(e.target, bound, out);
      if (e.default) exprRefs(e.default, bound, out);
      return;
    case "paren":
      exprRefs(e.inner, bound, out);
      return;
    default:
      assertNever(e);
  }
}

function halfRefs(h: EdgeHalf, out: Ref[]): void {
  exprRefs(h.name, NONE, out);
}

/**
 * Consumers of a nested prog: its statements' refs minus what the prog itself (or `bound`)
 * provides. The statements' refs come from the per-statement cache, so ordering the nested prog
 * later (orderProg of a class, if or for body) does not walk its expressions again.
 */
function progRefs(stmts: readonly Stmt[], bound: Bound, out: Ref[]): void {
  const body = desugarClasses(stmts);
  const local = new NameTable<true>();
  for (const s of body) {
    const p = producerOf(s);
    if (p) local.set(p.ns, p.name, true);
  }
  for (const s of body) {
    for (const r of refsOf(s)) {
      if (local.get(r.ns, r.name)) continue;
      if (r.ns === "var" && bound.has(r.name)) continue;
      out.push(r);
    }
  }
}

const refsCache = new WeakMap<Stmt, readonly Ref[]>();

/** Every name a statement consumes, computed once per statement (a statement is ordered in its prog and walked as part of every enclosing prog). */
function refsOf(s: Stmt): readonly Ref[] {
  let refs = refsCache.get(s);
  if (refs === undefined) {
    const out: Ref[] = [];
    stmtRefs(s, out);
    refsCache.set(s, (refs = out));
  }
  return refs;
}

/** Every name a statement consumes (nested progs contribute what they don't define themselves). */
function stmtRefs(s: Stmt, out: Ref[]): void {
  switch (s.kind) {
    case "bind":
      exprRefs(s.value, NONE, out);
      return;
    case "res":
      exprRefs(s.name, NONE, out);
      for (const it of s.items) {
        if (it.cond) exprRefs(it.cond, NONE, out);
        if (it.kind === "edge") halfRefs(it.target, out);
        else exprRefs(it.value, NONE, out);
      }
      return;
    case "edge":
      for (const h of s.halves) halfRefs(h, out);
      return;
    case "if":
      exprRefs(s.cond, NONE, out);
      progRefs(s.then, NONE, out);
      if (s.else) progRefs(s.else, NONE, out);
      return;
    case "for":
      exprRefs(s.expr, NONE, out);
      progRefs(s.body, new Set([s.key, s.val]), out);
      return;
    case "func":
      exprRefs(s.body, new Set(s.params.map((p) => p.name)), out);
      return;
    case "class":
      progRefs(s.body, new Set((s.params ?? []).map((p) => p.name)), out);
      return;
    case "include":
      pushDotted(out, "class", s.name, s.nameSpan);
      for (const a of s.args ?? []) exprRefs(a, NONE, out);
      return;
    case "import":
      return;
    case "panic":
      for (const a of s.args) exprRefs(a, NONE, out);
      return;
    default:
      assertNever(s);
  }
}

// ---------------------------------------------------------------------------------------------

const orderCache = new WeakMap<readonly Stmt[], Ordering>();

/**
 * Order one prog's statements (memoised per statement array, so a class body included many times
 * reports its ordering errors once).
 */
export function orderProg(stmtsIn: readonly Stmt[]): Ordering {
  const hit = orderCache.get(stmtsIn);
  if (hit) return hit;
  const stmts = desugarClasses(stmtsIn);
  const diagnostics: Diagnostic[] = [];
  let broken = false;
  const producer = new NameTable<number>();
  stmts.forEach((s, i) => {
    const p = producerOf(s);
    if (p) {
      const prev = producer.get(p.ns, p.name);
      if (prev !== undefined) {
        const key = keyOf(p.ns, p.name);
        broken = true;
        const first = stmts[prev]!;
        const msg =
          s.kind === "class" && first.kind === "class"
            ? `duplicate class name of: \`${s.name}\``
            : s.kind === "import" && p.ns === "scoped"
              ? `import \`${p.name}\` already exists in this scope` // §12 wording
              : `could not generate ordering: duplicate assignment to \`${key}\`, have: ${describe(first)}`;
        diagnostics.push(diag("scope", "E-SCOPE-DUPLICATE", msg, s.span, [{ message: `\`${key}\` first defined here`, span: first.span }]));
        return;
      }
      producer.set(p.ns, p.name, i);
    }
  });

  // deps[j] = [(producer index, ref)] for every ref of statement j produced in this prog
  const deps: { dep: number; ref: Ref }[][] = stmts.map(() => []);
  stmts.forEach((s, j) => {
    for (const r of refsOf(s)) {
      const i = producer.get(r.ns, r.name);
      if (i !== undefined) deps[j]!.push({ dep: i, ref: r });
    }
  });

  // Iterative DFS topological sort (dependencies first, source order otherwise); a 100k-long
  // chain of binds must not overflow the stack.
  const state = new Uint8Array(stmts.length); // 0 new, 1 on stack, 2 done
  const order: Stmt[] = [];
  const seenCycles = new Set<string>();
  const stack: { node: number; next: number; via?: Ref }[] = [];
  for (let root = 0; root < stmts.length; root++) {
    if (state[root] !== 0) continue;
    stack.push({ node: root, next: 0 });
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const ds = deps[top.node]!;
      if (top.next < ds.length) {
        const d = ds[top.next++]!;
        if (state[d.dep] === 0) {
          state[d.dep] = 1;
          stack.push({ node: d.dep, next: 0, via: d.ref });
        } else if (state[d.dep] === 1) {
          // cycle: from d.dep down the stack to top, closed by d.ref
          broken = true;
          let k = stack.length - 1;
          while (k >= 0 && stack[k]!.node !== d.dep) k--;
          const members = stack.slice(k).map((f) => f.node);
          const sig = [...members].sort((a, b) => a - b).join(",");
          if (!seenCycles.has(sig)) {
            seenCycles.add(sig);
            const refs: Ref[] = [d.ref];
            for (let m = stack.length - 1; m > k; m--) refs.push(stack[m]!.via!);
            refs.sort((a, b) => a.span.start.offset - b.span.start.offset);
            const notes: Note[] = refs.map((r) => ({ message: `${what(r)} refers to \`${keyOf(r.ns, r.name)}\``, span: r.span }));
            diagnostics.push(diag("scope", "E-SCOPE-RECURSION", "recursive reference while setting scope: not a dag", refs[0]!.span, notes));
          }
        }
        continue;
      }
      state[top.node] = 2;
      order.push(stmts[top.node]!);
      stack.pop();
    }
  }
  const res: Ordering = { order, diagnostics, broken };
  orderCache.set(stmtsIn, res);
  return res;
}
