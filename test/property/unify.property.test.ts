/**
 * fast-check properties of the unifier (ecosystem.md §5): soundness, completeness on constructed
 * pairs, symmetry of success, unify(t,t) is a no-op, the occurs check, idempotence of resolve,
 * invariance under variable renaming and independence of constraint order.
 * Volume: FC_RUNS (default 100). A failure prints its seed and path for replay.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { T, printType, typeEquals, type Type } from "../../lang/types.js";
import { Unifier } from "../../lang/unify.js";

const numRuns = Number(process.env.FC_RUNS ?? 100);
const NVARS = 6;

/** Type terms over vars ?1..?6, int|str|bool, lists, maps, small structs and funcs. */
const { type: arbType } = fc.letrec<{ type: Type }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<Type>(T.int, T.str, T.bool),
    fc.integer({ min: 1, max: NVARS }).map((id): Type => T.var(id)),
    tie("type").map((e) => T.list(e)),
    fc.tuple(tie("type"), tie("type")).map(([k, v]) => T.map(k, v)),
    fc.array(tie("type"), { maxLength: 2 }).map((fs) => T.struct(fs.map((t, i) => ({ name: `f${i}`, type: t })))),
    fc.tuple(fc.array(tie("type"), { maxLength: 2 }), tie("type")).map(([ps, r]) => T.func(ps.map((t, i) => ({ name: String(i), type: t })), r)),
  ),
}));

/** Apply a substitution (var id → type) everywhere, recursively (the substitution must be acyclic). */
function subst(t: Type, s: ReadonlyMap<number, Type>): Type {
  switch (t.k) {
    case "var": {
      const b = s.get(t.id);
      return b === undefined ? t : subst(b, s);
    }
    case "list":
      return T.list(subst(t.elem, s));
    case "map":
      return T.map(subst(t.key, s), subst(t.val, s));
    case "struct":
      return T.struct(t.fields.map((f) => ({ name: f.name, type: subst(f.type, s) })));
    case "func":
      return T.func(t.params.map((p) => ({ name: p.name, type: subst(p.type, s) })), subst(t.ret, s));
    default:
      return t;
  }
}

function varsOf(t: Type, out = new Set<number>()): Set<number> {
  switch (t.k) {
    case "var":
      out.add(t.id);
      break;
    case "list":
      varsOf(t.elem, out);
      break;
    case "map":
      varsOf(t.key, out);
      varsOf(t.val, out);
      break;
    case "struct":
      for (const f of t.fields) varsOf(f.type, out);
      break;
    case "func":
      for (const p of t.params) varsOf(p.type, out);
      varsOf(t.ret, out);
      break;
    default:
  }
  return out;
}

/** An acyclic substitution: ?i may only mention vars with a larger id. */
const arbSubst = fc.array(fc.option(arbType, { nil: undefined }), { minLength: NVARS, maxLength: NVARS }).map((ts) => {
  const s = new Map<number, Type>();
  ts.forEach((t, i) => {
    const id = i + 1;
    if (t === undefined) return;
    const bad = [...varsOf(t)].some((v) => v <= id);
    if (!bad) s.set(id, t);
  });
  return s;
});

const show = (t: Type): string => printType(t);

test("soundness: unify(a, b) succeeds ⇒ resolve(a) ≡ resolve(b)", () => {
  fc.assert(
    fc.property(arbType, arbType, (a, b) => {
      const u = new Unifier();
      if (u.unify(a, b) !== undefined) return true;
      return typeEquals(u.resolve(a), u.resolve(b));
    }),
    { numRuns },
  );
});

test("completeness on constructed pairs: unify(t, σ(t)) succeeds for acyclic σ", () => {
  fc.assert(
    fc.property(arbType, arbSubst, (t, s) => {
      const u = new Unifier();
      const st = subst(t, s);
      const f = u.unify(t, st);
      assert.equal(f, undefined, f && `${f.message}: ${show(t)} vs ${show(st)}`);
      assert.ok(typeEquals(u.resolve(t), u.resolve(st)));
    }),
    { numRuns },
  );
});

test("symmetry of success", () => {
  fc.assert(
    fc.property(arbType, arbType, (a, b) => {
      const ab = new Unifier().unify(a, b) === undefined;
      const ba = new Unifier().unify(b, a) === undefined;
      return ab === ba;
    }),
    { numRuns },
  );
});

test("unify(t, t) adds no bindings", () => {
  fc.assert(
    fc.property(arbType, (t) => {
      const u = new Unifier();
      assert.equal(u.unify(t, t), undefined);
      // a structural copy too (different objects, same vars)
      assert.equal(u.unify(t, subst(t, new Map())), undefined);
      for (const v of varsOf(t)) assert.deepEqual(u.resolve(T.var(v)), T.var(v));
      assert.ok(typeEquals(u.resolve(t), t));
    }),
    { numRuns },
  );
});

test("occurs check: a var never unifies with a proper type containing it", () => {
  const contexts = fc.constantFrom(
    (x: Type): Type => T.list(x),
    (x: Type): Type => T.map(T.str, x),
    (x: Type): Type => T.struct([{ name: "a", type: x }]),
    (x: Type): Type => T.func([{ name: "0", type: x }], T.int),
    (x: Type): Type => T.func([], T.list(x)),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: NVARS }), contexts, arbSubst, (id, ctx, s) => {
      const u = new Unifier();
      // bind some other vars first so the cycle may go through bindings
      for (const [v, t] of s) if (!varsOf(t).has(id) && v !== id) u.unify(T.var(v), t);
      const f = u.unify(T.var(id), ctx(T.var(id)));
      assert.equal(f?.message, "directly in the same set");
    }),
    { numRuns },
  );
});

test("idempotence of resolve after arbitrary constraints", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(arbType, arbType), { maxLength: 6 }), arbType, (pairs, t) => {
      const u = new Unifier();
      for (const [a, b] of pairs) u.unify(a, b);
      const r = u.resolve(t);
      return typeEquals(u.resolve(r), r);
    }),
    { numRuns },
  );
});

test("invariance under variable renaming", () => {
  const perm = fc.shuffledSubarray([1, 2, 3, 4, 5, 6], { minLength: NVARS, maxLength: NVARS });
  fc.assert(
    fc.property(arbType, arbType, perm, (a, b, p) => {
      const ren = new Map(p.map((to, i) => [i + 1, T.var(to + 100)] as const));
      const ok1 = new Unifier().unify(a, b) === undefined;
      const ok2 = new Unifier().unify(subst(a, ren), subst(b, ren)) === undefined;
      return ok1 === ok2;
    }),
    { numRuns },
  );
});

test("success of a constraint set does not depend on constraint order", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(arbType, arbType), { minLength: 1, maxLength: 5 }).chain((pairs) =>
        fc.tuple(fc.constant(pairs), fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }), fc.array(fc.boolean(), { minLength: pairs.length, maxLength: pairs.length })),
      ),
      ([pairs, shuffled, flips]) => {
        const all = (ps: readonly (readonly [Type, Type])[]): boolean => {
          const u = new Unifier();
          return ps.every(([a, b]) => u.unify(a, b) === undefined);
        };
        const flipped = shuffled.map(([a, b], i) => (flips[i] ? ([b, a] as const) : ([a, b] as const)));
        return all(pairs) === all(flipped);
      },
    ),
    { numRuns },
  );
});
