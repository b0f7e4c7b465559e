/**
 * The elaborated program: what the checker decided for every expression and statement *instance*
 * (an AST node checked in a given scope). Func bodies are instantiated per call site and class
 * bodies per include, each in a fresh Scope, so `(node, scope)` identifies one instance.
 *
 * Lowering (runtime/funcs/lower*.ts) reads only this: it never resolves a name itself.
 *
 * @example elab.varOf(expr, scope) // the bind / param / loop var / builtin var `$x` refers to here
 */
import type { Expr, ExprLambda, ExprVar, Stmt, StmtFor, StmtIf, StmtInclude } from "../ast.js";
import type { Type } from "../types.js";
import type { BuiltinFunc } from "../../stdlib/registry.js";
import type { ClassEntry, FuncEntry, Scope, VarEntry } from "./scope.js";

/** What a call (or an operator/lookup/field expression, which desugar to builtin calls) resolved to. */
export type CallInfo =
  /** A builtin; `sig` is the call-site func type (resolve it through the program's `resolve`). */
  | { readonly k: "builtin"; readonly fn: BuiltinFunc; readonly sig: Type }
  /** A `func` statement; `body` is this call site's instance scope holding the params. */
  | { readonly k: "user"; readonly entry: Extract<FuncEntry, { k: "func" }>; readonly body: Scope };

/** `include`: the class, the scope holding its params, and the scope of its body prog. */
export interface IncludeInfo {
  readonly cls: ClassEntry;
  readonly params: Scope;
  readonly prog: Scope;
}

export interface IfInfo {
  readonly then: Scope;
  readonly else?: Scope;
}

/** `for`/`forkv`: the scope holding the loop vars and the scope of the body prog. */
export interface ForInfo {
  readonly loop: Scope;
  readonly body: Scope;
}

/** Most nodes are checked in one scope only: that (scope, value) pair is kept inline, other scopes in `more`. */
interface ScopeEntry<V> {
  s: Scope;
  v: V;
  more: Map<Scope, V> | undefined;
}

class ByScope<K extends object, V> {
  // A Map per node was the checker's top allocation site (docs/benchmarks.md).
  private readonly m = new Map<K, ScopeEntry<V>>();
  set(k: K, s: Scope, v: V): void {
    const e = this.m.get(k);
    if (e === undefined) this.m.set(k, { s, v, more: undefined });
    else if (e.s === s) e.v = v;
    else (e.more ??= new Map()).set(s, v);
  }
  get(k: K, s: Scope): V | undefined {
    const e = this.m.get(k);
    if (e === undefined) return undefined;
    return e.s === s ? e.v : e.more?.get(s);
  }
}

export class Elab {
  private readonly types = new ByScope<Expr, Type>();
  private readonly vars = new ByScope<ExprVar, VarEntry>();
  private readonly calls = new ByScope<object, CallInfo>();
  private readonly lambdas = new ByScope<ExprLambda, Scope>();
  private readonly includes = new ByScope<StmtInclude, IncludeInfo>();
  private readonly ifs = new ByScope<StmtIf, IfInfo>();
  private readonly fors = new ByScope<StmtFor, ForInfo>();

  setType(e: Expr, s: Scope, t: Type): void {
    this.types.set(e, s, t);
  }
  /** The (unresolved) type of an expression instance. */
  typeOf(e: Expr, s: Scope): Type | undefined {
    return this.types.get(e, s);
  }
  setVar(e: ExprVar, s: Scope, v: VarEntry): void {
    this.vars.set(e, s, v);
  }
  /** The entry a `$name` (a var, a callee var or an interpolated part) refers to. */
  varOf(e: ExprVar, s: Scope): VarEntry | undefined {
    return this.vars.get(e, s);
  }
  /** Keyed by the call expression, or the binary/not/index/field expression, or a panic/collect statement. */
  setCall(node: object, s: Scope, c: CallInfo): void {
    this.calls.set(node, s, c);
  }
  callOf(node: object, s: Scope): CallInfo | undefined {
    return this.calls.get(node, s);
  }
  setLambda(e: ExprLambda, s: Scope, body: Scope): void {
    this.lambdas.set(e, s, body);
  }
  /** The scope holding a lambda's params (its body is checked in it). */
  lambdaOf(e: ExprLambda, s: Scope): Scope | undefined {
    return this.lambdas.get(e, s);
  }
  setInclude(st: StmtInclude, site: Scope, i: IncludeInfo): void {
    this.includes.set(st, site, i);
  }
  includeOf(st: StmtInclude, site: Scope): IncludeInfo | undefined {
    return this.includes.get(st, site);
  }
  setIf(st: StmtIf, s: Scope, i: IfInfo): void {
    this.ifs.set(st, s, i);
  }
  ifOf(st: StmtIf, s: Scope): IfInfo | undefined {
    return this.ifs.get(st, s);
  }
  setFor(st: StmtFor, s: Scope, i: ForInfo): void {
    this.fors.set(st, s, i);
  }
  forOf(st: StmtFor, s: Scope): ForInfo | undefined {
    return this.fors.get(st, s);
  }
}

/**
 * An Elab that keeps nothing, for `check` and `fmt`, which need only the diagnostics: the checker
 * writes the elaboration but never reads it, and one Map entry per expression instance was the
 * checker's top self-time entry on a 10,000-line program (docs/benchmarks.md).
 */
export class DiscardingElab extends Elab {
  override setType(): void {}
  override setVar(): void {}
  override setCall(): void {}
  override setLambda(): void {}
  override setInclude(): void {}
  override setIf(): void {}
  override setFor(): void {}
}

/** Statement kinds that produce output (§3: everything but bind, func, class, import). */
export function isOutputStmt(s: Stmt): boolean {
  return s.kind !== "bind" && s.kind !== "func" && s.kind !== "class" && s.kind !== "import";
}
