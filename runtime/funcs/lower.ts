/**
 * Lowering: a type-checked program → function-graph node specs plus the output model that
 * interpret reads (mcl-language.md §7).
 *
 * Every name was resolved by the checker (lang/checker/elab.ts); this file only translates:
 *  - literals → const nodes; list/map/struct literals and interpolated strings → one node each;
 *  - a variable → the node of what it is bound to (a bind is one shared node per instance, §6.4);
 *  - builtin calls → one node through the implementation registry (pure calls on constants are
 *    folded; sources become stream nodes); `func` statement calls → the body instance's subgraph
 *    with the params bound to the argument nodes; calls of a lambda known statically → the same;
 *    other calls of function values → one node calling the FuncValue (lower-direct.ts);
 *  - `if` expressions, `<|>`, `if` statements and loops → structural nodes (lower-switch.ts).
 */
import type { Expr, ExprCall, ExprLambda, Stmt, StmtEdge, StmtInclude, StmtRes } from "../../lang/ast.js";
import { assertNever } from "../../lang/ast.js";
import type { Scope, VarEntry } from "../../lang/checker/scope.js";
import type { CheckedProgram } from "../../lang/compile.js";
import { orderProg } from "../../lang/order.js";
import type { OutEdge, OutEdgeItem, OutField, OutItem, OutMeta, OutProg, OutRes } from "../../lang/program-output.js";
import { printType, type Type } from "../../lang/types.js";
import { CatchableError, isCatchable, isFunc, MapValue, StructValue, type Value } from "../../lang/values.js";
import type { BuiltinFunc } from "../../stdlib/registry.js";
import { getImpl, type ImplContext } from "../../stdlib/impl.js";
import type { NodeId, NodeSpec, Result } from "./graph.js";
import { captures, DirectEval, globalValue, implContextFor, LowerError, optionalHasField, unparen, type LowerShared } from "./lower-direct.js";
import { Group, Layer } from "./lower-env.js";
import { lowerExcept, lowerFor, lowerIfExpr, lowerIfStmt } from "./lower-switch.js";

export { LowerError };

/** Distributive Omit, so each NodeSpec variant keeps its own fields. */
export type SpecBody = NodeSpec extends infer S ? (S extends NodeSpec ? Omit<S, "id"> : never) : never;

export interface Lowered {
  /** the initial graph; commit it in one transaction */
  readonly specs: readonly NodeSpec[];
  readonly output: OutProg;
  readonly lowerer: Lowerer;
}

/** Turns a checked program into node specs. Structural nodes keep using it at run time. */
export class Lowerer {
  readonly sh: LowerShared;
  readonly direct: DirectEval;
  /** specs added since the last `take()` */
  private pending: NodeSpec[] = [];
  private readonly consts = new Map<NodeId, Value>();
  private next = 0;
  readonly rootLayer = new Layer();
  readonly rootGroup = new Group();

  constructor(readonly program: CheckedProgram, implCtx: ImplContext) {
    this.sh = { elab: program.elab, resolve: program.resolve, implCtx };
    this.direct = new DirectEval(this.sh);
  }

  /** The specs built since the last call. */
  take(): NodeSpec[] {
    const p = this.pending;
    this.pending = [];
    return p;
  }

  add(spec: SpecBody, g: Group): NodeId {
    const id = `n${++this.next}`;
    this.pending.push({ ...spec, id } as NodeSpec);
    g.ids.push(id);
    return id;
  }

  constant(value: Value, g: Group, label?: string): NodeId {
    const id = this.add(label === undefined ? { value } : { value, label }, g);
    this.consts.set(id, value);
    return id;
  }

  /** Forget folded-constant knowledge of removed nodes. */
  forget(ids: readonly NodeId[]): void {
    for (const id of ids) this.consts.delete(id);
  }

  // -------------------------------------------------------------------------------------------
  // programs and statements

  /** Lower the whole program: the entry file's statements in the root layer. */
  lowerMain(): OutProg {
    return this.prog(this.program.main.stmts, this.program.main.scope, this.rootLayer, this.rootGroup);
  }

  /** Register the lazy binds of a prog instance (and of what it imports or includes `as`). */
  register(scope: Scope, L: Layer, g: Group): void {
    if (L.registered.has(scope)) return;
    L.registered.add(scope);
    for (const entry of scope.vars.values()) {
      if (entry.k !== "bind" || entry.scope !== scope || entry.type === undefined) continue;
      L.lazy(entry, () => this.expr(entry.stmt.value, scope, L, g));
    }
    for (const sc of scope.scoped.values()) {
      if (sc.k === "scope") this.register(sc.scope, L, g);
      else if (sc.inst) this.registerInclude(sc.stmt, sc.site, L, g);
    }
    for (const star of scope.stars) this.register(star, L, g);
  }

