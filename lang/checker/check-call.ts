/**
 * Calls (mcl-language.md §4 "Call argument binding", §5.2, §5.4): builtins are instantiated per
 * call site (fixed `sig` or the `infer` hook fed with statically known arg types and literal
 * values), `func` statements are polymorphic (body re-checked per call), lambdas/func values are
 * monomorphic values unified with the call's shape.
 */
import type { Expr, ExprCall, Span } from "../ast.js";
import { typeFromAst, parseType } from "../type-parse.js";
import { T, type Type } from "../types.js";
import type { Origin } from "../unify.js";
import type { ArgInfo, BuiltinFunc, StaticValue } from "../../stdlib/registry.js";
import type { Ctx } from "./context.js";
import { infer } from "./check-expr.js";
import { originOf, PartsOrigin, staticValue } from "./origin.js";
import type { FuncEntry, Scope } from "./scope.js";

/** Where to record what a call resolved to (the elaborated program, lang/checker/elab.ts). */
export interface Site {
  readonly node: object;
  readonly scope: Scope;
}

/** An evaluated call argument. */
export interface CallArg {
  readonly type: Type;
  readonly origin: Origin;
  readonly span: Span;
  readonly value: StaticValue | undefined;
  /**
   * The arg expression and its scope, when `value` was not computed: its static value is looked
   * up only for a builtin whose `infer`/`check` hook reads it (most calls never need it).
   */
  readonly expr?: Expr;
  readonly scope?: Scope;
}

const sigCache = new Map<string, Type>();
const NO_INFOS: readonly ArgInfo[] = [];
function sigType(sig: string): Type {
  let t = sigCache.get(sig);
  if (!t) sigCache.set(sig, (t = parseType(sig)));
  return t;
}

function argInfo(cx: Ctx, a: CallArg): ArgInfo {
  const r = cx.u.resolve(a.type);
  const info: { type?: Type; value?: StaticValue } = {};
  if (r.k !== "var") info.type = r;
  const value = a.value !== undefined ? a.value : a.expr !== undefined && a.scope !== undefined ? staticValue(a.expr, a.scope, cx.force) : undefined;
  if (value !== undefined) info.value = value;
  return info;
}

function plural(n: number): string {
  return n === 1 ? "arg" : "args";
}

/**
 * `parameter #0 of \`len\`` / `parameter \`x\` of the variable \`$f\``, built only when an
 * error prints it: a call binds every param, and eager strings per param were a hot allocation.
 * `callee` is a builtin's shown name (quoted) or the callee value's origin (its reason).
 */
class ParamOrigin implements Origin {
  constructor(
    readonly span: Span,
    private readonly param: string,
    private readonly i: number,
    private readonly callee: string | Origin,
  ) {}
  get reason(): string {
    const p = this.param;
    const pname = p === "" || /^\d+$/.test(p) ? `#${this.i}` : `\`${p}\``;
    const what = typeof this.callee === "string" ? `\`${this.callee}\`` : this.callee.reason;
    return `parameter ${pname} of ${what}`;
  }
}

/** Unify each param with its arg (blaming the arg), then return the result type. */
function bindParams(cx: Ctx, params: readonly { name: string; type: Type }[], args: readonly CallArg[], callee: string | Origin, calleeSpan: Span): void {
  const n = Math.min(params.length, args.length);
  for (let i = 0; i < n; i++) {
    const p = params[i]!;
    const a = args[i]!;
    cx.unify(p.type, a.type, new ParamOrigin(calleeSpan, p.name, i, callee), a.origin, a.span);
  }
}

