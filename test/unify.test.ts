/** Unit tests for lang/unify.ts and lang/type-parse.ts (mcl-language.md §5.3). */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import type { Span } from "../lang/ast.js";
import type { TypeAst } from "../lang/ast.js";
import { parseType, typeFromAst } from "../lang/type-parse.js";
import { T, printType, type Type } from "../lang/types.js";
import { Unifier, type Origin } from "../lang/unify.js";

const P = parseType;
const span = (line: number): Span => ({ file: "/main.mcl", start: { line, col: 1, offset: 0 }, end: { line, col: 2, offset: 1 } });
const origin = (reason: string, line = 1): Origin => ({ span: span(line), reason });

/** Unify, expecting success. */
function ok(u: Unifier, a: Type, b: Type): void {
  const f = u.unify(a, b);
  assert.equal(f, undefined, f && `${f.message}: ${printType(f.expected)} vs ${printType(f.actual)}`);
}

/** Replace vars by fresh ones (registry-style instantiation). */
function inst(u: Unifier, s: string): Type {
  return u.instantiate(P(s));
}

test("type strings round-trip through printType", () => {
  for (const s of [
    "bool",
    "str",
    "int",
    "float",
    "variant",
    "nil",
    "?7",
    "[]str",
    "[][]?1",
    "map{str: int}",
    "map{struct{a int}: []str}",
    "struct{}",
    "struct{a int; b str}",
    "func() str",
    "func(a str, b ?1) []?1",
    "func(0 int, 1 str) func(x bool) bool",
    "func(inputs []?1, function func(0 ?1) ?2) []?2",
  ]) {
    assert.equal(printType(P(s)), s);
  }
  assert.equal(printType(P("func(int, str) bool")), "func(0 int, 1 str) bool");
  assert.equal(printType(P("func($a int) str")), "func(a int) str");
  assert.equal(printType(P("func(map{str: int}, []str) str")), "func(0 map{str: int}, 1 []str) str");
  assert.equal(printType(P("func(str str) str")), "func(str str) str");
  assert.equal(printType(P("struct{a int; b str;}")), "struct{a int; b str}");
});

test("malformed type strings throw", () => {
  for (const s of ["", "list", "[]", "map{str int}", "struct{a}", "func(a str", "?x", "int int", "struct{a int; a str}"]) {
    assert.throws(() => P(s), /bad type string/, s);
  }
});

test("typeFromAst names unnamed params by index and keeps given names", () => {
  const sp = span(1);
  const int: TypeAst = { kind: "tprim", name: "int", span: sp };
  const t: TypeAst = {
    kind: "tfunc",
    params: [{ type: int, span: sp }, { name: "b", type: { kind: "tlist", elem: int, span: sp }, span: sp }],
    ret: { kind: "tstruct", fields: [{ name: "x", type: { kind: "tmap", key: int, val: int, span: sp }, span: sp }], span: sp },
    multiline: false,
    span: sp,
  };
  assert.equal(printType(typeFromAst(t)), "func(0 int, b []int) struct{x map{int: int}}");
});

test("var binds to a concrete type and resolves", () => {
  const u = new Unifier();
  const a = u.fresh();
  ok(u, T.list(a), T.list(T.int));
  assert.equal(printType(u.resolve(a)), "int");
  assert.equal(printType(u.resolve(T.map(a, T.list(a)))), "map{int: []int}");
});

test("var chains: unions of unbound vars share the later binding", () => {
  const u = new Unifier();
  const vs = Array.from({ length: 50 }, () => u.fresh());
  for (let i = 1; i < vs.length; i++) ok(u, vs[i - 1]!, vs[i]!);
  ok(u, vs[vs.length - 1]!, T.str);
  for (const v of vs) assert.equal(printType(u.resolve(v)), "str");
  // a bound chain vs a conflicting type
  const f = u.unify(vs[0]!, T.int);
  assert.equal(f?.message, "type error: int != str");
});

test("unbound vars resolve to one representative", () => {
  const u = new Unifier();
  const a = u.fresh();
  const b = u.fresh();
  ok(u, a, b);
  assert.deepEqual(u.resolve(a), u.resolve(b));
  assert.equal(u.resolve(a).k, "var");
});