  private registerInclude(s: StmtInclude, site: Scope, L: Layer, g: Group): void {
    const info = this.sh.elab.includeOf(s, site);
    if (!info || L.registered.has(info.params)) return;
    L.registered.add(info.params);
    (info.cls.stmt.params ?? []).forEach((p, i) => {
      const entry = info.params.vars.get(p.name);
      const arg = s.args?.[i];
      if (entry && arg) L.lazy(entry, () => this.expr(arg, site, L, g));
    });
    this.register(info.prog, L, g);
  }

  /** Lower the output statements of one prog instance. */
  prog(stmts: readonly Stmt[], scope: Scope, L: Layer, g: Group): OutProg {
    this.register(scope, L, g);
    const items: OutItem[] = [];
    for (const s of orderProg(stmts).order) {
      const it = this.stmt(s, scope, L, g);
      if (it) items.push(it);
    }
    return { items };
  }

  private stmt(s: Stmt, sc: Scope, L: Layer, g: Group): OutItem | undefined {
    switch (s.kind) {
      case "bind":
      case "func":
      case "class":
      case "import":
        return undefined;
      case "res":
        return this.res(s, sc, L, g);
      case "edge":
        return this.edge(s, sc, L, g);
      case "if":
        return lowerIfStmt(this, s, sc, L, g);
      case "for":
        return lowerFor(this, s, sc, L, g);
      case "include": {
        const info = this.sh.elab.includeOf(s, sc);
        if (!info) throw new LowerError(`internal: include of ${s.name} was not type-checked`);
        this.registerInclude(s, sc, L, g);
        return { k: "prog", prog: this.prog(info.cls.stmt.body, info.prog, L, g) };
      }
      case "panic": {
        const info = this.sh.elab.callOf(s, sc);
        if (info?.k !== "builtin") throw new LowerError("internal: panic was not type-checked");
        const args = s.args.map((a) => this.expr(a, sc, L, g));
        this.builtin(info.fn, info.sig, args, s, g);
        return undefined;
      }
      default:
        return assertNever(s);
    }
  }

  private res(s: StmtRes, sc: Scope, L: Layer, g: Group): OutRes {
    let name: NodeId;
    if (s.collect) {
      const info = this.sh.elab.callOf(s, sc);
      if (info?.k !== "builtin") throw new LowerError("internal: collect was not type-checked");
      name = this.builtin(info.fn, info.sig, [this.constant(s.kindName, g), this.expr(s.name, sc, L, g)], s.name, g);
    } else {
      name = this.expr(s.name, sc, L, g);
    }
    const fields: OutField[] = [];
    const edges: OutEdgeItem[] = [];
    const metas: OutMeta[] = [];
    for (const it of s.items) {
      const cond = it.cond ? this.expr(it.cond, sc, L, g) : undefined;
      const c = cond === undefined ? {} : { cond };
      switch (it.kind) {
        case "field":
          fields.push({ name: it.name, value: this.expr(it.value, sc, L, g), span: it.span, ...c });
          break;
        case "edge":
          edges.push({ prop: it.prop, kind: it.target.kindName, name: this.expr(it.target.name, sc, L, g), span: it.span, ...c });
          break;
        case "meta":
          metas.push({ prop: it.prop, value: this.expr(it.value, sc, L, g), span: it.span, ...c });
          break;
        case "metastruct":
          metas.push({ value: this.expr(it.value, sc, L, g), span: it.span, ...c });
          break;
        default:
          assertNever(it);
      }
    }
    return { k: "res", stmt: s, name, fields, edges, metas };
  }

  private edge(s: StmtEdge, sc: Scope, L: Layer, g: Group): OutEdge {
    const halves = s.halves.map((h) => ({
      kind: h.kindName,
      name: this.expr(h.name, sc, L, g),
      span: h.span,
      ...(h.field === undefined ? {} : { field: h.field }),
    }));
    return { k: "edge", stmt: s, halves };
  }

  // -------------------------------------------------------------------------------------------
  // expressions

  /** The node of a variable entry in layer L. */
  varNode(entry: VarEntry, L: Layer, g: Group, name: string): NodeId {
    if (entry.k === "global") return this.constant(globalValue(entry), g, `$${name}`);
    const id = L.lookup(entry);
    if (id !== undefined) return id;
    if (entry.k === "bind") {
      // a bind of a prog this layer chain never registered (e.g. deep inside a module): build it once at the root
      const root = L.root();
      root.lazy(entry, () => this.expr(entry.stmt.value, entry.scope, root, this.rootGroup));
      return root.lookup(entry)!;
    }
    throw new LowerError(`internal: \`$${name}\` has no node`);
  }