/** A builtin call (site `e` is the call expression, or the operator/lookup expression it desugars from). */
export function callBuiltin(cx: Ctx, fn: BuiltinFunc, shown: string, e: Expr, calleeSpan: Span, args: readonly CallArg[], site?: Site): Type {
  // Only the `infer` and `check` hooks read the arg infos (each resolves its arg's type).
  const infos = fn.infer !== undefined || (fn.check !== undefined && cx.typing) ? args.map((a) => argInfo(cx, a)) : NO_INFOS;
  let sig: Type;
  if (fn.infer) {
    const r = fn.infer(infos, () => cx.u.fresh());
    if ("error" in r) {
      cx.typeError("E-TYPE-INFER", `func \`${shown}\` infer error: ${r.error}`, e.span);
      return cx.u.fresh();
    }
    sig = r;
  } else if (fn.sig !== undefined) {
    sig = cx.u.instantiate(sigType(fn.sig));
  } else {
    return cx.u.fresh();
  }
  if (sig.k !== "func") return cx.u.fresh();
  if (site && cx.typing) cx.elab.setCall(site.node, site.scope, { k: "builtin", fn, sig });
  const np = sig.params.length;
  if (args.length > np) {
    cx.typeError("E-TYPE-ARGS", `error getting arg name #${np} for func \`${shown}\`: index ${np} exceeds arg length of ${np}`, args[np]!.span);
  } else if (args.length < np) {
    cx.typeError("E-TYPE-ARGS", `func arg count differs: \`${shown}\` takes ${np} ${plural(np)}, got ${args.length}`, e.span);
  }
  bindParams(cx, sig.params, args, shown, calleeSpan);
  cx.defer(fn, sig, infos, e.span, e);
  return sig.ret;
}

/** Call of a function value (a var holding a lambda, an inline lambda): monomorphic. */
export function callValue(cx: Ctx, t: Type, calleeOrigin: Origin, e: ExprCall, args: readonly CallArg[]): Type {
  const r = cx.u.resolve(t);
  if (r.k === "func") {
    if (r.params.length !== args.length) {
      cx.typeError("E-TYPE-ARGS", `func arg count differs: ${calleeOrigin.reason} takes ${r.params.length} ${plural(r.params.length)}, got ${args.length}`, e.span);
    }
    bindParams(cx, r.params, args, calleeOrigin, e.callee.span);
    return r.ret;
  }
  const ret = cx.u.fresh();
  const shape = T.func(args.map((a, i) => ({ name: String(i), type: a.type })), ret);
  // the call wants a function; what the callee holds is what was found
  cx.unify(shape, t, { span: e.span, reason: "this call" }, calleeOrigin, e.callee.span);
  return ret;
}

/** A `func` statement call: a fresh copy of the body per call site (§3.6). */
export function callUserFunc(cx: Ctx, f: Extract<FuncEntry, { k: "func" }>, e: ExprCall, args: readonly CallArg[], site?: Site): Type {
  f.called = true;
  const s = f.stmt;
  if (f.busy) return cx.u.fresh(); // recursion: reported by the ordering pass
  if (s.params.length !== args.length) {
    cx.typeError("E-TYPE-ARGS", `func arg count differs: \`${s.name}\` takes ${s.params.length} ${plural(s.params.length)}, got ${args.length}`, e.span, [
      { message: `\`${s.name}\` is defined here`, span: s.nameSpan },
    ]);
  }
  cx.walked.add(s.body);
  f.busy = true;
  try {
    const child = f.scope.child();
    if (site && cx.typing) cx.elab.setCall(site.node, site.scope, { k: "user", entry: f, body: child });
    for (let i = 0; i < s.params.length; i++) {
      const p = s.params[i]!;
      const t = p.type ? typeFromAst(p.type) : cx.u.fresh();
      const a = args[i];
      if (a) cx.unify(t, a.type, new PartsOrigin(p.span, "the parameter `$", p.name, "` of func `", s.name, "`"), a.origin, a.span);
      child.vars.set(p.name, { k: "mono", name: p.name, type: t, origin: new PartsOrigin(p.span, "the parameter `$", p.name, "`"), span: p.span });
    }
    const bodyT = infer(cx, s.body, child);
    if (s.ret) {
      const rt = typeFromAst(s.ret);
      cx.unify(rt, bodyT, new PartsOrigin(s.ret.span, "the return type of func `", s.name, "`"), originOf(s.body), s.body.span);
      return rt;
    }
    return bodyT;
  } finally {
    f.busy = false;
  }
}