test("kind mismatch messages use kind words", () => {
  const u = new Unifier();
  assert.equal(u.unify(T.str, T.int)?.message, "type error: int != str");
  assert.equal(u.unify(T.str, T.list(T.str))?.message, "type error: list != str");
  assert.equal(u.unify(T.map(T.str, T.int), T.map(T.str, T.float))?.message, "type error: float != int");
  assert.equal(u.unify(T.variant, T.str)?.message, "type error: str != variant");
  assert.equal(u.unify(T.variant, T.variant), undefined);
  assert.equal(u.unify(T.nil, T.nil), undefined);
});

test("struct unification: count, names in order, field types", () => {
  const u = new Unifier();
  assert.equal(u.unify(P("struct{a int}"), P("struct{a int; b str}"))?.message, "struct field count differs");
  assert.equal(u.unify(P("struct{a int; b str}"), P("struct{b str; a int}"))?.message, "struct fields differ");
  assert.equal(u.unify(P("struct{a int; b str}"), P("struct{a int; b int}"))?.message, "type error: int != str");
  const v = u.fresh();
  ok(u, T.struct([{ name: "a", type: v }]), P("struct{a []str}"));
  assert.equal(printType(u.resolve(v)), "[]str");
  ok(u, P("struct{}"), P("struct{}"));
});

test("func unification: arity, params positionally (names ignored), then return", () => {
  const u = new Unifier();
  assert.equal(u.unify(P("func(a int) int"), P("func(a int, b int) int"))?.message, "func arg count differs");
  ok(u, P("func(a int, b str) bool"), P("func(x int, y str) bool"));
  const r = u.fresh();
  const x = u.fresh();
  ok(u, T.func([{ name: "a", type: x }], r), P("func(q str) []str"));
  assert.equal(printType(u.resolve(r)), "[]str");
  assert.equal(printType(u.resolve(x)), "str");
  const f = u.unify(P("func(a int) str"), P("func(a int) int"));
  assert.equal(f?.message, "type error: int != str");
  assert.equal(printType(f!.expected), "str");
  assert.equal(printType(f!.actual), "int");
});

test("occurs check: directly in the same set", () => {
  const u = new Unifier();
  const a = u.fresh();
  assert.equal(u.unify(a, T.list(a))?.message, "directly in the same set");
  assert.equal(u.unify(T.list(a), a)?.message, "directly in the same set");
  // through a chain: b bound to map{str: a}, then a := b
  const b = u.fresh();
  ok(u, b, T.map(T.str, a));
  assert.equal(u.unify(a, b)?.message, "directly in the same set");
  // the Y-combinator shape: f = func(f) r
  const g = u.fresh();
  const r = u.fresh();
  assert.equal(u.unify(g, T.func([{ name: "x", type: g }], r))?.message, "directly in the same set");
  // a var unified with itself is fine
  ok(u, a, a);
});

test("bound var vs bound var unifies the bindings and merges the sets", () => {
  const u = new Unifier();
  const a = u.fresh();
  const b = u.fresh();
  const x = u.fresh();
  const y = u.fresh();
  ok(u, a, T.list(x));
  ok(u, b, T.list(y));
  ok(u, a, b);
  ok(u, x, T.int);
  assert.equal(printType(u.resolve(y)), "int");
  assert.equal(u.unify(b, T.list(T.str))?.message, "type error: str != int");
});

test("polymorphic instantiation: each copy is independent", () => {
  const u = new Unifier();
  const sig = P("func(inputs []?1, function func(?1) ?2) []?2");
  const i1 = u.instantiate(sig);
  const i2 = u.instantiate(sig);
  ok(u, i1, P("func(a []int, b func(x int) str) []str"));
  ok(u, i2, P("func(a []bool, b func(x bool) float) []float"));
  assert.equal(printType(u.resolve(i1)), "func(inputs []int, function func(0 int) str) []str");
  // the original (raw registry ?1/?2) is untouched by instantiation copies
  assert.equal(printType(sig), "func(inputs []?1, function func(0 ?1) ?2) []?2");
  // consistent within one call
  const i3 = inst(u, "func(a ?1, b ?1) ?1");
  assert.equal(i3.k, "func");
  if (i3.k === "func") assert.deepEqual(i3.params[0]!.type, i3.ret);
  // instantiate copies templates verbatim: a template's ?N is never looked up in the live
  // union-find (registry ids would collide with program vars); resolve first when that is wanted
  const v = u.fresh();
  ok(u, v, T.str);
  assert.equal(printType(u.instantiate(u.resolve(T.list(v)))), "[]str");
  assert.notEqual(printType(u.instantiate(T.list(v))), "[]str");
});