  expr(e: Expr, sc: Scope, L: Layer, g: Group): NodeId {
    const span = e.span;
    switch (e.kind) {
      case "bool":
      case "int":
      case "float":
      case "str":
        return this.constant(e.value, g);
      case "interp": {
        const pieces = e.parts.map((p) => (typeof p === "string" ? p : this.expr(p, sc, L, g)));
        const deps: NodeId[] = [];
        const parts = pieces.map((p, i) => (typeof e.parts[i] === "string" ? p : (deps.push(p), undefined)));
        if (deps.length === 1 && parts.length === 1) return deps[0]!;
        return this.pure(deps, span, "interp", (args) => {
          let k = 0;
          return parts.map((p) => p ?? (args[k++] as string)).join("");
        }, g);
      }
      case "list": {
        const deps = e.items.map((x) => this.expr(x, sc, L, g));
        return this.pure(deps, span, "list", (args) => [...args], g);
      }
      case "map": {
        const deps: NodeId[] = [];
        for (const en of e.entries) deps.push(this.expr(en.key, sc, L, g), this.expr(en.value, sc, L, g));
        return this.pure(deps, span, "map", (a) => {
          const entries: [Value, Value][] = [];
          for (let i = 0; i < a.length; i += 2) entries.push([a[i]!, a[i + 1]!]);
          return new MapValue(entries);
        }, g);
      }
      case "struct": {
        const deps = e.fields.map((f) => this.expr(f.value, sc, L, g));
        const names = e.fields.map((f) => f.name);
        return this.pure(deps, span, "struct", (a) => new StructValue(names.map((n, i) => [n, a[i]!] as const)), g);
      }
      case "var": {
        const v = this.sh.elab.varOf(e, sc);
        if (!v) throw new LowerError(`internal: \`$${e.name}\` was not resolved`);
        return this.varNode(v, L, g, e.name);
      }
      case "lambda":
        return this.lambda(e, sc, L, g);
      case "call":
        return this.call(e, sc, L, g);
      case "if":
        return lowerIfExpr(this, e, sc, L, g);
      case "except":
        return lowerExcept(this, e, sc, L, g);
      case "binary": {
        const l = this.expr(e.left, sc, L, g);
        const r = this.expr(e.right, sc, L, g);
        return this.op(e, sc, e.op === "in" ? [l, r] : [this.constant(e.op, g), l, r], g);
      }
      case "not":
        return this.op(e, sc, [this.constant("not", g), this.expr(e.operand, sc, L, g)], g);
      case "index":
        return this.op(e, sc, [this.expr(e.target, sc, L, g), this.expr(e.index, sc, L, g)], g);
      case "field": {
        if (e.default && !optionalHasField(this.sh, e, sc)) return this.expr(e.default, sc, L, g);
        const t = this.expr(e.target, sc, L, g);
        const info = this.sh.elab.callOf(e, sc);
        if (info?.k !== "builtin") throw new LowerError("internal: field lookup was not type-checked");
        // `a->f <|> d` with the field present is the plain lookup
        const fn = e.default ? { ...info.fn, name: "_struct_lookup" } : info.fn;
        return this.builtin(fn, info.sig, [t, this.constant(e.field, g)], e, g);
      }
      case "paren":
        return this.expr(e.inner, sc, L, g);
      default:
        return assertNever(e);
    }
  }

  private op(e: Expr, sc: Scope, args: NodeId[], g: Group): NodeId {
    const info = this.sh.elab.callOf(e, sc);
    if (info?.k !== "builtin") throw new LowerError("internal: operator was not type-checked");
    return this.builtin(info.fn, info.sig, args, e, g);
  }

  /** A node computing `f` of its inputs (a catchable input error is forwarded by the evaluator); constant inputs fold. */
  pure(deps: NodeId[], span: Expr["span"], label: string, f: (args: readonly Value[]) => Result, g: Group): NodeId {
    const folded = this.fold(deps, f);
    if (folded !== undefined) return this.constant(folded, g, label);
    return this.add({ deps, span, label, fn: (args) => f(args as Value[]) }, g);
  }

  private fold(deps: readonly NodeId[], f: (args: readonly Value[]) => Result): Value | undefined {
    const vals: Value[] = [];
    for (const d of deps) {
      const v = this.consts.get(d);
      if (v === undefined) return undefined;
      vals.push(v);
    }
    try {
      const r = f(vals);
      return isCatchable(r) ? undefined : r;
    } catch {
      return undefined; // the node reports it at run time, with its span
    }
  }

