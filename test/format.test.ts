/**
 * The canonical layout of `steward fmt` (lang/format.ts), one case per rule: input → expected
 * output. Every expected output must itself be a fixpoint. Plus `runFmt` (runtime/cli/fmt.ts).
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatSource } from "../lang/format.js";
import { runFmt } from "../runtime/cli/fmt.js";

/** [name, input, expected] — `\t` in expected is a real tab. */
const CASES: readonly (readonly [string, string, string])[] = [
  ["empty file", "", ""],
  ["blank lines only", "\n\n\n", ""],
  ["missing final newline", "$x = 1", "$x = 1\n"],
  ["spaces around operators", "$x=1+2*3\n", "$x = 1 + 2 * 3\n"],
  ["parens kept", "$x = (1 + 2) * 3\n$y = ((4))\n", "$x = (1 + 2) * 3\n$y = ((4))\n"],
  ["not and comparisons", "$x = not $a==$b\n$y = not ($a and $b)\n", "$x = not $a == $b\n$y = not ($a and $b)\n"],
  ["in and except", "$x = 1+2 in [3]\n$y = $m[\"k\"]<|>\"b\"+\"c\"\n", '$x = 1 + 2 in [3]\n$y = $m["k"] <|> "b" + "c"\n'],
  ["optional lookup vs except", "$a = $s->f<|>1\n$b = ($s->f)<|>1\n", "$a = $s->f <|> 1\n$b = ($s->f) <|> 1\n"],
  ["strings and numbers print raw", '$s = "a\\n${x}\\$ #no"\n$i = -013\n$f = 1.50\n', '$s = "a\\n${x}\\$ #no"\n$i = -013\n$f = 1.50\n'],
  ["raw newline in a string is untouched", '$s = "a  \n  b"\n', '$s = "a  \n  b"\n'],
  ["single-line collections", "$l = [ 1,2 ]\n$m = { \"a\"=>1 }\n$s = struct{ a=>1, b=>2 }\n$e = []\n",
    '$l = [1, 2]\n$m = {"a" => 1}\n$s = struct{a => 1, b => 2}\n$e = []\n'],
  ["multi-line collections keep one element per line", "$l = [\n1,\n2,\n\n\n3,\n]\n$m = {\n\"a\" => [\n1,\n],\n}\n",
    '$l = [\n\t1,\n\t2,\n\n\t3,\n]\n$m = {\n\t"a" => [\n\t\t1,\n\t],\n}\n'],
  ["multi-line call args", "$x = f(\n1,\n$y,\n)\n$z = g(1, 2)\n", "$x = f(\n\t1,\n\t$y,\n)\n$z = g(1, 2)\n"],
  ["resource body", 'file "/tmp/x" {content=>"a", mode => "0644",\n\n\n  owner=>"root",}\n',
    'file "/tmp/x" {\n\tcontent => "a",\n\tmode => "0644",\n\n\towner => "root",\n}\n'],
  ["empty resource", 'test "x" {\n}\ntest "y" {}\n', 'test "x" {}\ntest "y" {}\n'],
  ["capitalisation of edges and meta", 'test "a" {\n\tMeta:noop => true,\n\tBefore => $c ?: Http:Server:Flag["x"],\n\tmsg => $c ?: "hi",\n}\n',
    'test "a" {\n\tMeta:noop => true,\n\tBefore => $c ?: Http:Server:Flag["x"],\n\tmsg => $c ?: "hi",\n}\n'],
  ["edges", 'Test["a"]->Test["b"] -> File["c"]\nTest["a"].out->Test["b"].foo\n', 'Test["a"] -> Test["b"] -> File["c"]\nTest["a"].out -> Test["b"].foo\n'],
  ["collect", 'collect file "x" {\n}\n', 'collect file "x" {}\n'],
  ["if / else statement", "if $c {\n$x = 1\n} else {\n}\nif $d {}\n", "if $c {\n\t$x = 1\n} else {}\nif $d {}\n"],
  ["for and forkv", "for $i,$v in $l {\ntest $v {}\n}\nforkv $k, $v in $m {}\n", "for $i, $v in $l {\n\ttest $v {}\n}\nforkv $k, $v in $m {}\n"],
  ["func statement body on its own line", "func add($a int,$b) int { $a+$b }\n", "func add($a int, $b) int {\n\t$a + $b\n}\n"],
  ["multi-line params", "func f(\n$a,\n$b str,\n) {\n$a\n}\n", "func f(\n\t$a,\n\t$b str,\n) {\n\t$a\n}\n"],
  ["lambda on one line stays on one line", "$f = func($x) {$x+1}\n", "$f = func($x) { $x + 1 }\n"],
  ["lambda with closing brace on its own line", "$f = func($x) { $x +\n1\n}\n".replace("+\n1", "+ 1"), "$f = func($x) {\n\t$x + 1\n}\n"],
  ["inline lambda call", "$x = func($y) { $y }(41)\n", "$x = func($y) { $y }(41)\n"],
  ["if expression", "$x = if $c {1} else {2}\n$y = if $c {\n1\n} else {\n2\n}\n", "$x = if $c { 1 } else { 2 }\n$y = if $c {\n\t1\n} else {\n\t2\n}\n"],
  ["class and include", "class c1($a,$b str) {\ninclude c2($a) as x\n}\nclass base:inner {\n}\ninclude c1(1, \"s\")\ninclude x.y\n",
    'class c1($a, $b str) {\n\tinclude c2($a) as x\n}\nclass base:inner {}\ninclude c1(1, "s")\ninclude x.y\n'],
  ["import", 'import "fmt"\nimport "golang/strings" as s\nimport "x.mcl" as *\n', 'import "fmt"\nimport "golang/strings" as s\nimport "x.mcl" as *\n'],
  ["panic", "panic( $x )\npanic($x,\"msg\")\n", 'panic($x)\npanic($x, "msg")\n'],
  ["types", "$a []str = []\n$m map{str:int} = {}\n$s struct{a int;b str} = $q\n$f func(int,$b str) bool = $g\n",
    "$a []str = []\n$m map{str: int} = {}\n$s struct{a int; b str} = $q\n$f func(int, $b str) bool = $g\n"],
  ["blank lines collapse to one, none at the start or end", "\n\n$x = 1\n\n\n\n$y = 2\n\n\n", "$x = 1\n\n$y = 2\n"],
  ["no blank line after an opening brace", "if $c {\n\n$x = 1\n\n}\n", "if $c {\n\t$x = 1\n}\n"],
  ["comments: header, trailing, own-line, final", "# header\n\n$x = 1   # one  \n# about y\n$y = 2\n# the end\n",
    "# header\n\n$x = 1 # one\n# about y\n$y = 2\n# the end\n"],
  ["comments inside blocks and bodies", 'if $c { # why\n\t# first\n\t$x = 1\n\t# last\n}\ntest "a" { # t\n\tmsg => "a", # m\n\t# after\n}\n',
    'if $c { # why\n\t# first\n\t$x = 1\n\t# last\n}\ntest "a" { # t\n\tmsg => "a", # m\n\t# after\n}\n'],
  ["comment in an otherwise empty body keeps it multi-line", 'test "a" {\n\t# nothing yet\n}\nif $c {\n# todo\n}\n', 'test "a" {\n\t# nothing yet\n}\nif $c {\n\t# todo\n}\n'],
  ["comments in multi-line collections", "$l = [ # list\n\t1, # one\n\t# two next\n\t2,\n\t# end\n]\n", "$l = [ # list\n\t1, # one\n\t# two next\n\t2,\n\t# end\n]\n"],
  ["comment in a one-line construct moves below the statement", "$f = func($x) { # c\n$x }\n", "$f = func($x) { $x }\n# c\n"],
  ["else comment goes into the else block", "if $c {\n\t$x = 1\n} else { # other\n\t$x = 2\n}\n", "if $c {\n\t$x = 1\n} else {\n\t# other\n\t$x = 2\n}\n"],
];

