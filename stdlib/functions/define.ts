/**
 * Helpers for writing builtin signature data (mcl-language.md §5.4, §11). Each package file under
 * stdlib/functions/ exports a `readonly BuiltinFunc[]` built with `fn`.
 */
import type { Type } from "../../lang/types.js";
import type { BuiltinFunc } from "../registry.js";

/** Legend of §11: P pure, I impure, S source. */
export type EffectCode = "P" | "I" | "S";

const EFFECT = { P: "pure", I: "impure", S: "source" } as const;

export interface FnOpts {
  readonly infer?: BuiltinFunc["infer"];
  readonly check?: BuiltinFunc["check"];
  /** `c` in §11: may return a catchable runtime error. */
  readonly catchable?: boolean;
  /** For `golang/<pkg>` wrappers: the Go function name (`TrimSpace`). */
  readonly goName?: string;
}

/** A builtin `pkg.short` (pkg "" = global) with a fixed signature string, or `undefined` when `opts.infer` computes it. */
export function fn(pkg: string, short: string, sig: string | undefined, effect: EffectCode, opts: FnOpts = {}): BuiltinFunc {
  const f: { -readonly [K in keyof BuiltinFunc]: BuiltinFunc[K] } = {
    name: pkg === "" ? short : `${pkg}.${short}`,
    pkg,
    short,
    effect: EFFECT[effect],
  };
  if (sig !== undefined) f.sig = sig;
  if (opts.infer) f.infer = opts.infer;
  if (opts.check) f.check = opts.check;
  if (opts.catchable) f.catchable = true;
  if (opts.goName !== undefined) f.goName = opts.goName;
  return f;
}

/** Parameter names used for generated/variadic args: a, b, …, z, a26, a27, … */
export function argName(i: number): string {
  return i < 26 ? String.fromCharCode(97 + i) : `a${i}`;
}

/** A func type from (name, type) pairs. */
export function funcType(params: readonly (readonly [string, Type])[], ret: Type): Type {
  return { k: "func", params: params.map(([name, type]) => ({ name, type })), ret };
}

/** The solved type is still a var: nothing to check yet (ambiguity is reported by the checker). */
export function isOpen(t: Type | undefined): boolean {
  return t === undefined || t.k === "var";
}

/** Param `i` of a solved func type (undefined when the solution is not a func). */
export function param(solved: Type, i: number): Type | undefined {
  return solved.k === "func" ? solved.params[i]?.type : undefined;
}

/** Return type of a solved func type. */
export function ret(solved: Type): Type | undefined {
  return solved.k === "func" ? solved.ret : undefined;
}

/** True if `t` contains a func anywhere (func values are not comparable). */
export function containsFunc(t: Type): boolean {
  switch (t.k) {
    case "func":
      return true;
    case "list":
      return containsFunc(t.elem);
    case "map":
      return containsFunc(t.key) || containsFunc(t.val);
    case "struct":
      return t.fields.some((f) => containsFunc(f.type));
    default:
      return false;
  }
}

/** Copy `t` replacing its `?N` vars by vars from `fresh` (for `infer` hooks built from signature strings). */
export function freshen(t: Type, fresh: () => Type): Type {
  const map = new Map<number, Type>();
  const go = (x: Type): Type => {
    switch (x.k) {
      case "var": {
        let v = map.get(x.id);
        if (v === undefined) map.set(x.id, (v = fresh()));
        return v;
      }
      case "list":
        return { k: "list", elem: go(x.elem) };
      case "map":
        return { k: "map", key: go(x.key), val: go(x.val) };
      case "struct":
        return { k: "struct", fields: x.fields.map((f) => ({ name: f.name, type: go(f.type) })) };
      case "func":
        return { k: "func", params: x.params.map((p) => ({ name: p.name, type: go(p.type) })), ret: go(x.ret) };
      default:
        return x;
    }
  };
  return go(t);
}
