/**
 * The type unifier (mcl-language.md §5.3, mgmt `lang/unification/fastsolver`): union-find over
 * unification variables with path compression and union by rank. Each set's root optionally holds
 * a binding (a non-var type, possibly containing other vars) and the Origin of the side that bound
 * it, so errors can say where each clashing concrete type came from.
 *
 * Performance: bindings live in flat arrays indexed by var id; unify never copies types (it only
 * walks them), so a program with ~1M constraints stays near-linear. Only `resolve`/`instantiate`
 * allocate, and `resolve` shares unchanged subtrees.
 */
import type { Span } from "./ast.js";
import { isConcrete, kindName, type FieldType, type Type } from "./types.js";

/** Why a type was required / where it came from, for error messages: reason like `the field content of file["/tmp/x"]` or `this int literal`. */
export interface Origin {
  readonly span: Span;
  readonly reason: string;
}

export interface UnifyFailure {
  /** mgmt-style short text: "type error: str != int" (kind names), "func arg count differs", "struct field count differs", "struct fields differ", "directly in the same set" (occurs check) */
  readonly message: string;
  /** the clashing (sub)types, fully resolved */
  readonly expected: Type;
  readonly actual: Type;
  /** where each clashing side's concrete type came from, when known (origin recorded when a var got bound) */
  readonly expectedFrom?: Origin;
  readonly actualFrom?: Origin;
}

/**
 * A union-find type unifier.
 *
 * @example
 * const u = new Unifier();
 * const a = u.fresh();
 * u.unify(T.list(a), T.list(T.int));   // undefined (success)
 * printType(u.resolve(a));              // "int"
 */
export class Unifier {
  // Parallel arrays indexed by var id (ids of vars not created by `fresh` are accepted too:
  // the arrays grow on demand). Declared up front to keep the V8 hidden class stable.
  // parent/rank are typed arrays grown by doubling; binding/origin are dense plain arrays.
  private parent = new Int32Array(1024);
  private rank = new Uint8Array(1024);
  private readonly binding: (Type | undefined)[] = [];
  private readonly origin: (Origin | undefined)[] = [];
  /** Number of initialised slots (ids < len are valid set members). */
  private len = 0;
  private next = 1;

  /** A new unification variable (ids start at 1 and never repeat within this unifier). */
  fresh(): Type {
    const id = this.next++;
    this.ensure(id);
    return { k: "var", id };
  }

  /** Number of vars allocated so far (for diagnostics/benchmarks). */
  get size(): number {
    return this.next - 1;
  }

  /**
   * Unify `expected` with `actual`. On success records bindings (each var bound remembers the
   * Origin of the side that bound it) and returns undefined. On failure returns the failure and
   * leaves the state consistent (partial bindings from sibling subterms may remain).
   */
  unify(expected: Type, actual: Type, expectedFrom?: Origin, actualFrom?: Origin): UnifyFailure | undefined {
    return this.go(expected, actual, expectedFrom, actualFrom);
  }

  /** Replace every bound var by its binding, recursively (zonk); unbound vars become their set's representative var. */
  resolve(t: Type): Type {
    switch (t.k) {
      case "var": {
        const r = this.find(t.id);
        const b = this.binding[r];
        if (b === undefined) return r === t.id ? t : { k: "var", id: r };
        return this.resolve(b);
      }
      case "list": {
        const e = this.resolve(t.elem);
        return e === t.elem ? t : { k: "list", elem: e };
      }
      case "map": {
        const key = this.resolve(t.key);
        const val = this.resolve(t.val);
        return key === t.key && val === t.val ? t : { k: "map", key, val };
      }
      case "struct": {
        const fields = this.resolveFields(t.fields);
        return fields === t.fields ? t : { k: "struct", fields };
      }
      case "func": {
        const params = this.resolveFields(t.params);
        const ret = this.resolve(t.ret);
        return params === t.params && ret === t.ret ? t : { k: "func", params, ret };
      }
      default:
        return t;
    }
  }