for (const [name, input, expected] of CASES) {
  test(`format: ${name}`, () => {
    const r = formatSource(input, "t.mcl");
    assert.deepEqual(r.diagnostics, [], `diagnostics: ${r.diagnostics.map((d) => d.message).join("; ")}`);
    assert.equal(r.output, expected);
    assert.equal(formatSource(expected, "t.mcl").output, expected, "expected output is not a fixpoint");
  });
}

test("format: parse errors give no output", () => {
  const r = formatSource("$x = [1,]\n", "t.mcl");
  assert.equal(r.output, undefined);
  assert.ok(r.diagnostics.length > 0);
  assert.equal(r.diagnostics[0]?.phase, "parse");
});

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

test("runFmt: directories, --check, in-place writes, parse errors, missing paths", async () => {
  const dir = mkdtempSync(join(tmpdir(), "steward-fmt-"));
  try {
    const ugly = join(dir, "a.mcl");
    const clean = join(dir, "sub", "b.mcl");
    const broken = join(dir, "sub", "c.mcl");
    mkdirSync(join(dir, "sub"));
    mkdirSync(join(dir, "node_modules"));
    mkdirSync(join(dir, ".git"));
    writeFileSync(ugly, "$x=1\n");
    writeFileSync(clean, "$y = 2\n");
    writeFileSync(join(dir, "node_modules", "d.mcl"), "$z=3\n");
    writeFileSync(join(dir, ".git", "e.mcl"), "$z=3\n");
    writeFileSync(join(dir, "notes.txt"), "$z=3\n");

    let c = capture();
    assert.equal(await runFmt([dir], { check: true }, c.io), 1);
    assert.deepEqual(c.out, [`${ugly}\n`]);
    assert.equal(readFileSync(ugly, "utf8"), "$x=1\n", "--check must not write");

    c = capture();
    assert.equal(await runFmt([dir], { check: false }, c.io), 0);
    assert.equal(readFileSync(ugly, "utf8"), "$x = 1\n");
    assert.equal(readFileSync(join(dir, "node_modules", "d.mcl"), "utf8"), "$z=3\n");
    assert.equal(readFileSync(join(dir, ".git", "e.mcl"), "utf8"), "$z=3\n");

    c = capture();
    assert.equal(await runFmt([dir], { check: true }, c.io), 0);
    assert.deepEqual(c.out, []);

    writeFileSync(broken, "$x = = 1\n");
    c = capture();
    assert.equal(await runFmt([dir], { check: false }, c.io), 1);
    assert.match(c.err.join(""), new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1:\\d+: parse error: `));
    assert.equal(readFileSync(broken, "utf8"), "$x = = 1\n");

    c = capture();
    assert.equal(await runFmt([join(dir, "nope.mcl"), ugly], { check: false }, c.io), 2);
    assert.equal(c.err.length, 1);
    assert.match(c.err[0] ?? "", /nope\.mcl/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