  /** A builtin call node (§7): pure/impure → fn node, source → stream node. */
  builtin(fn: BuiltinFunc, sig: Type, args: NodeId[], site: { readonly span: Expr["span"] }, g: Group): NodeId {
    const span = site.span;
    const label = `call:${fn.name}`;
    const impl = getImpl(fn.name);
    if (!impl) {
      const msg = `function \`${fn.name}\` is not implemented yet`;
      return this.add({ deps: args, span, label, fn: () => { throw new LowerError(msg); } }, g);
    }
    const ctx = implContextFor(this.sh, sig);
    if (impl.effect === "source") {
      return this.add({ deps: args, span, label, stream: (a) => impl.stream(a, ctx) }, g);
    }
    const call = (a: readonly Value[]): Result => impl.call(a, ctx);
    if (impl.effect === "pure") {
      // Common subexpressions: a pure function of the same inputs is the same value, so one node
      // serves every call of it in a group (same lifetime: the group tears them down together).
      // A program that repeats `len($x)` or `strings.to_upper($v)` in many resources computes it once.
      const key = `${fn.name}\0${ctx.type === undefined ? "" : printType(ctx.type)}\0${args.join(",")}`;
      const shared = g.pure.get(key);
      if (shared !== undefined) return shared;
      const id = this.pure(args, span, label, call, g);
      g.pure.set(key, id);
      return id;
    }
    return this.add({ deps: args, span, label, fn: (a) => call(a as Value[]) }, g);
  }

  private call(e: ExprCall, sc: Scope, L: Layer, g: Group): NodeId {
    const args = e.args.map((a) => this.expr(a, sc, L, g));
    const c = e.callee;
    if (c.kind === "name") {
      const info = this.sh.elab.callOf(e, sc);
      if (!info) throw new LowerError(`internal: call of ${c.name} was not type-checked`);
      if (info.k === "builtin") return this.builtin(info.fn, info.sig, args, e, g);
      // a `func` statement: this call site's body instance, params bound to the argument nodes
      info.entry.stmt.params.forEach((p, i) => {
        const entry = info.body.vars.get(p.name);
        if (entry) L.bind(entry, args[i]!);
      });
      return this.expr(info.entry.stmt.body, info.body, L, g);
    }
    if (c.kind === "lambda") return this.instantiate(c, sc, L, args, L, g);
    const v = this.sh.elab.varOf(c, sc);
    if (!v) throw new LowerError(`internal: \`$${c.name}\` was not resolved`);
    if (v.k === "bind") {
      const val = unparen(v.stmt.value);
      const defLayer = this.layerOf(v, L);
      if (val.kind === "lambda" && defLayer) return this.instantiate(val, v.scope, defLayer, args, L, g);
    }
    const f = this.varNode(v, L, g, c.name);
    const direct = this.direct;
    return this.add({
      deps: [f, ...args],
      span: e.span,
      label: `call:$${c.name}`,
      fn: ([fv, ...a]) => {
        if (!isFunc(fv as Value)) throw new LowerError(`\`$${c.name}\` is not a function`);
        try {
          return direct.callValue(fv as Value, a as Value[]);
        } catch (err) {
          if (isCatchable(err)) return err;
          throw err;
        }
      },
    }, g);
  }

  /** The layer whose slot holds `entry` (the definition layer of a bind), if any. */
  private layerOf(entry: VarEntry, L: Layer): Layer | undefined {
    for (let l: Layer | undefined = L; l; l = l.parent) {
      if (l.registered.has((entry as { scope: Scope }).scope)) return l;
    }
    return undefined;
  }

  /** A call of a lambda known at compile time: its body as a subgraph, in a child of its definition layer. */
  private instantiate(lam: ExprLambda, sc: Scope, defLayer: Layer, args: NodeId[], _L: Layer, g: Group): NodeId {
    const child = this.sh.elab.lambdaOf(lam, sc);
    if (!child) throw new LowerError("internal: lambda was not type-checked");
    const layer = new Layer(defLayer);
    lam.params.forEach((p, i) => {
      const entry = child.vars.get(p.name);
      if (entry) layer.bind(entry, args[i]!);
    });
    return this.expr(lam.body, child, layer, g);
  }

  /** A lambda value: one node over the captured variables, producing a closure (lower-direct.ts). */
  private lambda(e: ExprLambda, sc: Scope, L: Layer, g: Group): NodeId {
    const caps = captures(this.sh, e, sc);
    const deps = caps.map((v) => this.varNode(v, L, g, v.k === "bind" ? v.stmt.name : v.k === "mono" ? v.name : v.v.name));
    const direct = this.direct;
    return this.add({
      deps,
      span: e.span,
      label: "func",
      fn: (vals) => direct.closure(e, sc, new Map(caps.map((v, i) => [v, vals[i] as Value]))),
    }, g);
  }
}

/** Lower a checked program. Throws LowerError only for internal inconsistencies. */
export function lowerProgram(program: CheckedProgram, implCtx: ImplContext): Lowered {
  const lowerer = new Lowerer(program, implCtx);
  const output = lowerer.lowerMain();
  return { specs: lowerer.take(), output, lowerer };
}

/** A catchable error for internal use in structural nodes. */
export function internalCatchable(msg: string): CatchableError {
  return new CatchableError(`internal: ${msg}`);
}