  /**
   * Copy `t` replacing every var (by id) with a fresh var, consistently within this call (used for
   * builtin signatures, polymorphic functions and `any` resource fields). Vars already bound in
   * this unifier are resolved first.
   */
  instantiate(t: Type): Type {
    // Registry signatures use small literal ids (`?1`) that are not this unifier's vars: never
    // resolve them through the union-find, or every call site would share one binding.
    // Most resource fields and many signatures have no var at all: share them, no copy, no Map.
    if (isConcrete(t)) return t;
    return this.copyFresh(t, new Map());
  }

  // A method rather than a closure: closures allocated per call are costly on this hot path.
  private copyFresh(x: Type, map: Map<number, Type>): Type {
    switch (x.k) {
      case "var": {
        let v = map.get(x.id);
        if (v === undefined) {
          v = this.fresh();
          map.set(x.id, v);
        }
        return v;
      }
      case "list":
        return { k: "list", elem: this.copyFresh(x.elem, map) };
      case "map":
        return { k: "map", key: this.copyFresh(x.key, map), val: this.copyFresh(x.val, map) };
      case "struct":
        return { k: "struct", fields: x.fields.map((f) => ({ name: f.name, type: this.copyFresh(f.type, map) })) };
      case "func":
        return { k: "func", params: x.params.map((p) => ({ name: p.name, type: this.copyFresh(p.type, map) })), ret: this.copyFresh(x.ret, map) };
      default:
        return x;
    }
  }

  /** Origin recorded for the concrete binding of a var's set, if any (undefined for non-vars). */
  originOf(t: Type): Origin | undefined {
    if (t.k !== "var") return undefined;
    return this.origin[this.find(t.id)];
  }

  /** True when the var's set has no concrete binding yet. */
  isUnbound(t: Type): boolean {
    return t.k === "var" && this.binding[this.find(t.id)] === undefined;
  }

  // -------------------------------------------------------------------------------------------

  private ensure(id: number): void {
    if (id >= this.next) this.next = id + 1;
    if (id < this.len) return;
    if (id >= this.parent.length) {
      let cap = this.parent.length * 2;
      while (cap <= id) cap *= 2;
      const p = new Int32Array(cap);
      p.set(this.parent);
      this.parent = p;
      const r = new Uint8Array(cap);
      r.set(this.rank);
      this.rank = r;
    }
    // Fill any gap so the plain arrays stay packed (much faster in V8).
    for (let i = this.len; i <= id; i++) {
      this.parent[i] = i;
      this.binding.push(undefined);
      this.origin.push(undefined);
    }
    this.len = id + 1;
  }

  private find(id: number): number {
    if (id >= this.len) this.ensure(id);
    const parent = this.parent;
    let r = id;
    while (parent[r]! !== r) r = parent[r]!;
    // Path compression.
    let x = id;
    while (x !== r) {
      const p = parent[x]!;
      parent[x] = r;
      x = p;
    }
    return r;
  }

  /** Union two roots; returns the new root. */
  private link(a: number, b: number): number {
    const ra = this.rank[a]!;
    const rb = this.rank[b]!;
    if (ra < rb) {
      this.parent[a] = b;
      return b;
    }
    this.parent[b] = a;
    if (ra === rb) this.rank[a] = ra + 1;
    return a;
  }

