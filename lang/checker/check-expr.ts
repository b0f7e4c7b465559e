/**
 * Expression inference (mcl-language.md §4, §5.2): each expression gets a type, possibly with
 * unification variables, and adds invariants to the unifier with Origins for good errors. In
 * scope-only mode (`cx.typing === false`) the same walk only resolves names.
 */
import type { Expr, ExprCall, ExprLambda, ExprVar, Span } from "../ast.js";
import { assertNever } from "../ast.js";
import { typeFromAst } from "../type-parse.js";
import { isHashable, printType, T, type FieldType, type Type } from "../types.js";
import type { Origin } from "../unify.js";
import { getFunc } from "../../stdlib/registry.js";
import { callBuiltin, callUserFunc, callValue, type CallArg } from "./check-call.js";
import type { Ctx } from "./context.js";
import { originOf, PartsOrigin, staticValue } from "./origin.js";
import { behindFailedAlias, closest, lookup, visibleNames, type Scope, type VarEntry } from "./scope.js";

/** Infer an expression's type in `sc`, recording it for this instance. */
export function infer(cx: Ctx, e: Expr, sc: Scope): Type {
  const t = inferInner(cx, e, sc);
  cx.record(e, t, sc);
  return t;
}

/** Infer `e` and unify it with `expected`, blaming `e`. */
export function check(cx: Ctx, e: Expr, sc: Scope, expected: Type, because: Origin | undefined): Type {
  const t = infer(cx, e, sc);
  cx.unify(expected, t, because, originOf(e), e.span);
  return t;
}

function fresh(cx: Ctx): Type {
  return cx.typing ? cx.u.fresh() : T.nil;
}

function hint(cx: Ctx, sc: Scope, ns: "vars" | "funcs" | "classes", name: string, prefix: string): string | undefined {
  if (!cx.wantHint()) return undefined;
  const c = closest(name, visibleNames(sc, ns));
  return c === undefined ? undefined : `did you mean \`${prefix}${c}\`?`;
}

export function unknownVar(cx: Ctx, node: object, name: string, span: Span, sc: Scope, lambda: boolean): void {
  if (behindFailedAlias(sc, name)) return;
  const msg = lambda ? `lambda \`$$${name}\` does not exist in this scope` : `var \`$${name}\` does not exist in this scope`;
  cx.scopeError(node, "E-SCOPE-UNKNOWN-VAR", msg, span, undefined, hint(cx, sc, "vars", name, "$"));
}

/** The type of a bind in its instance, inferring it on first use (§3.1: unused binds stay untyped). */
export function typeOfBind(cx: Ctx, v: Extract<VarEntry, { k: "bind" }>): Type {
  if (v.type) return v.failed ? cx.u.fresh() : v.type;
  if (!cx.typing) return T.nil;
  if (v.busy) return cx.u.fresh(); // a cycle: reported by the ordering pass
  v.busy = true;
  const s = v.stmt;
  cx.walked.add(s.value);
  // Its own error unit (cx.inUnit inlined: this runs once per bind instance).
  const saved = cx.unit;
  cx.unit = { failed: false };
  let t: Type;
  try {
    const vt = infer(cx, s.value, v.scope);
    if (s.type) {
      t = typeFromAst(s.type);
      cx.unify(t, vt, new PartsOrigin(s.type.span, "the type annotation of `$", s.name, "`"), originOf(s.value), s.value.span);
    } else {
      t = cx.u.fresh();
      cx.unify(t, vt, undefined, originOf(s.value), s.value.span);
    }
    // an error inside the value is reported once; its uses must not report it again (cascade)
    if (cx.unit.failed) v.failed = true;
  } finally {
    cx.unit = saved;
  }
  v.busy = false;
  v.type = t;
  return v.failed ? cx.u.fresh() : t;
}

export function typeOfVarEntry(cx: Ctx, v: VarEntry): Type {
  switch (v.k) {
    case "bind":
      return typeOfBind(cx, v);
    case "mono":
      return v.type;
    case "global":
      return v.v.type;
  }
}

