/**
 * Scopes (mcl-language.md §6): chained, per-instance maps for the three namespaces (vars, funcs,
 * classes) plus `scoped` aliases (imports and `include … as alias`). Dotted names are flat keys
 * (`$const.res.file.state.exists`) or an alias prefix resolved in the alias's own final scope
 * (`$i1.x`, `fmt.printf`, `$g.f.x`). Chained scopes keep building a prog's scope O(size of prog).
 */
import type { Span, StmtBind, StmtClass, StmtFunc, StmtInclude } from "../ast.js";
import type { Type } from "../types.js";
import type { Origin } from "../unify.js";
import type { BuiltinFunc, BuiltinVar } from "../../stdlib/registry.js";

export type VarEntry =
  /** A bind; typed lazily on first use in this instance (unused binds are never typed, §3.1). */
  | { readonly k: "bind"; readonly stmt: StmtBind; readonly scope: Scope; type?: Type; busy: boolean; /** its value had a type error: uses get a fresh type so they do not cascade */ failed?: boolean }
  /** A monomorphic name: lambda/func/class parameter, loop variable. */
  | { readonly k: "mono"; readonly name: string; readonly type: Type; readonly origin: Origin; readonly span: Span }
  | { readonly k: "global"; readonly v: BuiltinVar };

export type FuncEntry =
  /** A `func` statement: polymorphic, its body is re-checked per call site (§3.6). */
  | { readonly k: "func"; readonly stmt: StmtFunc; readonly scope: Scope; busy: boolean; called: boolean }
  | { readonly k: "builtin"; readonly fn: BuiltinFunc };

export interface ClassEntry {
  readonly k: "class";
  readonly stmt: StmtClass;
  /** the definition-site scope (§3.7 capture rule) */
  readonly scope: Scope;
  busy: boolean;
}

export type ScopedEntry =
  | { readonly k: "scope"; readonly scope: Scope }
  /** `include c as alias`: instantiated on first use (the include statement or an `$alias.x`). */
  | { readonly k: "include"; readonly stmt: StmtInclude; readonly site: Scope; state: "new" | "busy" | "done"; inst?: Scope };

export type Namespace = "vars" | "funcs" | "classes";
export type EntryOf<N extends Namespace> = N extends "vars" ? VarEntry : N extends "funcs" ? FuncEntry : ClassEntry;

/**
 * One level of names. The maps are created on first write: most scopes (a func call's params, a
 * lambda's, a loop's) only ever hold vars, and four Maps per scope were a large share of the
 * checker's allocations on big programs (docs/benchmarks.md).
 */
export class Scope {
  private _vars: Map<string, VarEntry> | undefined = undefined;
  private _funcs: Map<string, FuncEntry> | undefined = undefined;
  private _classes: Map<string, ClassEntry> | undefined = undefined;
  private _scoped: Map<string, ScopedEntry> | undefined = undefined;
  private _stars: Scope[] | undefined = undefined;
  /** set on the placeholder scope of an import that failed: names behind it aren't reported again */
  failed = false;
  constructor(readonly parent: Scope | undefined) {}

  get vars(): Map<string, VarEntry> {
    return (this._vars ??= new Map());
  }
  get funcs(): Map<string, FuncEntry> {
    return (this._funcs ??= new Map());
  }
  get classes(): Map<string, ClassEntry> {
    return (this._classes ??= new Map());
  }
  get scoped(): Map<string, ScopedEntry> {
    return (this._scoped ??= new Map());
  }
  /** `import … as *` modules, searched (their own level only) after this level's maps. */
  get stars(): Scope[] {
    return (this._stars ??= []);
  }

  /** This level's entry for `name` in `ns`, without creating an empty map. */
  own<N extends Namespace>(ns: N, name: string): EntryOf<N> | undefined {
    const m = ns === "vars" ? this._vars : ns === "funcs" ? this._funcs : this._classes;
    return m === undefined ? undefined : (m as Map<string, EntryOf<N>>).get(name);
  }
  /** This level's alias `name`, without creating an empty map. */
  ownScoped(name: string): ScopedEntry | undefined {
    return this._scoped === undefined ? undefined : this._scoped.get(name);
  }
  /** This level's star imports, or undefined when there are none. */
  ownStars(): readonly Scope[] | undefined {
    return this._stars;
  }

  /** A child scope holding only the given vars (lambda/func params, loop vars). */
  child(): Scope {
    return new Scope(this);
  }
}

/** Instantiates `include … as alias` entries on demand; undefined when it can't (errors are reported elsewhere). */
export type ForceScoped = (e: ScopedEntry) => Scope | undefined;

/** A name to look up, split once at its first dot (`prefix` is undefined for an undotted name). */
interface Key {
  readonly name: string;
  readonly prefix: string | undefined;
  readonly rest: string;
}

function keyOf(name: string): Key {
  const dot = name.indexOf(".");
  return dot > 0 ? { name, prefix: name.slice(0, dot), rest: name.slice(dot + 1) } : { name, prefix: undefined, rest: name };
}

function lookupLevel<N extends Namespace>(s: Scope, ns: N, key: Key, force: ForceScoped): EntryOf<N> | undefined | null {
  const hit = s.own(ns, key.name);
  if (hit) return hit;
  if (key.prefix !== undefined) {
    const sc = s.ownScoped(key.prefix);
    if (sc) {
      const inner = force(sc);
      // an alias owns its prefix: a missing name behind it is not searched further out
      return inner ? (lookup(inner, ns, key.rest, force) ?? null) : null;
    }
  }
  const stars = s.ownStars();
  if (stars === undefined) return undefined;
  for (const star of stars) {
    const r = lookupLevel(star, ns, key, force);
    if (r) return r;
  }
  return undefined;
}

/** Look a (possibly dotted) name up through the scope chain. */
export function lookup<N extends Namespace>(scope: Scope, ns: N, name: string, force: ForceScoped): EntryOf<N> | undefined {
  // The name is split once here, not at every level of the chain (a slice per level showed in profiles).
  const key = keyOf(name);
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const r = lookupLevel(s, ns, key, force);
    if (r === null) return undefined;
    if (r) return r;
  }
  return undefined;
}

/** True when `name` is behind the alias of a failed import (its errors would be cascades). */
export function behindFailedAlias(scope: Scope, name: string): boolean {
  const dot = name.indexOf(".");
  if (dot < 0) return false;
  const alias = name.slice(0, dot);
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const e = s.ownScoped(alias);
    if (e) return e.k === "scope" && e.scope.failed;
  }
  return false;
}

/** Every name visible in a namespace (error path only: "did you mean"). */
export function visibleNames(scope: Scope, ns: Namespace, limit = 5000): string[] {
  const out: string[] = [];
  for (let s: Scope | undefined = scope; s && out.length < limit; s = s.parent) {
    for (const k of s[ns].keys()) out.push(k);
    for (const [alias, e] of s.scoped) {
      if (e.k === "scope") for (const k of e.scope[ns].keys()) out.push(`${alias}.${k}`);
    }
  }
  return out;
}

function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const max = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    if (c === name || c.startsWith("_")) continue;
    const d = editDistance(name, c, max);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