  private resolveFields(fs: readonly FieldType[]): readonly FieldType[] {
    let out: FieldType[] | undefined;
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i]!;
      const r = this.resolve(f.type);
      if (r !== f.type && out === undefined) out = fs.slice(0, i);
      if (out !== undefined) out.push(r === f.type ? f : { name: f.name, type: r });
    }
    return out ?? fs;
  }

  /** Does the set rooted at `root` occur inside `t` (following bindings)? */
  private occurs(root: number, t: Type): boolean {
    switch (t.k) {
      case "var": {
        const r = this.find(t.id);
        if (r === root) return true;
        const b = this.binding[r];
        return b !== undefined && this.occurs(root, b);
      }
      case "list":
        return this.occurs(root, t.elem);
      case "map":
        return this.occurs(root, t.key) || this.occurs(root, t.val);
      case "struct":
        return t.fields.some((f) => this.occurs(root, f.type));
      case "func":
        return t.params.some((p) => this.occurs(root, p.type)) || this.occurs(root, t.ret);
      default:
        return false;
    }
  }

  private fail(message: string, e: Type, a: Type, ef: Origin | undefined, af: Origin | undefined): UnifyFailure {
    const f: { -readonly [K in keyof UnifyFailure]: UnifyFailure[K] } = { message, expected: this.resolve(e), actual: this.resolve(a) };
    if (ef) f.expectedFrom = ef;
    if (af) f.actualFrom = af;
    return f;
  }

  /** Bind unbound root `r` (a var from one side) to the non-var type `t` coming from the other side. */
  private bind(r: number, v: Type, t: Type, tFrom: Origin | undefined, varIsExpected: boolean, vFrom: Origin | undefined): UnifyFailure | undefined {
    if (this.occurs(r, t)) {
      return varIsExpected ? this.fail("directly in the same set", v, t, vFrom, tFrom) : this.fail("directly in the same set", t, v, tFrom, vFrom);
    }
    this.binding[r] = t;
    if (tFrom) this.origin[r] = tFrom;
    return undefined;
  }

  private go(e: Type, a: Type, ef: Origin | undefined, af: Origin | undefined): UnifyFailure | undefined {
    if (e === a) return undefined;
    if (e.k === "var") {
      const er = this.find(e.id);
      const be = this.binding[er];
      if (a.k === "var") {
        const ar = this.find(a.id);
        if (er === ar) return undefined;
        const ba = this.binding[ar];
        if (be === undefined && ba === undefined) {
          this.link(er, ar);
          return undefined;
        }
        if (be === undefined || ba === undefined) {
          // One side unbound: merge the sets; the merged root keeps the existing binding.
          const [free, freeVar, boundRoot, bound] = be === undefined ? [er, e, ar, ba!] : [ar, a, er, be];
          if (this.occurs(free, bound)) {
            return be === undefined
              ? this.fail("directly in the same set", freeVar, bound, ef, this.origin[ar] ?? af)
              : this.fail("directly in the same set", bound, freeVar, this.origin[er] ?? ef, af);
          }
          const o = this.origin[boundRoot];
          const root = this.link(free, boundRoot);
          this.binding[root] = bound;
          this.origin[root] = o;
          return undefined;
        }
        // Both bound: unify the bindings, then merge the sets so repeated constraints are O(1).
        const r = this.go(be, ba, this.origin[er] ?? ef, this.origin[ar] ?? af);
        if (r) return r;
        const o = this.origin[er] ?? this.origin[ar];
        const root = this.link(er, ar);
        this.binding[root] = be;
        this.origin[root] = o;
        return undefined;
      }
      if (be === undefined) return this.bind(er, e, a, af, true, ef);
      ef = this.origin[er] ?? ef;
      e = be;
    } else if (a.k === "var") {
      const ar = this.find(a.id);
      const ba = this.binding[ar];
      if (ba === undefined) return this.bind(ar, a, e, ef, false, af);
      af = this.origin[ar] ?? af;
      a = ba;
    }
    if (e === a) return undefined;

    if (e.k !== a.k) return this.fail(`type error: ${kindName(a)} != ${kindName(e)}`, e, a, ef, af);
    switch (e.k) {
      case "list":
        return this.go(e.elem, (a as typeof e).elem, ef, af);
      case "map": {
        const m = a as typeof e;
        return this.go(e.key, m.key, ef, af) ?? this.go(e.val, m.val, ef, af);
      }
      case "struct": {
        const s = a as typeof e;
        if (e.fields.length !== s.fields.length) return this.fail("struct field count differs", e, a, ef, af);
        for (let i = 0; i < e.fields.length; i++) {
          if (e.fields[i]!.name !== s.fields[i]!.name) return this.fail("struct fields differ", e, a, ef, af);
        }
        for (let i = 0; i < e.fields.length; i++) {
          const r = this.go(e.fields[i]!.type, s.fields[i]!.type, ef, af);
          if (r) return r;
        }
        return undefined;
      }
      case "func": {
        const f = a as typeof e;
        if (e.params.length !== f.params.length) return this.fail("func arg count differs", e, a, ef, af);
        for (let i = 0; i < e.params.length; i++) {
          const r = this.go(e.params[i]!.type, f.params[i]!.type, ef, af);
          if (r) return r;
        }
        return this.go(e.ret, f.ret, ef, af);
      }
      default:
        return undefined; // same primitive kind (bool/str/int/float/variant/nil)
    }
  }
}