function inferVar(cx: Ctx, e: ExprVar, sc: Scope): Type {
  const v = lookup(sc, "vars", e.name, cx.force);
  if (!v) {
    unknownVar(cx, e, e.name, e.span, sc, false);
    return fresh(cx);
  }
  if (cx.typing) cx.elab.setVar(e, sc, v);
  return typeOfVarEntry(cx, v);
}

/** Lambda: params are monomorphic (one type per lambda instance), body sees the definition scope. */
export function inferLambda(cx: Ctx, e: ExprLambda, sc: Scope): Type {
  const child = sc.child();
  if (cx.typing) cx.elab.setLambda(e, sc, child);
  const params: FieldType[] = [];
  for (const p of e.params) {
    const t = !cx.typing ? T.nil : p.type ? typeFromAst(p.type) : cx.u.fresh();
    child.vars.set(p.name, { k: "mono", name: p.name, type: t, origin: new PartsOrigin(p.span, "the parameter `$", p.name, "`"), span: p.span });
    params.push({ name: p.name, type: t });
  }
  const bodyT = infer(cx, e.body, child);
  let ret = bodyT;
  if (e.ret && cx.typing) {
    ret = typeFromAst(e.ret);
    cx.unify(ret, bodyT, { span: e.ret.span, reason: "the declared return type" }, originOf(e.body), e.body.span);
  }
  return T.func(params, ret);
}

function arg(cx: Ctx, e: Expr, sc: Scope): CallArg {
  const type = infer(cx, e, sc);
  return { type, origin: originOf(e), span: e.span, value: undefined, expr: e, scope: sc };
}

function inferCall(cx: Ctx, e: ExprCall, sc: Scope): Type {
  const args = e.args.map((a) => arg(cx, a, sc));
  const c = e.callee;
  switch (c.kind) {
    case "name": {
      const f = lookup(sc, "funcs", c.name, cx.force);
      if (!f) {
        if (!behindFailedAlias(sc, c.name)) cx.scopeError(c, "E-SCOPE-UNKNOWN-FUNC", `func \`${c.name}\` does not exist in this scope`, c.span, undefined, hint(cx, sc, "funcs", c.name, ""));
        return fresh(cx);
      }
      if (!cx.typing) return T.nil;
      if (f.k === "builtin") return callBuiltin(cx, f.fn, c.name, e, c.span, args, { node: e, scope: sc });
      return callUserFunc(cx, f, e, args, { node: e, scope: sc });
    }
    case "var": {
      const v = lookup(sc, "vars", c.name, cx.force);
      if (!v) {
        unknownVar(cx, c, c.name, c.span, sc, true);
        return fresh(cx);
      }
      const t = typeOfVarEntry(cx, v);
      if (cx.typing) cx.elab.setVar(c, sc, v);
      cx.record(c, t, sc);
      return cx.typing ? callValue(cx, t, originOf(c), e, args) : T.nil;
    }
    case "lambda": {
      const t = infer(cx, c, sc);
      return cx.typing ? callValue(cx, t, originOf(c), e, args) : T.nil;
    }
    default:
      return assertNever(c);
  }
}

function builtinOp(cx: Ctx, name: string, e: Expr, calleeSpan: Span, args: CallArg[], sc: Scope): Type {
  const fn = getFunc(name);
  if (!fn) {
    cx.typeError("E-TYPE-INTERNAL", `builtin \`${name}\` is not registered`, e.span);
    return fresh(cx);
  }
  return callBuiltin(cx, fn, name, e, calleeSpan, args, { node: e, scope: sc });
}

function strArg(value: string, span: Span): CallArg {
  return { type: T.str, origin: { span, reason: "this operator" }, span, value };
}

