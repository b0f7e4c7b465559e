/**
 * Function values (mcl-language.md §4 "lambda = closure over the definition-site scope").
 *
 * A lambda lowers to one node whose inputs are the nodes of every variable its body reaches
 * (`captures`, through calls of `func` statements and nested lambdas); its value is a FuncValue
 * closing over their current values. Calling it — from `iter.map` and friends, or from a call whose
 * callee is only known at run time — evaluates the body directly over values with this small
 * evaluator, using the checker's elaboration for every name, so scoping is never re-implemented.
 * Source functions (timers, watches) cannot run inside such a call: they need a graph node.
 */
import type { Expr, ExprField, ExprLambda, ExprVar, Span } from "../../lang/ast.js";
import { assertNever } from "../../lang/ast.js";
import type { Elab } from "../../lang/checker/elab.js";
import type { Scope, VarEntry } from "../../lang/checker/scope.js";
import type { Type } from "../../lang/types.js";
import { CatchableError, funcValue, isCatchable, isFunc, MapValue, StructValue, type FuncValue, type Value } from "../../lang/values.js";
import type { BuiltinFunc } from "../../stdlib/registry.js";
import { getImpl, type ImplContext } from "../../stdlib/impl.js";

export type Env = ReadonlyMap<VarEntry, Value>;

export function unparen(e: Expr): Expr {
  while (e.kind === "paren") e = e.inner;
  return e;
}

/** Fatal (not catchable) failure inside the lowering or a direct call. */
export class LowerError extends Error {
  override readonly name = "LowerError";
}

/** What the direct evaluator and the graph lowering share. */
export interface LowerShared {
  readonly elab: Elab;
  readonly resolve: (t: Type) => Type;
  readonly implCtx: ImplContext;
}

/** `a->f <|> d` is decided statically (§4): true when the target's struct type has the field. */
export function optionalHasField(sh: LowerShared, e: ExprField, sc: Scope): boolean {
  const t = sh.elab.typeOf(e.target, sc);
  const r = t && sh.resolve(t);
  return r?.k === "struct" && r.fields.some((f) => f.name === e.field);
}

/** The call-site context handed to a builtin implementation. */
export function implContextFor(sh: LowerShared, sig: Type): ImplContext {
  return { ...sh.implCtx, type: sh.resolve(sig) };
}

/** The value of a builtin var (`$hostname`, `$const.…`, `$os.family_debian`). */
export function globalValue(v: Extract<VarEntry, { k: "global" }>): Value {
  return v.v.value;
}

/** Every non-global variable entry the body of `lam` (in `sc`) reaches, transitively through calls. */
export function captures(sh: LowerShared, lam: ExprLambda, sc: Scope): VarEntry[] {
  const out = new Set<VarEntry>();
  const locals = new Set<VarEntry>();
  const addParams = (s: Scope | undefined): void => {
    if (s) for (const v of s.vars.values()) locals.add(v);
  };
  const walk = (e: Expr, s: Scope): void => {
    switch (e.kind) {
      case "bool":
      case "int":
      case "float":
      case "str":
        return;
      case "interp":
        for (const p of e.parts) if (typeof p !== "string") walk(p, s);
        return;
      case "var": {
        const v = sh.elab.varOf(e, s);
        if (v && v.k !== "global" && !locals.has(v)) out.add(v);
        return;
      }
      case "list":
        for (const x of e.items) walk(x, s);
        return;
      case "map":
        for (const x of e.entries) (walk(x.key, s), walk(x.value, s));
        return;
      case "struct":
        for (const x of e.fields) walk(x.value, s);
        return;
      case "lambda": {
        const child = sh.elab.lambdaOf(e, s);
        if (!child) return;
        addParams(child);
        walk(e.body, child);
        return;
      }
      case "call": {
        for (const a of e.args) walk(a, s);
        const c = e.callee;
        if (c.kind === "var") walk(c, s);
        else if (c.kind === "lambda") walk(c, s);
        else {
          const info = sh.elab.callOf(e, s);
          if (info?.k === "user") {
            addParams(info.body);
            walk(info.entry.stmt.body, info.body);
          }
        }
        return;
      }
      case "if":
        walk(e.cond, s), walk(e.then, s), walk(e.else, s);
        return;
      case "binary":
        walk(e.left, s), walk(e.right, s);
        return;
      case "not":
        walk(e.operand, s);
        return;
      case "except":
        walk(e.left, s), walk(e.right, s);
        return;
      case "index":
        walk(e.target, s), walk(e.index, s);
        return;
      case "field":
        walk(e.target, s);
        if (e.default) walk(e.default, s);
        return;
      case "paren":
        walk(e.inner, s);
        return;
      default:
        assertNever(e);
    }
  };
  walk(lam, sc);
  return [...out];
}

/** Evaluates expressions over values (the body of a called function value). Throws CatchableError / LowerError. */
export class DirectEval {
  constructor(private readonly sh: LowerShared) {}

