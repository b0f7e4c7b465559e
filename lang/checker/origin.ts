/**
 * Short descriptions of where a type comes from, for mismatch notes ("found int from this int
 * literal"), and static knowledge about expressions (§5.5 speculation): literal values and the
 * "statically a str" judgement of resource names (§3.2).
 */
import type { Expr, Span } from "../ast.js";
import type { Origin } from "../unify.js";
import { parseType } from "../type-parse.js";
import type { StaticValue } from "../../stdlib/registry.js";
import { lookup, type ForceScoped, type Scope } from "./scope.js";

/**
 * An Origin whose reason is the concatenation of a few parts (`the loop key \`$`, name, `\``),
 * joined only when an error prints it (origins are created for every unification, so eager strings
 * would dominate the cost of checking large programs).
 */
export class PartsOrigin implements Origin {
  constructor(
    readonly span: Span,
    private readonly a: string,
    private readonly b: string,
    private readonly c: string = "",
    private readonly d: string = "",
    private readonly e: string = "",
  ) {}
  get reason(): string {
    return this.a + this.b + this.c + this.d + this.e;
  }
}

class ExprOrigin implements Origin {
  constructor(private readonly e: Expr) {}
  get span(): Span {
    return this.e.span;
  }
  get reason(): string {
    return describeExpr(this.e);
  }
}

/** Where an expression's type comes from. */
export function originOf(e: Expr): Origin {
  return new ExprOrigin(e);
}

export function describeExpr(e: Expr): string {
  switch (e.kind) {
    case "bool":
    case "int":
    case "float":
    case "str":
      return `this ${e.kind} literal`;
    case "interp":
      return "this interpolated string";
    case "list":
      return "this list";
    case "map":
      return "this map";
    case "struct":
      return "this struct";
    case "var":
      return `the variable \`$${e.name}\``;
    case "lambda":
      return "this function";
    case "call": {
      const n = e.callee.kind === "name" ? e.callee.name : e.callee.kind === "var" ? `$${e.callee.name}` : "func";
      return `the result of \`${n}(…)\``;
    }
    case "if":
      return "this if expression";
    case "binary":
      return `this \`${e.op}\` operation`;
    case "not":
      return "this `not` operation";
    case "except":
      return "this `<|>` expression";
    case "index":
      return "this lookup";
    case "field":
      return `the struct field \`${e.field}\``;
    case "paren":
      return describeExpr(e.inner);
  }
}

export function unparen(e: Expr): Expr {
  while (e.kind === "paren") e = e.inner;
  return e;
}

/** The value of a literal, or of a var bound (transitively) to one. */
export function staticValue(e: Expr, scope: Scope, force: ForceScoped, depth = 0): StaticValue | undefined {
  e = unparen(e);
  switch (e.kind) {
    case "bool":
    case "int":
    case "float":
    case "str":
      return e.value;
    case "var": {
      if (depth > 50) return undefined;
      const v = lookup(scope, "vars", e.name, force);
      if (v?.k === "bind") return staticValue(v.stmt.value, v.scope, force, depth + 1);
      if (v?.k === "global") return v.v.value;
      return undefined;
    }
    default:
      return undefined;
  }
}

const sigRetStr = new Map<string, boolean>();

/**
 * §3.2 static rule: a string literal, interpolated string, var bound to such, or a call of a
 * builtin whose signature returns a concrete `str` is statically a str.
 */
export function isStaticStr(e: Expr, scope: Scope, force: ForceScoped, depth = 0): boolean {
  e = unparen(e);
  if (depth > 50) return false;
  switch (e.kind) {
    case "str":
    case "interp":
      return true;
    case "var": {
      const v = lookup(scope, "vars", e.name, force);
      if (v?.k === "bind") return v.stmt.type ? v.stmt.type.kind === "tprim" && v.stmt.type.name === "str" : isStaticStr(v.stmt.value, v.scope, force, depth + 1);
      if (v?.k === "global") return v.v.type.k === "str";
      return false;
    }
    case "call": {
      if (e.callee.kind !== "name") return false;
      const f = lookup(scope, "funcs", e.callee.name, force);
      if (f?.k === "builtin") {
        const sig = f.fn.sig;
        if (sig === undefined) return false;
        let r = sigRetStr.get(sig);
        if (r === undefined) {
          const t = parseType(sig);
          r = t.k === "func" && t.ret.k === "str";
          sigRetStr.set(sig, r);
        }
        return r;
      }
      // user funcs do not count, even with a declared `str` return (§3.2 lists builtins only)
      return false;
    }
    // nor do if expressions, even with str branches: only the listed forms are static
    default:
      return false;
  }
}
