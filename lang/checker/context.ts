/**
 * Shared state of one type/scope check: the unifier, diagnostics (scope and type kept apart so
 * scope errors can stop typing, §0), deduplication, the per-expression type records (for the
 * later lowering stage) and the deferred end-of-check work (builtin `check` hooks, ambiguity).
 */
import type { Expr, Span } from "../ast.js";
import { diag, type Diagnostic, type Note } from "../diagnostics.js";
import type { CompilerHost } from "../host.js";
import type { FileLoader } from "../modules.js";
import { isConcrete, printType, type Type } from "../types.js";
import { Unifier, type Origin, type UnifyFailure } from "../unify.js";
import type { ArgInfo, BuiltinFunc } from "../../stdlib/registry.js";
import type { ClassEntry, ForceScoped, FuncEntry, Scope, VarEntry } from "./scope.js";
import { DiscardingElab, Elab } from "./elab.js";

/** An independent unit of type errors: after its first error, further errors in it are cascades. */
export interface Unit {
  failed: boolean;
}

/** What the checker learned about one expression in one instance (input of lowering, issue 3). */
export interface ExprRecord {
  readonly expr: Expr;
  readonly type: Type;
  readonly scope: Scope;
}

interface DeferredCheck {
  readonly fn: BuiltinFunc;
  readonly type: Type;
  readonly args: readonly ArgInfo[];
  readonly span: Span;
  readonly expr: Expr | undefined;
  readonly unit: Unit;
}

export interface CheckerOptions {
  readonly hostname?: string;
  /** called for every typed expression instance (the lowering hook) */
  readonly onExpr?: (r: ExprRecord) => void;
  /** keep the elaborated program (lowering needs it; `check` does not). Default true. */
  readonly elab?: boolean;
}

export class Ctx {
  readonly u = new Unifier();
  readonly scopeDiags: Diagnostic[] = [];
  readonly typeDiags: Diagnostic[] = [];
  /** AST nodes (or other keys) that already produced a scope error */
  private readonly reported = new Set<object>();
  /** typed expression instances: all of them when elaborating, else only those whose type has a var */
  readonly records: ExprRecord[] = [];
  private readonly keepAll: boolean;
  /** the elaborated program: what every expression/statement instance resolved to (for lowering) */
  readonly elab: Elab;
  readonly deferred: DeferredCheck[] = [];
  /** roots already scope-walked (scope resolution is instance independent) */
  readonly walked = new Set<Expr>();
  /** binds and funcs created, to scope-check the never-used ones at the end */
  readonly binds: VarEntry[] = [];
  readonly funcs: FuncEntry[] = [];
  readonly classes: ClassEntry[] = [];
  /** false while only resolving names (unused binds, uncalled funcs): no unification */
  typing = true;
  unit: Unit = { failed: false };
  /** instantiates `include … as alias` on demand (set by the statement checker) */
  force: ForceScoped = () => undefined;
  /** extra end-of-check validations (e.g. map key hashability), run before ambiguity */
  readonly post: (() => void)[] = [];
  private hints = 0;
  /** the global scope (§6.2) */
  globals!: Scope;
  /** files being imported, outermost first (cycle detection, §3.8) */
  readonly importStack: { file: string; span?: Span }[] = [];
  /** module instances per (file, parent scope) and system package scopes */
  readonly modules = new Map<string, Map<Scope, Scope>>();
  readonly systemScopes = new Map<string, Scope>();
  /** orderings whose diagnostics were already reported */
  readonly seenOrders = new Set<object>();

  constructor(
    readonly host: CompilerHost,
    readonly loader: FileLoader,
    readonly opts: CheckerOptions,
  ) {
    this.elab = opts.elab === false ? new DiscardingElab() : new Elab();
    this.keepAll = opts.elab !== false || opts.onExpr !== undefined;
  }

  /** Report a scope error once per node. */
  scopeError(node: object, code: string, message: string, span: Span | undefined, notes?: readonly Note[], hint?: string): void {
    if (this.reported.has(node)) return;
    this.reported.add(node);
    this.scopeDiags.push(diag("scope", code, message, span, notes, hint));
  }

  /** Budget for "did you mean" searches (they walk whole scopes). */
  wantHint(): boolean {
    return this.hints++ < 50;
  }

  typeError(code: string, message: string, span: Span | undefined, notes?: readonly Note[], hint?: string): void {
    if (!this.typing || this.unit.failed) return;
    this.unit.failed = true;
    this.typeDiags.push(diag("type", code, message, span, notes, hint));
  }

