// Parser tests: lexing (§1), grammar (§2), precedence (§2.1), comma rules, strings (§1.4),
// error recovery and the Init/Interpolate structure checks. Spec: mcl-language.md.
import { test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { parse } from "../lang/parse.js";
import type { Expr, Prog, Stmt, StmtBind, TypeAst } from "../lang/ast.js";
import type { Diagnostic } from "../lang/diagnostics.js";
import { decodeString } from "../lang/strings.js";
import { buildLexer } from "../lang/lexer.js";
import { McParser } from "../lang/parser.js";

function ok(src: string): Prog {
  const r = parse(src, "main.mcl");
  assert.deepEqual(r.diagnostics.map(fmtDiag), [], `unexpected diagnostics for:\n${src}`);
  return r.prog;
}
function fmtDiag(d: Diagnostic): string {
  return `${d.span?.start.line}:${d.span?.start.col}: ${d.message}`;
}
function errs(src: string): string[] {
  return parse(src, "main.mcl").diagnostics.map(fmtDiag);
}
function errMsgs(src: string): string[] {
  return parse(src, "main.mcl").diagnostics.map((d) => d.message);
}
function hasErr(src: string, re: RegExp): void {
  const es = errs(src);
  assert.ok(es.some((e) => re.test(e)), `expected ${re} in ${JSON.stringify(es)} for:\n${src}`);
}
function stmt(src: string): Stmt {
  const p = ok(src);
  assert.equal(p.stmts.length, 1);
  return p.stmts[0] as Stmt;
}
function expr(src: string): Expr {
  const s = stmt(`$x = ${src}\n`) as StmtBind;
  return s.value;
}

/** Compact S-expression rendering of an expression, for precedence tests. */
function show(e: Expr): string {
  switch (e.kind) {
    case "bool": return String(e.value);
    case "int": return e.value.toString();
    case "float": return e.raw;
    case "str": return JSON.stringify(e.value);
    case "interp": return `(interp ${e.parts.map((p) => (typeof p === "string" ? JSON.stringify(p) : `$${p.name}`)).join(" ")})`;
    case "list": return `[${e.items.map(show).join(" ")}]`;
    case "map": return `{${e.entries.map((m) => `${show(m.key)}=>${show(m.value)}`).join(" ")}}`;
    case "struct": return `struct{${e.fields.map((f) => `${f.name}=>${show(f.value)}`).join(" ")}}`;
    case "var": return `$${e.name}`;
    case "lambda": return `(func ${e.params.map((p) => `$${p.name}`).join(" ")} ${show(e.body)})`;
    case "call": {
      const c = e.callee;
      const name = c.kind === "name" ? c.name : c.kind === "var" ? `$${c.name}` : show(c);
      return `(call ${name}${e.args.map((a) => " " + show(a)).join("")})`;
    }
    case "if": return `(if ${show(e.cond)} ${show(e.then)} ${show(e.else)})`;
    case "binary": return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case "not": return `(not ${show(e.operand)})`;
    case "except": return `(<|> ${show(e.left)} ${show(e.right)})`;
    case "index": return `(index ${show(e.target)} ${show(e.index)})`;
    case "field": return e.default ? `(-> ${show(e.target)} ${e.field} default ${show(e.default)})` : `(-> ${show(e.target)} ${e.field})`;
    case "paren": return `(paren ${show(e.inner)})`;
  }
}
function showType(t: TypeAst): string {
  switch (t.kind) {
    case "tprim": return t.name;
    case "tlist": return `[]${showType(t.elem)}`;
    case "tmap": return `map{${showType(t.key)}: ${showType(t.val)}}`;
    case "tstruct": return `struct{${t.fields.map((f) => `${f.name} ${showType(f.type)}`).join("; ")}}`;
    case "tfunc": return `func(${t.params.map((p) => (p.name ? `$${p.name} ` : "") + showType(p.type)).join(", ")}) ${showType(t.ret)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Grammar self-checks. The CLI's lexer and parser skip chevrotain's validations to start faster
// (docs/benchmarks.md); these instances run them, so token or grammar mistakes (ambiguous
// alternatives, left recursion, unreachable tokens, …) fail here.

test("lexer and grammar pass chevrotain's validations", () => {
  const lexer = buildLexer(true);
  assert.deepEqual(lexer.lexerDefinitionErrors, []);
  assert.doesNotThrow(() => new McParser({ validate: true }));
});

// ---------------------------------------------------------------------------------------------
// §1 lexing

test("identifiers: keyword prefixes are identifiers; map/collect usable as names", () => {
  assert.equal(show(expr("format(1)")), "(call format 1)");
  assert.equal(show(expr("info.x(1)")), "(call info.x 1)");
  assert.equal(show(expr("import_x(forkvloop(iffy()))")), "(call import_x (call forkvloop (call iffy)))");
  assert.equal(show(expr("iter.map($map, $collect)")), "(call iter.map $map $collect)");
  assert.equal(show(expr("world.collect.res(\"file\")")), '(call world.collect.res "file")');
  assert.equal((stmt("$map = 1\n") as StmtBind).name, "map");
  for (const bad of ["$in = 1\n", "$str = 1\n", "$int = 1\n", "$as = 1\n", "$true = 1\n", "$x = $if\n"]) {
    hasErr(bad, /syntax error/);
  }
  hasErr("$x_ = 1\n", /unrecognized character/);
});

test("capitalized identifiers are lowercased in edge kinds", () => {
  const s = stmt('Http:Server:Flag["x"] -> Test["y"]\n');
  assert.equal(s.kind, "edge");
  if (s.kind !== "edge") return;
  assert.deepEqual(s.halves.map((h) => h.kindName), ["http:server:flag", "test"]);
  assert.equal(s.halves[0]?.kindSpan.start.col, 1);
  assert.equal(s.halves[0]?.kindSpan.end.col, 17);
});

test("integers: sign is part of the literal, int64 range", () => {
  assert.equal(show(expr("-13")), "-13");
  assert.equal(show(expr("5 - 3")), "(- 5 3)");
  assert.equal(show(expr("-9223372036854775808")), "-9223372036854775808");
  assert.equal(show(expr("9223372036854775807")), "9223372036854775807");
  hasErr("$x = 9223372036854775808\n", /^1:6: integer: overflow/);
  hasErr("$x = 18446744073709551615\n", /integer: overflow: `18446744073709551615`/);
  hasErr("$x = 5 -3\n", /^1:8: syntax error: unexpected integer '-3'/);
  hasErr("$x = $y-1\n", /syntax error/);
  hasErr("$x = -$y\n", /syntax error/);
});

test("floats", () => {
  const e = expr("-3.25");
  assert.equal(e.kind, "float");
  if (e.kind === "float") assert.equal(e.value, -3.25);
  assert.equal(show(expr("1.5 * 2.0")), "(* 1.5 2.0)");
  hasErr("$x = 1.\n", /syntax error|unrecognized/);
  hasErr("$x = .5\n", /syntax error|unrecognized/);
});

test("carriage return and unknown characters are lex errors", () => {
  assert.deepEqual(errs("$x = 1\r\n"), ["1:7: unrecognized carriage return"]);
  hasErr("$x = 1 @ 2\n", /^1:8: unrecognized character/);
  hasErr("$x = !true\n", /unrecognized character/);
});

test("comments are collected, not tokens; newline after a comment remains", () => {
  const p = ok('# head\n$x = 1 # trailing\n$y = "# not a comment"\n');
  assert.deepEqual(p.comments.map((c) => c.text), ["# head", "# trailing"]);
  assert.deepEqual([p.comments[1]?.span.start.line, p.comments[1]?.span.start.col, p.comments[1]?.span.end.col], [2, 8, 18]);
  assert.equal(p.stmts.length, 2);
  const y = p.stmts[1] as StmtBind;
  assert.equal(show(y.value), '"# not a comment"');
});

test("missing final newline is appended", () => {
  assert.equal(ok("$x = 1").stmts.length, 1);
  assert.equal(ok("").stmts.length, 0);
});

// ---------------------------------------------------------------------------------------------
// §1.4 strings

test("string escapes decode; raw body kept", () => {
  const e = expr('"a\\tb\\n\\\\\\"\\$\\a\\b\\f\\v\\r"');
  assert.equal(e.kind, "str");
  if (e.kind !== "str") return;
  assert.equal(e.value, 'a\tb\n\\"$\x07\b\f\v\r');
  assert.equal(e.raw, 'a\\tb\\n\\\\\\"\\$\\a\\b\\f\\v\\r');
  assert.equal(show(expr('"line1\nline2"')), '"line1\\nline2"');
});

test("unknown escape: error with the escape's span", () => {
  const r = parse('$x = "ab\\zc"\n', "main.mcl");
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0] as Diagnostic;
  assert.equal(d.message, "unknown escape sequence: \\z");
  assert.equal(d.phase, "parse");
  assert.deepEqual([d.span?.start.col, d.span?.end.col], [9, 11]);
});

test("interpolation: parts and spans inside the string", () => {
  const e = expr('"a${b}c${i1.x}"');
  assert.equal(show(e), '(interp "a" $b "c" $i1.x)');
  if (e.kind !== "interp") return;
  const b = e.parts[1];
  assert.ok(typeof b !== "string" && b !== undefined);
  if (typeof b === "string" || b === undefined) return;
  assert.deepEqual([b.span.start.line, b.span.start.col, b.span.end.col], [1, 8, 12]);
  assert.equal(show(expr('"${x}"')), "(interp $x)");
  assert.equal(show(expr('"${const.res.file.state.exists}"')), "(interp $const.res.file.state.exists)");
  // spans on a later line of a multi-line string
  const m = expr('"first\n  ${y}"');
  if (m.kind === "interp") {
    const v = m.parts[1];
    if (v && typeof v !== "string") assert.deepEqual([v.span.start.line, v.span.start.col], [2, 3]);
  } else assert.fail("not interp");
});

test("interpolation: lone $ is literal; escapes of $", () => {
  assert.equal(show(expr('"$foo"')), '"$foo"');
  assert.equal(show(expr('"$ {x}"')), '"$ {x}"');
  assert.equal(show(expr('"$$$"')), '"$$$"');
  assert.equal(show(expr('"$$${x}"')), '(interp "$$" $x)');
  assert.equal(show(expr('"A: \\${test}"')), '"A: ${test}"');
  assert.equal(show(expr('"D: \\\\\\$"')), '"D: \\\\$"');
  assert.equal(show(expr('"R: \\\\${r1}"')), '(interp "R: \\\\" $r1)');
});

test("interpolation: bad ${…} cannot parse string", () => {
  for (const s of ['"X: ${}"', '"${foo()}"', '"${bad +}"', '"${Foo}"', '"${a.}"', '"${x"']) {
    hasErr(`$x = ${s}\n`, /cannot parse string/);
  }
  assert.deepEqual(errMsgs('$x = "X: ${}"\n'), ["cannot parse string: X: ${}"]);
});

test("decodeString unit", () => {
  assert.deepEqual(decodeString("a${b}").parts, ["a", { name: "b", start: 1, end: 5 }]);
  assert.equal(decodeString("plain").interpolated, false);
});

test("import paths are raw, not interpolated", () => {
  const s = stmt('import "x/${y}.mcl" as z\n');
  assert.equal(s.kind, "import");
  if (s.kind === "import") {
    assert.equal(s.path, "x/${y}.mcl");
    assert.equal(s.alias, "z");
  }
});

test("unterminated string literal", () => {
  assert.deepEqual(errs('$x = "abc\n$y = 1\n'), ["1:6: unterminated string literal"]);
});

// ---------------------------------------------------------------------------------------------
// §2 statements

test("bind with and without type", () => {
  const s = stmt("$x []str = []\n") as StmtBind;
  assert.equal(s.name, "x");
  assert.equal(s.type && showType(s.type), "[]str");
  assert.deepEqual([s.nameSpan.start.col, s.nameSpan.end.col], [2, 3]);
  const t = stmt("$f func($a int, str) map{str: struct{a int; b []float}} = $g\n") as StmtBind;
  assert.equal(t.type && showType(t.type), "func($a int, str) map{str: struct{a int; b []float}}");
  const v = stmt("$v variant = 1\n") as StmtBind;
  assert.equal(v.type && showType(v.type), "variant");
});

test("additional equals in bind statement", () => {
  assert.deepEqual(errs("$x == 42\n"), ["1:4: additional equals in bind statement"]);
});

test("resource: fields, conditional fields, edges, meta", () => {
  const s = stmt(`file "/tmp/a" {
	content => "x", mode => "0644",
	owner => $c ?: "root",

	Before => Test["b"],
	Depend => $c ?: Test["c"],
	Notify => Svc["d"],
	Listen => Http:Server["e"],
	Meta:noop => true,
	Meta:retry => $c ?: 3,
	Meta => struct{noop => true},
	Meta => $c ?: $m,
}
`);
  assert.equal(s.kind, "res");
  if (s.kind !== "res") return;
  assert.equal(s.kindName, "file");
  assert.equal(s.collect, false);
  const items = s.items.map((i) => {
    switch (i.kind) {
      case "field": return `field ${i.name}${i.cond ? " cond" : ""}`;
      case "edge": return `edge ${i.prop} ${i.target.kindName}${i.cond ? " cond" : ""}`;
      case "meta": return `meta ${i.prop}${i.cond ? " cond" : ""}`;
      case "metastruct": return `metastruct${i.cond ? " cond" : ""}`;
    }
  });
  assert.deepEqual(items, [
    "field content", "field mode", "field owner cond",
    "edge before test", "edge depend test cond", "edge notify svc", "edge listen http:server",
    "meta noop", "meta retry cond", "metastruct", "metastruct cond",
  ]);
  assert.equal(stmt('http:server:ui:input "x" {}\n').kind, "res");
  const l = stmt('test ["a", "b"] {\n}\n');
  if (l.kind === "res") assert.equal(show(l.name), '["a" "b"]');
});

test("resource items need a trailing comma", () => {
  assert.deepEqual(errMsgs('test "a" {\n\tanswer => 42\n}\n'), [
    "syntax error: unexpected newline, expecting trailing comma ',' (every resource item ends with a comma)",
  ]);
  hasErr('test "a" { answer => 42 }\n', /trailing comma/);
  ok('test "a" { answer => 42, }\n');
});

test("collect statement", () => {
  const s = stmt('collect file "x" {\n\tmode => "0644",\n}\n');
  assert.ok(s.kind === "res" && s.collect && s.kindName === "file");
});

test("edges: chains, send/recv, single half", () => {
  const s = stmt('Test["a"] -> Test["b"] -> Pkg["c"]\n');
  assert.ok(s.kind === "edge" && s.halves.length === 3);
  const sr = stmt('Test["a"].answer -> Test["b"].anotherstr\n');
  assert.ok(sr.kind === "edge" && sr.halves.every((h) => h.field !== undefined));
  if (sr.kind === "edge") assert.deepEqual(sr.halves.map((h) => h.field), ["answer", "anotherstr"]);
  assert.equal(stmt('Test["a"]\n').kind, "edge");
});

test("if statement; else must be on the closing brace line", () => {
  const s = stmt("if $c {\n\t$x = 1\n} else {\n\t$x = 2\n}\n");
  assert.ok(s.kind === "if" && s.then.length === 1 && s.else?.length === 1);
  const t = stmt("if $c {\n}\n");
  assert.ok(t.kind === "if" && t.else === undefined);
  hasErr("if $c {\n}\nelse {\n}\n", /syntax error: unexpected 'else'/);
  hasErr("if $c { $x = 1 }\n", /syntax error/);
});

test("for / forkv", () => {
  const s = stmt("for $i, $v in $list {\n\ttest $v {}\n}\n");
  assert.ok(s.kind === "for" && !s.kv && s.key === "i" && s.val === "v" && s.body.length === 1);
  const k = stmt("forkv $k, $v in {1 => 2} {\n}\n");
  assert.ok(k.kind === "for" && k.kv);
});

test("func statement", () => {
  const s = stmt("func add($a int, $b) int {\n\t$a + $b\n}\n");
  assert.equal(s.kind, "func");
  if (s.kind !== "func") return;
  assert.equal(s.name, "add");
  assert.deepEqual(s.params.map((p) => p.name + (p.type ? ":" + showType(p.type) : "")), ["a:int", "b"]);
  assert.equal(s.ret && showType(s.ret), "int");
  assert.equal(show(s.body), "(+ $a $b)");
  const one = stmt("func f() { 1 }\n");
  assert.ok(one.kind === "func" && one.params.length === 0 && one.ret === undefined);
  const ml = stmt("func g(\n\t$a,\n\n\t$b str,\n) {\n\n\t$a\n\n}\n");
  assert.ok(ml.kind === "func" && ml.paramsMultiline && ml.params.length === 2);
  hasErr("func f() {\n\t$x = 1\n}\n", /syntax error/);
});

test("class and include", () => {
  const c = stmt("class base:inner($a, $b str) {\n\tinclude other\n}\n");
  assert.ok(c.kind === "class" && c.name === "base:inner" && c.params?.length === 2 && c.body.length === 1);
  const c2 = stmt("class c {\n}\n");
  assert.ok(c2.kind === "class" && c2.params === undefined);
  const i = stmt('include foo.bar(1, "x") as baz\n');
  assert.ok(i.kind === "include" && i.name === "foo.bar" && i.args?.length === 2 && i.alias === "baz");
  const j = stmt("include foo\n");
  assert.ok(j.kind === "include" && j.args === undefined && j.alias === undefined);
  const k = stmt("include foo()\n");
  assert.ok(k.kind === "include" && k.args?.length === 0);
});

test("import forms", () => {
  const a = stmt('import "fmt"\n');
  assert.ok(a.kind === "import" && a.path === "fmt" && a.alias === undefined);
  const b = stmt('import "golang/strings" as *\n');
  assert.ok(b.kind === "import" && b.alias === "*");
});

test("panic", () => {
  const a = stmt("panic($x)\n");
  assert.ok(a.kind === "panic" && a.args.length === 1);
  const b = stmt('panic($x, "msg")\n');
  assert.ok(b.kind === "panic" && b.args.length === 2);
  hasErr("panic()\n", /panic expects 1 or 2 args, got 0/);
  hasErr("panic(1, 2, 3)\n", /panic expects 1 or 2 args, got 3/);
});

// ---------------------------------------------------------------------------------------------
// §2 expressions

test("literals and containers", () => {
  assert.equal(show(expr("[1, 2, 3]")), "[1 2 3]");
  assert.equal(show(expr("[]")), "[]");
  assert.equal(show(expr('{"a" => 1, "b" => 2}')), '{"a"=>1 "b"=>2}');
  assert.equal(show(expr("{}")), "{}");
  assert.equal(show(expr('struct{a => 1, b => "x"}')), 'struct{a=>1 b=>"x"}');
  assert.equal(show(expr("struct{}")), "struct{}");
  assert.equal(show(expr("true")), "true");
});

test("calls: name, dotted, var, scoped var, inline lambda", () => {
  assert.equal(show(expr("f(1)")), "(call f 1)");
  assert.equal(show(expr('fmt.printf("%d", 1)')), '(call fmt.printf "%d" 1)');
  assert.equal(show(expr("$f(1)")), "(call $f 1)");
  assert.equal(show(expr("$i1.f(1)")), "(call $i1.f 1)");
  assert.equal(show(expr("func($x){$x}(41)")), "(call (func $x $x) 41)");
  assert.equal(show(expr("$i1.x")), "$i1.x");
});

test("lambdas", () => {
  const e = expr("func($a, $b int) str {\n\t$a\n}");
  assert.equal(e.kind, "lambda");
  if (e.kind !== "lambda") return;
  assert.deepEqual(e.params.map((p) => p.name), ["a", "b"]);
  assert.equal(e.ret && showType(e.ret), "str");
  assert.equal(show(e.body), "$a");
});

test("if expression", () => {
  assert.equal(show(expr("if $c { 1 } else { 2 }")), "(if $c 1 2)");
  assert.equal(show(expr("if $c {\n\t1\n} else {\n\t2\n}")), "(if $c 1 2)");
  hasErr("$x = if $c { 1 }\n", /syntax error/);
});

test("precedence and associativity (§2.1)", () => {
  const cases: [string, string][] = [
    ["1 + 2 * 3", "(+ 1 (* 2 3))"],
    ["1 * 2 + 3", "(+ (* 1 2) 3)"],
    ["1 - 2 - 3", "(- (- 1 2) 3)"],
    ["8 / 4 / 2", "(/ (/ 8 4) 2)"],
    ["$a or $b and $c", "(or $a (and $b $c))"],
    ["$a and $b or $c", "(or (and $a $b) $c)"],
    ["$a or $b or $c", "(or (or $a $b) $c)"],
    ["1 + 2 == 3", "(== (+ 1 2) 3)"],
    ["1 < 2 and 3 >= 4", "(and (< 1 2) (>= 3 4))"],
    ["1 + 2 in [3]", "(in (+ 1 2) [3])"],
    ["not 3 > 4", "(> (not 3) 4)"],
    ["not $a and $b", "(and (not $a) $b)"],
    ["not not $a", "(not (not $a))"],
    ["$a <|> $b <|> $c", "(<|> (<|> $a $b) $c)"],
    ["$a <|> $b or $c", "(<|> $a (or $b $c))"],
    ['$m["k"] <|> "b" + "c"', '(<|> (index $m "k") (+ "b" "c"))'],
    ["$x + $a->b", "(+ $x (-> $a b))"],
    ["$a->b->c", "(-> (-> $a b) c)"],
    ["$a[0][1]", "(index (index $a 0) 1)"],
    ["$a->b[0]->c", "(-> (index (-> $a b) 0) c)"],
    ["$s->f <|> 1", "(-> $s f default 1)"],
    ["$s->f <|> 1 + 2", "(-> $s f default (+ 1 2))"],
    ["($s->f) <|> 1", "(<|> (paren (-> $s f)) 1)"],
    ["$a <|> $b->c", "(<|> $a (-> $b c))"],
    ["$s->f <|> 1 <|> 2", "(<|> (-> $s f default 1) 2)"],
    ["(1 + 2) * 3", "(* (paren (+ 1 2)) 3)"],
    ["$a != $b", "(!= $a $b)"],
  ];
  for (const [src, want] of cases) assert.equal(show(expr(src)), want, src);
});

test("comparisons are non-associative", () => {
  for (const s of ["1 == 2 == 3", "1 < 2 < 3", "1 in [1] == true", "$a != $b == $c"]) hasErr(`$x = ${s}\n`, /non-associative/);
  ok("$x = (1 == 2) == true\n");
});

test("binary operators cannot span lines", () => {
  hasErr("$x = 1 +\n2\n", /syntax error/);
});

// ---------------------------------------------------------------------------------------------
// comma rules

test("comma rules: valid forms", () => {
  const ml = expr("[\n\t1,\n\n\t2,\n]");
  assert.ok(ml.kind === "list" && ml.multiline && ml.items.length === 2);
  const sl = expr("[1, 2]");
  assert.ok(sl.kind === "list" && !sl.multiline);
  const m = expr('{\n\t"a" => 1,\n\t"b" => 2,\n}');
  assert.ok(m.kind === "map" && m.multiline && m.entries.length === 2);
  const st = expr("struct{\n\ta => 1,\n}");
  assert.ok(st.kind === "struct" && st.multiline);
  const c = expr("f(\n\t1,\n\t2,\n)");
  assert.ok(c.kind === "call" && c.multiline && c.args.length === 2);
  assert.ok(expr("[\n]").kind === "list");
  const ft = stmt("$f func(\n\tint,\n\tstr,\n) bool = $g\n") as StmtBind;
  assert.ok(ft.type?.kind === "tfunc" && ft.type.multiline && ft.type.params.length === 2);
  const inc = stmt("include c(\n\t1,\n)\n");
  assert.ok(inc.kind === "include" && inc.argsMultiline);
});

test("comma rules: invalid forms", () => {
  const bad = [
    "[1, 2,]",
    "[,1]",
    "[1,, 2]",
    "[\n\t1,\n\t2\n]",
    "[\n\t1, 2,\n]",
    "[\n\t1,\n\t2,]",
    "[1,\n2]",
    '{"a" => 1,}',
    "struct{a => 1,}",
    "f(1,)",
    "f(\n\t1\n)",
    "func($a,) { 1 }",
  ];
  for (const b of bad) hasErr(`$x = ${b}\n`, /syntax error/);
  assert.deepEqual(errMsgs("$x = [1, 2,]\n"), [
    "syntax error: unexpected ']', expecting expression (a trailing comma is only allowed in the multi-line form)",
  ]);
});

// ---------------------------------------------------------------------------------------------
// errors and recovery

test("every independent syntax error is reported in one run", () => {
  const es = errs("$x = [1, 2,]\n$y = 1 +\n$z = 3\ntest \"a\" {\n\tx => 1\n}\n$w = (1\n");
  assert.deepEqual(es.map((e) => e.split(":")[0]), ["1", "2", "5", "7"]);
  assert.ok(es.every((e) => e.includes("syntax error")));
  // the good statement survives
  const p = parse("$x = [1,]\n$ok = 1\n", "main.mcl").prog;
  assert.deepEqual(p.stmts.map((s) => (s.kind === "bind" ? s.name : s.kind)), ["ok"]);
});

test("end of input errors point at the end of the last token", () => {
  const r = parse('test "a" {', "main.mcl");
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0] as Diagnostic;
  assert.match(d.message, /unexpected end of input, expecting '}'/);
  assert.deepEqual([d.span?.start.line, d.span?.start.col], [1, 11]);
});

test("stray closing brace at top level", () => {
  const es = errs("$x = 1\n}\n$y = 2\n");
  assert.deepEqual(es, ["2:1: syntax error: unexpected '}' (no block to close)"]);
});

test("diagnostics: phase parse, spans with exclusive end", () => {
  const d = parse("$x = 1 == 2 == 3\n", "m.mcl").diagnostics[0] as Diagnostic;
  assert.equal(d.phase, "parse");
  assert.equal(d.code, "E-PARSE-SYNTAX");
  assert.deepEqual([d.span?.file, d.span?.start.line, d.span?.start.col, d.span?.end.col], ["m.mcl", 1, 13, 15]);
});

// ---------------------------------------------------------------------------------------------
// Init / Interpolate checks

test("init: map keys", () => {
  assert.deepEqual(errMsgs('$m = {"k1" => 1, "k2" => 2, "k2" => 3}\n'), ['duplicate map key: "k2"']);
  assert.deepEqual(errMsgs("$m = {1 => 1, -1 => 2, 1 => 3}\n"), ["duplicate map key: 1"]);
  hasErr('$m = {1 => 1, "a" => 2}\n', /inconsistent map key type/);
  hasErr('$m = {["a"] => 1}\n', /map key type \[\]str is not hashable/);
  hasErr("$m = {{1 => 2} => 1}\n", /not hashable/);
  ok("$m = {$a => 1, $a => 2}\n");
});

test("init: struct literal duplicate field", () => {
  assert.deepEqual(errMsgs("$s = struct{x => 1, x => 2}\n"), ["duplicate struct field name of: `x`"]);
});

test("init: resource duplicate field and meta, unknown meta, invalid property", () => {
  assert.deepEqual(errMsgs('test "a" {\n\tf => 1,\n\tf => 2,\n}\n'), ["resource has duplicate field of: f"]);
  assert.deepEqual(errMsgs('test "a" {\n\tMeta:noop => true,\n\tMeta:noop => false,\n}\n'), [
    "resource has duplicate meta entry of: noop",
  ]);
  hasErr('test "a" {\n\tMeta:bogus => true,\n}\n', /unknown meta param: bogus/);
  for (const p of ["noop", "retry", "retryreset", "delay", "timeout", "poll", "limit", "burst", "reset", "sema", "rewatch", "realize", "dollar", "hidden", "export", "reverse", "autoedge", "autogroup"]) {
    ok(`test "a" {\n\tMeta:${p} => $v,\n}\n`);
  }
  hasErr('test "a" {\n\tFoo => Test["b"],\n}\n', /^2:2: invalid property/);
  hasErr('test "a" {\n\tBefore => "b",\n}\n', /invalid property/);
  hasErr('test "a" {\n\tMeta => Test["b"],\n}\n', /invalid property/);
  hasErr('test "a" {\n\tFoo:noop => true,\n}\n', /invalid property/);
});

test("init: import inside for", () => {
  assert.deepEqual(errMsgs('for $i, $v in [1] {\n\timport "fmt"\n}\n'), ["a StmtImport can't be contained inside a StmtFor"]);
  hasErr('forkv $k, $v in {1 => 1} {\n\tif true {\n\t\timport "fmt"\n\t}\n}\n', /StmtImport/);
  ok('class c {\n\timport "fmt"\n}\n');
});

test("init: duplicate class names", () => {
  assert.deepEqual(errMsgs("class foo {\n}\nclass foo {\n}\n"), ["duplicate class name of: `foo`"]);
  ok("class foo {\n\tclass foo {\n\t}\n}\n");
});

test("init: send/recv shape", () => {
  hasErr('Test["a"].x -> Test["b"]\n', /send\/recv/);
  hasErr('Test["a"].x -> Test["b"].y -> Test["c"].z\n', /send\/recv/);
});

test("init: types with duplicate names", () => {
  hasErr("$s struct{a int; a str} = $v\n", /duplicate struct field of `a str`/);
  hasErr("$f func($a int, $a str) bool = $g\n", /duplicate func arg name of `\$a`/);
});

// ---------------------------------------------------------------------------------------------
// robustness

const runs = Number(process.env["FC_RUNS"] ?? 200);

function checkSpans(text: string, ds: readonly Diagnostic[]): void {
  const len = text.endsWith("\n") ? text.length : text.length + 1;
  for (const d of ds) {
    assert.equal(d.phase, "parse");
    assert.ok(d.span, `no span: ${d.message}`);
    if (!d.span) continue;
    assert.ok(d.span.start.offset >= 0 && d.span.end.offset <= len && d.span.start.offset <= d.span.end.offset, `span out of range: ${JSON.stringify(d)}`);
    assert.ok(d.span.start.line >= 1 && d.span.start.col >= 1);
  }
}

test("parse never throws on random text", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (s) => {
      const r = parse(s, "f.mcl");
      checkSpans(s, r.diagnostics);
      assert.ok(!r.diagnostics.some((d) => d.code === "E-PARSE-INTERNAL"), JSON.stringify(r.diagnostics));
    }),
    { numRuns: runs },
  );
});

const vocab = [
  "$", "x", "y", "map", "f", "Test", "Meta", "Before", ":", "noop", "=", "==", "=>", "?:", "<|>", "->", ".", ",", "\n", "\n",
  "{", "}", "(", ")", "[", "]", "+", "-", "*", "in", "not", "and", "if", "else", "for", "forkv", "func", "class", "include",
  "import", "as", "panic", "collect", "struct", "int", "str", "[]", "1", "-2", "3.5", '"s"', '"${x}"', '"\\z"', "true", "test",
  "#c", "99999999999999999999",
];

test("parse never throws on random token soup", () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...vocab), { maxLength: 60 }), (ts) => {
      const s = ts.join(" ");
      const r = parse(s, "f.mcl");
      checkSpans(s, r.diagnostics);
      assert.ok(!r.diagnostics.some((d) => d.code === "E-PARSE-INTERNAL"), JSON.stringify(r.diagnostics));
    }),
    { numRuns: runs },
  );
});

test("large input parses (linear scaling smoke test)", () => {
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) lines.push(`$x${i} = $a + ${i} * f("v\${y}", [1, 2])`, `test "t${i}" {`, "\tanswer => 42,", "}");
  const r = parse(lines.join("\n"), "big.mcl");
  assert.equal(r.diagnostics.length, 0);
  assert.equal(r.prog.stmts.length, 8000);
});

test("large input: errors deep in the file keep their lines (chunked parsing)", () => {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(`test "t${i}" {`, "\tanswer => [", "\t\t1,", "\t],", "}");
  lines.splice(7001, 3, "\tanswer => [1,],", "", "");
  lines.splice(14001, 3, "\tanswer => 1 +,", "", "");
  const r = parse(lines.join("\n") + "\n", "big.mcl");
  assert.deepEqual(r.diagnostics.map((d) => d.span?.start.line), [7002, 14002]);
  assert.equal(r.prog.stmts.length, 3000);
});

test("pathological nesting gives a diagnostic, not a crash", () => {
  const r = parse("$x = " + "[".repeat(5000) + "]".repeat(5000) + "\n", "d.mcl");
  assert.deepEqual(r.diagnostics.map((d) => d.code), ["E-PARSE-TOO-DEEP"]);
  assert.equal(parse("$x = [[[1]]]\n", "d.mcl").diagnostics.length, 0);
});

test("init: bind type annotation vs literal value", () => {
  assert.deepEqual(errMsgs('$x int = "a"\n'), ["can't set return type in parser: type error: str != int"]);
  hasErr("$x []str = [1]\n", /\[\]int != \[\]str/);
  hasErr("$x float = 1\n", /int != float/);
  ok('$x str = "a"\n$y []str = []\n$z map{str: int} = {"a" => 1}\n$s struct{a int; b str} = struct{a => 1, b => "x"}\n$v variant = 1\n$w int = $q\n');
});

test("cascades of one mistake are reported once", () => {
  assert.deepEqual(errs("$X = 1\n"), ["1:2: syntax error: unexpected capitalized identifier 'X', expecting identifier"]);
  assert.equal(errs('collect "x"\n').length, 1);
  assert.equal(errs("$x = 1e5\n").length, 1);
  assert.deepEqual(errs('_panic "x" {}\n'), ['1:1: unrecognized character: "_"']);
  assert.deepEqual(errs("if true {\n}\nelse {\n\t$x = 1\n}\n").map((e) => e.split(":").slice(0, 2).join(":")), ["3:1"]);
  assert.deepEqual(errs("if $b {\n} else if $b {\n}\n").map((e) => e.split(":").slice(0, 2).join(":")), ["2:8"]);
  assert.deepEqual(errs("$a = 1 2\n$b = \"ok\"\n$c = [1,, 2]\n").map((e) => e.split(":").slice(0, 2).join(":")), ["1:8", "3:9"]);
});