test("instantiate shares a type without vars and still freshens one with vars", () => {
  const u = new Unifier();
  const concrete = P("func(a []str, b map{str: int}) struct{x bool}");
  assert.equal(u.instantiate(concrete), concrete); // immutable and var-free: no copy
  assert.equal(u.instantiate(T.str), T.str);
  const before = u.size;
  const open = P("struct{a []str; b ?1}");
  const i = u.instantiate(open);
  assert.notEqual(i, open);
  assert.equal(u.size, before + 1);
  ok(u, i, P("struct{a []str; b int}"));
  assert.equal(printType(u.resolve(i)), "struct{a []str; b int}");
});

test("lambda bound to a var is monomorphic", () => {
  const u = new Unifier();
  const x = u.fresh();
  const id = T.func([{ name: "x", type: x }], x); // $id = func($x) { $x }
  ok(u, id, T.func([{ name: "0", type: T.int }], u.fresh()));
  assert.equal(u.unify(id, T.func([{ name: "0", type: T.str }], u.fresh()))?.message, "type error: str != int");
});

test("origins: bound vars remember who bound them; failures report both sides", () => {
  const u = new Unifier();
  const v = u.fresh();
  const lit = origin("this int literal", 3);
  const field = origin("the field content of file[\"/tmp/x\"]", 7);
  ok(u, v, T.int); // no origins passed: nothing recorded
  assert.equal(u.originOf(v), undefined);

  const w = u.fresh();
  assert.equal(u.unify(w, T.int, undefined, lit), undefined);
  assert.deepEqual(u.originOf(w), lit);
  const f = u.unify(T.str, w, field, origin("a use of $w", 9));
  assert.equal(f?.message, "type error: int != str");
  assert.deepEqual(f?.expectedFrom, field);
  assert.deepEqual(f?.actualFrom, lit, "the bound var's origin wins over the use site");

  // a var/var union keeps the binding origin
  const z = u.fresh();
  ok(u, z, w);
  assert.deepEqual(u.originOf(z), lit);
  // originOf a non-var is undefined
  assert.equal(u.originOf(T.int), undefined);
  // failures inside structure carry the clashing subtypes and origins
  const l = u.fresh();
  u.unify(l, T.list(T.bool), undefined, origin("this list", 2));
  const g = u.unify(T.list(T.str), l, field, undefined);
  assert.equal(g?.message, "type error: bool != str");
  assert.equal(g?.actualFrom?.reason, "this list");
});

test("failures leave the unifier usable", () => {
  const u = new Unifier();
  const a = u.fresh();
  const b = u.fresh();
  const f = u.unify(T.struct([{ name: "x", type: a }, { name: "y", type: T.int }]), T.struct([{ name: "x", type: T.str }, { name: "y", type: T.str }]));
  assert.equal(f?.message, "type error: str != int");
  assert.equal(printType(u.resolve(a)), "str"); // partial binding kept
  ok(u, b, T.float);
  assert.equal(printType(u.resolve(b)), "float");
});

test("external var ids (raw registry vars) are accepted and fresh() never reuses them", () => {
  const u = new Unifier();
  const raw = P("?40");
  ok(u, raw, T.int);
  const f = u.fresh();
  assert.ok(f.k === "var" && f.id > 40);
});

test("resolve shares unchanged subtrees", () => {
  const u = new Unifier();
  const t = P("map{str: struct{a []int; b func(x str) bool}}");
  assert.equal(u.resolve(t), t);
});

test("scales: 200k var chain + 200k constraints stay fast", () => {
  const u = new Unifier();
  const n = 200_000;
  const t0 = performance.now();
  let prev = u.fresh();
  const first = prev;
  for (let i = 0; i < n; i++) {
    const v = u.fresh();
    ok(u, prev, v);
    prev = v;
  }
  ok(u, prev, T.list(T.str));
  for (let i = 0; i < n; i++) {
    const e = u.fresh();
    ok(u, first, T.list(e));
  }
  assert.equal(printType(u.resolve(first)), "[]str");
  const ms = performance.now() - t0;
  // a complexity guard, not a benchmark (bench/ measures speed): quadratic behaviour would take minutes
  assert.ok(ms < 20_000, `took ${ms} ms`);
});