  /** Run `f` as its own error unit. */
  inUnit<R>(f: () => R): R {
    const saved = this.unit;
    this.unit = { failed: false };
    try {
      return f();
    } finally {
      this.unit = saved;
    }
  }

  /** Unify and report a mismatch at `span`; returns true on success. */
  unify(expected: Type, actual: Type, expectedFrom: Origin | undefined, actualFrom: Origin | undefined, span: Span, hint?: string): boolean {
    if (!this.typing) return true;
    const f = this.u.unify(expected, actual, expectedFrom, actualFrom);
    if (!f) return true;
    this.mismatch(f, span, hint);
    return false;
  }

  /** A mismatch diagnostic naming both types and where each came from. */
  mismatch(f: UnifyFailure, span: Span, hint?: string): void {
    const e = printType(f.expected);
    const a = printType(f.actual);
    const notes: Note[] = [];
    if (f.expectedFrom) notes.push({ message: `expected ${e} because of ${f.expectedFrom.reason}`, span: f.expectedFrom.span });
    if (f.actualFrom) notes.push({ message: `found ${a} from ${f.actualFrom.reason}`, span: f.actualFrom.span });
    const code = f.message === "directly in the same set" ? "E-TYPE-RECURSIVE" : "E-TYPE-MISMATCH";
    // mgmt wording first (`type error: str != int`), then the full types
    this.typeError(code, `${f.message}: expected ${e}, found ${a}`, span, notes, hint);
  }

  /** Record the type of an expression instance (typing mode only). */
  record(expr: Expr, type: Type, scope: Scope): void {
    if (!this.typing) return;
    // Without elaboration the records only feed the ambiguity pass, which skips types with no
    // var: most expressions (literals, str/int results) are never kept.
    if (!this.keepAll && isConcrete(type)) return;
    const r: ExprRecord = { expr, type, scope };
    this.records.push(r);
    this.elab.setType(expr, scope, type);
    this.opts.onExpr?.(r);
  }

  defer(fn: BuiltinFunc, type: Type, args: readonly ArgInfo[], span: Span, expr: Expr | undefined): void {
    if (this.typing && fn.check) this.deferred.push({ fn, type, args, span, expr, unit: this.unit });
  }

  /** Source text of a span (for `expr: … is ambiguous` and similar), shortened. */
  text(span: Span): string {
    const src = this.loader.texts.get(span.file);
    if (src === undefined) return "expression";
    let t = src.slice(span.start.offset, span.end.offset).replace(/\s+/g, " ");
    if (t.length > 60) t = `${t.slice(0, 57)}...`;
    return t;
  }

  /** End of check: builtin `check` hooks on solved types, then ambiguity (§5.3). */
  finish(): void {
    for (const p of this.post) p();
    for (const d of this.deferred) {
      const solved = this.u.resolve(d.type);
      const msg = d.fn.check!(solved, d.args);
      if (msg !== undefined) {
        this.unit = d.unit;
        this.typeError("E-TYPE-BUILD", `error setting type: ${d.expr ? this.text(d.expr.span) : d.fn.name}, error: ${msg}`, d.span);
      }
    }
    // after a real type error, leftover type variables are its consequences, not new problems
    if (this.typeDiags.length > 0) return;
    const seen = new Set<number>();
    for (const r of this.records) {
      const t = this.u.resolve(r.type);
      const vars = freeVars(t);
      if (vars.length === 0) continue;
      if (vars.every((v) => seen.has(v))) continue;
      for (const v of vars) seen.add(v);
      this.unit = { failed: false };
      this.typeError("E-TYPE-AMBIGUOUS", `expr: ${this.text(r.expr.span)} is ambiguous: ${printType(t)}`, r.expr.span, undefined, "add a type annotation, e.g. `$x []str = …`");
    }
  }
}

export function freeVars(t: Type, out: number[] = []): number[] {
  switch (t.k) {
    case "var":
      out.push(t.id);
      break;
    case "list":
      freeVars(t.elem, out);
      break;
    case "map":
      freeVars(t.key, out);
      freeVars(t.val, out);
      break;
    case "struct":
      for (const f of t.fields) freeVars(f.type, out);
      break;
    case "func":
      for (const p of t.params) freeVars(p.type, out);
      freeVars(t.ret, out);
      break;
    default:
      break;
  }
  return out;
}
