/**
 * Scope and type checking through compileSource (mcl-language.md §3–§6, §12). One small program
 * per case; assertions name the message, the phase and (where it matters) the notes.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compileSource } from "../lang/compile.js";
import { parse } from "../lang/parse.js";
import type { Diagnostic } from "../lang/diagnostics.js";
import { printType } from "../lang/types.js";

function ok(src: string): Map<string, string> {
  const r = compileSource(src);
  assert.deepEqual(r.diagnostics.map((d) => `${d.phase}: ${d.message}`), [], src);
  assert.ok(r.program);
  return new Map([...r.program!.bindTypes].map(([k, t]) => [k, printType(t)]));
}

function fails(src: string, phase: string, message: string | RegExp): Diagnostic {
  const r = compileSource(src);
  assert.equal(r.program, undefined, `expected failure for:\n${src}`);
  const d = r.diagnostics.find((x) => (typeof message === "string" ? x.message.startsWith(message) : message.test(x.message)));
  assert.ok(d, `no diagnostic ${String(message)} in:\n${r.diagnostics.map((x) => `${x.phase}: ${x.message}`).join("\n")}`);
  assert.equal(d!.phase, phase);
  return d!;
}

const pos = (d: { span?: { start: { line: number; col: number } } }) => `${d.span?.start.line}:${d.span?.start.col}`;

// ---------------------------------------------------------------------------------------------
// scope

test("order independence: use before definition", () => {
  const t = ok(`$y = $x\n$x = "hi"\nfile "/tmp/x" {\n\tcontent => $y,\n}\n`);
  assert.equal(t.get("x"), "str");
  assert.equal(t.get("y"), "str");
});

test("prog-local bind shadows the outer one: $x = $x + 1 is a cycle", () => {
  const d = fails(`$x = $x + 1\n`, "scope", "recursive reference while setting scope: not a dag");
  assert.equal(d.notes?.length, 1);
  assert.equal(pos(d.notes![0]!), "1:6");
});

test("inner prog shadows outer names", () => {
  ok(`$x = "outer"\nif true {\n\t$x = "inner"\n\ttest $x {}\n}\ntest $x {}\n`);
});

test("duplicate bind reports both spans", () => {
  const d = fails(`$x = 1\n$x = 2\n`, "scope", "could not generate ordering: duplicate assignment to `var:x`");
  assert.equal(pos(d), "2:1");
  assert.equal(pos(d.notes![0]!), "1:1");
});

test("var, func and class namespaces are separate", () => {
  ok(`$x = "a"\nfunc x() { "b" }\nclass x {\n\ttest "c" {}\n}\ninclude x\ntest $x {}\ntest [x()] {}\n`);
});

test("unknown names with did-you-mean", () => {
  const d = fails(`$hello = "a"\ntest $helo {}\n`, "scope", "var `$helo` does not exist in this scope");
  assert.match(d.hint ?? "", /\$hello/);
  fails(`test nope() {}\n`, "scope", "func `nope` does not exist in this scope");
  fails(`include nope\n`, "scope", "class `nope` does not exist in this scope");
  fails(`test $f("a") {}\n`, "scope", "lambda `$$f` does not exist in this scope");
});

test("unused binds are scope-checked but not type-checked", () => {
  ok(`$unused = 1 + "a"\n`);
  fails(`$unused = $nope\n`, "scope", "var `$nope` does not exist");
});

test("recursion: functions, lambdas via vars, classes", () => {
  const d = fails(`func f1() { f2() }\nfunc f2() { f1() }\ntest f1() {}\n`, "scope", "recursive reference while setting scope: not a dag");
  assert.equal(d.notes?.length, 2);
  fails(`$f = func() { $f() }\n`, "scope", "recursive reference");
  fails(`class c1 {\n\tinclude c2\n}\nclass c2 {\n\tinclude c1\n}\ninclude c1\n`, "scope", "recursive reference");
});

test("definition-site scoping: a function doesn't see the caller's locals", () => {
  fails(`func f() { $secret }\nclass c {\n\t$secret = "x"\n\ttest f() {}\n}\ninclude c\n`, "scope", "var `$secret` does not exist");
});

test("class params shadow and include arity", () => {
  ok(`$a = 42\nclass c($a) {\n\ttest [$a] {}\n}\ninclude c("x")\n`);
  fails(`class c1($a) {\n\ttest $a {}\n}\ninclude c1\n`, "scope", "class `c1` expected 1 args but got 0");
});

test("class body not checked unless included", () => {
  ok(`class c {\n\ttest $nope {}\n}\n`);
});

test("include as alias exports vars, funcs, lambdas, classes, nested and captured vars", () => {
  const src = [
    `$outer = "o"`,
    `class base($p) {`,
    `\t$v = $p`,
    `\tfunc f() { "f" }`,
    `\t$lam = func($x) { $x }`,
    `\tclass inner {`,
    `\t\ttest "inner" {}`,
    `\t}`,
    `\tclass leaf {`,
    `\t\t$deep = "d"`,
    `\t}`,
    `\tinclude leaf as nested`,
    `}`,
    `include base("x") as i1`,
    `include i1.inner`,
    `test [$i1.v] {}`,
    `test [i1.f()] {}`,
    `test [$i1.lam("l")] {}`,
    `test $i1.nested.deep {}`,
    `test $i1.outer {}`,
    ``,
  ].join("\n");
  ok(src);
});

test("class a:b nesting sugar", () => {
  ok(`class a {\n\t$x = "ax"\n}\nclass a:b {\n\ttest "b" {}\n}\ninclude a as ia\ninclude ia.b\n`);
});

test("duplicate include alias", () => {
  fails(`class c {\n\t$x = "x"\n}\ninclude c as i\ninclude c as i\n`, "scope", "could not generate ordering: duplicate assignment to `scoped:i`");
});

test("loop vars and if branches own scope", () => {
  ok(`for $i, $v in ["a", "b"] {\n\ttest "${"$"}{v}" {}\n}\n`);
  fails(`if true {\n\t$inner = "x"\n}\ntest $inner {}\n`, "scope", "var `$inner` does not exist");
  fails(`for $index, $v in ["a"] {\n\t$index = $index + 1\n}\n`, "scope", "recursive reference");
});

test("scope errors stop before typing", () => {
  const r = compileSource(`$x = 1 + "a"\ntest $x {}\ntest $nope {}\n`);
  assert.deepEqual(r.diagnostics.map((d) => d.phase), ["scope"]);
});

// ---------------------------------------------------------------------------------------------
// types

test("type mismatch names both types and where each came from", () => {
  const d = fails(`file "/tmp/x" {\n\tcontent => 42,\n}\n`, "type", "type error: int != str");
  assert.match(d.message, /expected str, found int/);
  assert.equal(pos(d), "2:13");
  assert.deepEqual(
    d.notes?.map((n) => `${n.message} @ ${pos(n)}`),
    ['expected str because of the field content of file["/tmp/x"] @ 2:2', "found int from this int literal @ 2:13"],
  );
});

test("reasons of origins built on demand: builtin, value, func and class params, annotations", () => {
  // the checker builds these reasons only when a note prints them (lang/checker/origin.ts)
  const notes = (src: string): string[] => (fails(src, "type", "type error: int != str").notes ?? []).map((n) => `${n.message} @ ${pos(n)}`);
  assert.deepEqual(notes(`import "strings"\n$n = strings.to_upper(42)\ntest [$n] {}\n`), ["expected str because of parameter `a` of `strings.to_upper` @ 2:6", "found int from this int literal @ 2:23"]);
  assert.deepEqual(notes(`$f = func($a str) { $a }\n$y = $f(1)\ntest [$y] {}\n`), ["expected str because of parameter `a` of the variable `$f` @ 2:6", "found int from this int literal @ 2:9"]);
  assert.deepEqual(notes(`func f($x str) { $x }\n$y = f(1)\ntest [$y] {}\n`), ["expected str because of the parameter `$x` of func `f` @ 1:8", "found int from this int literal @ 2:8"]);
  assert.deepEqual(notes(`class c($p str) {\n\ttest [$p] {}\n}\ninclude c(1)\n`), ["expected str because of the parameter `$p` of class `c` @ 1:9", "found int from this int literal @ 4:11"]);
  assert.deepEqual(notes(`$x str = len("a")\ntest [$x] {}\n`), ["expected str because of the type annotation of `$x` @ 1:4", "found int from the result of `len(…)` @ 1:10"]);
});

test("mismatch through a variable points at the literal", () => {
  const d = fails(`$x = 42\nfile "/tmp/x" {\n\tcontent => $x,\n}\n`, "type", "type error: int != str");
  assert.ok(d.notes?.some((n) => n.message === "found int from this int literal" && pos(n) === "1:6"));
});

test("polymorphic func statement", () => {
  ok(`func double($x) { $x + $x }\ntest "a" {\n\tint64 => double(42),\n\tstringptr => double("a"),\n}\n`);
});

test("lambda bound to a var is monomorphic", () => {
  fails(`$id = func($x) { $x }\ntest "a" {\n\tint64 => $id(42),\n\tstringptr => $id("a"),\n}\n`, "type", /^type error: (int != str|str != int)/);
});

test("class params inferred per include, monomorphic within one", () => {
  const t = ok(`class c($a) {\n\t$v = $a\n}\ninclude c(42) as i1\ninclude c("s") as i2\ntest "a" {\n\tint64 => $i1.v,\n\tstringptr => $i2.v,\n}\n`);
  assert.equal(t.size, 0);
  fails(`class c($id) {\n\ttest "a" {\n\t\tint64 => $id(42),\n\t\tstringptr => $id("x"),\n\t}\n}\ninclude c(func($x) { $x })\n`, "type", "type error:");
});

test("printf refinement from the format string", () => {
  const t = ok(`import "fmt"\n$s = fmt.printf("%d-%s", 3, "x")\ntest [$s] {}\n`.replace("[$s]", "[$s]"));
  assert.equal(t.get("s"), "str");
  fails(`import "fmt"\n$s = fmt.printf("%d", "x")\ntest [$s] {}\n`, "type", /printf.*str != int|int != str/);
});

test("resource fields: unknown field and unknown kind", () => {
  const d = fails(`test "a" {\n\tint65 => 1,\n}\n`, "type", "field `int65` does not exist in `test` resource");
  assert.match(d.hint ?? "", /int64/);
  fails(`nosuchkind "a" {\n\tx => 1,\n}\n`, "type", "field `x` does not exist in `nosuchkind` resource");
  ok(`nosuchkind "a" {}\n`);
});

test("static str / []str resource name rule", () => {
  ok(`$n = "a"\ntest $n {}\ntest "${"$"}{n}" {}\ntest ["x", "y"] {}\n`);
  fails(`import "fmt"\n$s = fmt.printf("%d", 3)\ntest $s {}\n`, "type", "type error: str != list");
  fails(`test 42 {}\n`, "type", "type error:");
});

test("edges: one half, send/recv", () => {
  fails(`Test["a"]\n`, "type", "can't create an edge with only one half");
  ok(`test "a" {}\ntest "b" {}\nTest["a"] -> Test["b"]\n`);
  ok(`test "a" {}\ntest "b" {}\nTest["a"].hello -> Test["b"].anotherstr\n`);
  fails(`test "a" {}\ntest "b" {}\nTest["a"].answer -> Test["b"].anotherstr\n`, "type", "cannot send/recv from test[a].answer to test[b].anotherstr: field kind mismatch between int and string");
  fails(`file "a" {}\ntest "b" {}\nFile["a"].content -> Test["b"].anotherstr\n`, "type", "cannot send from resource of kind: file");
});

test("meta params and the Meta struct", () => {
  ok(`test "a" {\n\tMeta:noop => true,\n\tMeta:retry => 3,\n}\n`);
  fails(`test "a" {\n\tMeta:noop => 1,\n}\n`, "type", "type error: int != bool");
  fails(`test "a" {\n\tMeta => struct{noop => true},\n}\n`, "type", "struct field count differs");
});

test("conditions must be bool", () => {
  fails(`if 1 {\n\ttest "a" {}\n}\n`, "type", "type error: int != bool");
  fails(`test "a" {\n\tint64 => "x" ?: 1,\n}\n`, "type", "type error: str != bool");
});

test("interpolated vars must be str", () => {
  fails(`$b = true\ntest "x${"$"}{b}" {}\n`, "type", "type error: bool != str");
});

test("for over a list, forkv over a map", () => {
  ok(`for $i, $v in ["a", "b"] {\n\ttest "${"$"}{v}" {\n\t\tint64 => $i,\n\t}\n}\n`);
  ok(`forkv $k, $v in {"a" => 1} {\n\ttest "${"$"}{k}" {\n\t\tint64 => $v,\n\t}\n}\n`);
  fails(`for $i, $v in 42 {\n\ttest "a" {}\n}\n`, "type", "type error: int != list");
});

test("struct field lookup", () => {
  ok(`$m = struct{a => 1}\ntest "a" {\n\tint64 => $m->a,\n}\n`);
  fails(`$m = struct{a => 1}\ntest "a" {\n\tint64 => $m->missing,\n}\n`, "type", /field missing was not found in struct/);
  ok(`$m = struct{a => 1}\ntest "a" {\n\tint64 => $m->b <|> 3,\n}\n`);
});

test("no implicit int/float conversion; int division yields float", () => {
  fails(`test "a" {\n\tint64 => 1 + 2.0,\n}\n`, "type", "type error:");
  ok(`test "a" {\n\tfloat64 => 4 / 2,\n}\n`);
});

test("ambiguous types after solving", () => {
  fails(`$l = []\ntest "a" {\n\tint64 => len($l),\n}\n`, "type", /^expr: .* is ambiguous/);
});

test("panic arg bool or str", () => {
  ok(`panic(false)\npanic("")\n`);
  fails(`panic(42)\n`, "type", /error setting type/);
});

test("in is contains", () => {
  ok(`test "a" {\n\tboolptr => "x" in ["x", "y"],\n}\n`);
  fails(`test "a" {\n\tboolptr => 1 in ["x"],\n}\n`, "type", "type error:");
});

test("map keys must be hashable", () => {
  fails(`$k = [1]\n$m = {$k => 1}\ntest "a" {\n\tint64 => len($m),\n}\n`, "type", /not hashable/);
});

test("several independent type errors are reported", () => {
  const r = compileSource(`test "a" {\n\tint64 => "x",\n}\ntest "b" {\n\tstringptr => 1,\n}\n`);
  assert.equal(r.diagnostics.length, 2);
});

test("builtin arg count", () => {
  fails(`test "a" {\n\tint64 => len("a", "b"),\n}\n`, "type", "error getting arg name #1 for func `len`");
});

test("hostname option and globals", () => {
  ok(`test $hostname {}\ntest $const.res.file.state.exists {}\n`);
});

test("large program: thousands of independent statements check cleanly", () => {
  // Speed is measured by bench/ (npm run bench), not here: this only pins correctness at scale.
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) {
    lines.push(`$x${i} = "v${i}"`);
    lines.push(`$y${i} = $x${i} + "a"`);
    lines.push(`test "${"$"}{y${i}}" {\n\tint64 => ${i} + 1,\n}`);
  }
  const r = compileSource(lines.join("\n") + "\n");
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.program?.bindTypes.get("y4999") !== undefined || r.program !== undefined, true);
});