function inferInner(cx: Ctx, e: Expr, sc: Scope): Type {
  switch (e.kind) {
    case "bool":
      return T.bool;
    case "int":
      return T.int;
    case "float":
      return T.float;
    case "str":
      return T.str;
    case "interp":
      for (const p of e.parts) {
        if (typeof p === "string") continue;
        const t = infer(cx, p, sc);
        cx.unify(T.str, t, { span: e.span, reason: "string interpolation (interpolated variables must be str)" }, originOf(p), p.span);
      }
      return T.str;
    case "list": {
      const el = fresh(cx);
      for (const x of e.items) {
        const t = infer(cx, x, sc);
        cx.unify(el, t, undefined, originOf(x), x.span);
      }
      return cx.typing ? T.list(el) : T.nil;
    }
    case "map": {
      const k = fresh(cx);
      const v = fresh(cx);
      for (const en of e.entries) {
        const kt = infer(cx, en.key, sc);
        cx.unify(k, kt, undefined, originOf(en.key), en.key.span);
        const vt = infer(cx, en.value, sc);
        cx.unify(v, vt, undefined, originOf(en.value), en.value.span);
      }
      if (!cx.typing) return T.nil;
      const unit = cx.unit;
      cx.post.push(() => {
        const kr = cx.u.resolve(k);
        if (kr.k !== "var" && !isHashable(kr)) {
          cx.unit = unit;
          cx.typeError("E-TYPE-HASH", `map key type ${printType(kr)} is not hashable`, e.span);
        }
      });
      return T.map(k, v);
    }
    case "struct": {
      const fields = e.fields.map((f) => ({ name: f.name, type: infer(cx, f.value, sc) }));
      return cx.typing ? T.struct(fields) : T.nil;
    }
    case "var":
      return inferVar(cx, e, sc);
    case "lambda":
      return inferLambda(cx, e, sc);
    case "call":
      return inferCall(cx, e, sc);
    case "if": {
      check(cx, e.cond, sc, T.bool, { span: e.cond.span, reason: "an if condition (which must be bool)" });
      const r = fresh(cx);
      const a = infer(cx, e.then, sc);
      cx.unify(r, a, undefined, originOf(e.then), e.then.span);
      const b = infer(cx, e.else, sc);
      cx.unify(r, b, undefined, originOf(e.else), e.else.span);
      return r;
    }
    case "except": {
      const r = fresh(cx);
      const a = infer(cx, e.left, sc);
      cx.unify(r, a, undefined, originOf(e.left), e.left.span);
      const b = infer(cx, e.right, sc);
      cx.unify(r, b, undefined, originOf(e.right), e.right.span);
      return r;
    }
    case "binary": {
      const l = arg(cx, e.left, sc);
      const r = arg(cx, e.right, sc);
      if (!cx.typing) return T.nil;
      if (e.op === "in") return builtinOp(cx, "contains", e, e.opSpan, [l, r], sc);
      return builtinOp(cx, "_operator", e, e.opSpan, [strArg(e.op, e.opSpan), l, r], sc);
    }
    case "not": {
      const a = arg(cx, e.operand, sc);
      if (!cx.typing) return T.nil;
      return builtinOp(cx, "_operator", e, e.span, [strArg("not", e.span), a], sc);
    }
    case "index": {
      const t = arg(cx, e.target, sc);
      const i = arg(cx, e.index, sc);
      if (!cx.typing) return T.nil;
      return builtinOp(cx, "_lookup", e, e.span, [t, i], sc);
    }
    case "field": {
      const t = arg(cx, e.target, sc);
      const d = e.default ? arg(cx, e.default, sc) : undefined;
      if (!cx.typing) return T.nil;
      const f: CallArg = { type: T.str, origin: { span: e.fieldSpan, reason: "this field name" }, span: e.fieldSpan, value: e.field };
      return d ? builtinOp(cx, "_struct_lookup_optional", e, e.fieldSpan, [t, f, d], sc) : builtinOp(cx, "_struct_lookup", e, e.fieldSpan, [t, f], sc);
    }
    case "paren":
      return infer(cx, e.inner, sc);
    default:
      return assertNever(e);
  }
}