  /** A closure for lambda `lam` checked in `sc`, over `env`. */
  closure(lam: ExprLambda, sc: Scope, env: Env): FuncValue {
    const t = this.sh.elab.typeOf(lam, sc);
    return funcValue((args) => this.callLambda(lam, sc, env, args), t && this.sh.resolve(t));
  }

  callLambda(lam: ExprLambda, sc: Scope, env: Env, args: readonly Value[]): Value | CatchableError {
    const child = this.sh.elab.lambdaOf(lam, sc);
    if (!child) throw new LowerError("internal: lambda was not type-checked");
    const inner = new Map(env);
    lam.params.forEach((p, i) => {
      const entry = child.vars.get(p.name);
      if (entry) inner.set(entry, args[i]!);
    });
    try {
      return this.eval(lam.body, child, inner);
    } catch (e) {
      if (isCatchable(e)) return e;
      throw e;
    }
  }

  eval(e: Expr, sc: Scope, env: Env): Value {
    switch (e.kind) {
      case "bool":
      case "int":
      case "float":
      case "str":
        return e.value;
      case "interp": {
        let s = "";
        for (const p of e.parts) s += typeof p === "string" ? p : (this.var(p, sc, env) as string);
        return s;
      }
      case "list":
        return e.items.map((x) => this.eval(x, sc, env));
      case "map":
        return new MapValue(e.entries.map((x) => [this.eval(x.key, sc, env), this.eval(x.value, sc, env)] as const));
      case "struct":
        return new StructValue(e.fields.map((f) => [f.name, this.eval(f.value, sc, env)] as const));
      case "var":
        return this.var(e, sc, env);
      case "lambda":
        return this.closure(e, sc, env);
      case "call": {
        const args = e.args.map((a) => this.eval(a, sc, env));
        const c = e.callee;
        if (c.kind === "name") {
          const info = this.sh.elab.callOf(e, sc);
          if (!info) throw new LowerError(`internal: call of ${c.name} was not type-checked`);
          if (info.k === "builtin") return this.builtin(info.fn, info.sig, args, e.span);
          const inner = new Map(env);
          info.entry.stmt.params.forEach((p, i) => {
            const entry = info.body.vars.get(p.name);
            if (entry) inner.set(entry, args[i]!);
          });
          return this.eval(info.entry.stmt.body, info.body, inner);
        }
        const f = c.kind === "var" ? this.var(c, sc, env) : this.closure(c, sc, env);
        return this.callValue(f, args);
      }
      case "if":
        return this.eval(e.cond, sc, env) === true ? this.eval(e.then, sc, env) : this.eval(e.else, sc, env);
      case "except":
        try {
          return this.eval(e.left, sc, env);
        } catch (err) {
          if (isCatchable(err)) return this.eval(e.right, sc, env);
          throw err;
        }
      case "binary":
        if (e.op === "in") return this.op(e, sc, [this.eval(e.left, sc, env), this.eval(e.right, sc, env)]);
        return this.op(e, sc, [e.op, this.eval(e.left, sc, env), this.eval(e.right, sc, env)]);
      case "not":
        return this.op(e, sc, ["not", this.eval(e.operand, sc, env)]);
      case "index":
        return this.op(e, sc, [this.eval(e.target, sc, env), this.eval(e.index, sc, env)]);
      case "field":
        if (e.default && !optionalHasField(this.sh, e, sc)) return this.eval(e.default, sc, env);
        return this.op(e, sc, [this.eval(e.target, sc, env), e.field]);
      case "paren":
        return this.eval(e.inner, sc, env);
      default:
        return assertNever(e);
    }
  }

  callValue(f: Value, args: readonly Value[]): Value {
    if (!isFunc(f)) throw new LowerError("internal: calling a value that is not a function");
    const r = f.call(args);
    if (isCatchable(r)) throw r;
    return r;
  }

  private var(e: ExprVar, sc: Scope, env: Env): Value {
    const v = this.sh.elab.varOf(e, sc);
    if (!v) throw new LowerError(`internal: \`$${e.name}\` was not resolved`);
    if (v.k === "global") return globalValue(v);
    const x = env.get(v);
    if (x === undefined) throw new LowerError(`internal: \`$${e.name}\` is not captured by the function value`);
    return x;
  }

  private op(e: Expr, sc: Scope, args: readonly Value[]): Value {
    const info = this.sh.elab.callOf(e, sc);
    if (info?.k !== "builtin") throw new LowerError("internal: operator was not type-checked");
    return this.builtin(info.fn, info.sig, args, e.span);
  }

  /** Calls builtin `fn`; a catchable error carries `span`, the failing expression (§8), unless it has one. */
  builtin(fn: BuiltinFunc, sig: Type, args: readonly Value[], span?: Span): Value {
    const impl = getImpl(fn.name);
    if (!impl) throw new LowerError(`function \`${fn.name}\` is not implemented yet`);
    if (impl.effect === "source") throw new LowerError(`function \`${fn.name}\` produces a stream of values and cannot be called inside a function value`);
    const r = impl.call(args, implContextFor(this.sh, sig));
    if (isCatchable(r)) throw r.withSpan(span);
    return r;
  }
}
