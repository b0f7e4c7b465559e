/** Per-prog ordering (mcl-language.md §6.3): topological order, duplicates, cycles. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { parse } from "../lang/parse.js";
import { desugarClasses, orderProg } from "../lang/order.js";
import type { Stmt } from "../lang/ast.js";

function stmts(src: string): readonly Stmt[] {
  const r = parse(src, "main.mcl");
  assert.deepEqual(r.diagnostics, []);
  return r.prog.stmts;
}

const names = (ss: readonly Stmt[]) => ss.map((s) => ("name" in s && typeof s.name === "string" ? s.name : s.kind));

test("dependencies come first, source order otherwise", () => {
  const o = orderProg(stmts(`$a = $b\n$c = "c"\n$b = $c\n`));
  assert.deepEqual(o.diagnostics, []);
  assert.deepEqual(names(o.order), ["c", "b", "a"]);
});

test("duplicates in each namespace; same name across namespaces is fine", () => {
  assert.equal(orderProg(stmts(`$x = 1\nfunc x() { 1 }\n`)).diagnostics.length, 0);
  const d = orderProg(stmts(`func f() { 1 }\nfunc f() { 2 }\n`)).diagnostics;
  assert.equal(d[0]?.message, "could not generate ordering: duplicate assignment to `func:f`, have: func(f)");
});

test("cycle reports every reference", () => {
  const o = orderProg(stmts(`$a = $b\n$b = $c\n$c = $a\n`));
  assert.equal(o.diagnostics.length, 1);
  assert.equal(o.diagnostics[0]?.message, "recursive reference while setting scope: not a dag");
  assert.equal(o.diagnostics[0]?.notes?.length, 3);
});

test("lambda params and nested prog definitions don't create edges", () => {
  assert.deepEqual(orderProg(stmts(`$x = func($x) { $x }\n`)).diagnostics, []);
  assert.deepEqual(orderProg(stmts(`$v = "a"\nif true {\n\t$v = "b"\n}\n`)).diagnostics, []);
});

test("alias prefixes are consumers of scoped:alias", () => {
  const o = orderProg(stmts(`test $i.x {}\nclass c {\n\t$x = "x"\n}\ninclude c as i\n`));
  assert.deepEqual(o.diagnostics, []);
  assert.equal(o.order[o.order.length - 1]?.kind, "res");
});

test("class a:b sugar moves b into a", () => {
  const ss = desugarClasses(stmts(`class a {\n}\nclass a:b {\n}\n`));
  assert.equal(ss.length, 1);
  const a = ss[0]!;
  assert.ok(a.kind === "class" && a.body.length === 1);
});

test("deep chains don't overflow the stack", () => {
  const lines = ["$x0 = 0"];
  for (let i = 1; i < 20000; i++) lines.push(`$x${i} = $x${i - 1}`);
  const o = orderProg(stmts(lines.reverse().join("\n") + "\n"));
  assert.equal(o.order.length, 20000);
});
