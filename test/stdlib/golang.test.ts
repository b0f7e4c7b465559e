import * as assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { test } from "node:test";
import { isCatchable } from "../../lang/values.js";
import { call, err, table } from "./helpers.js";

const S = "golang/strings.";
table("golang/strings", [
  [S + "clone", ["x"], "x"],
  [S + "compare", ["a", "b"], -1n],
  [S + "contains", ["seafood", "foo"], true],
  [S + "contains_any", ["failure", "ui"], true],
  [S + "count", ["cheese", "e"], 3n],
  [S + "count", ["five", ""], 5n],
  [S + "equal_fold", ["Go", "GO"], true],
  [S + "fields", ["  foo bar  baz   "], ["foo", "bar", "baz"]],
  [S + "has_prefix", ["golang", "go"], true],
  [S + "has_suffix", ["golang", "ng"], true],
  [S + "index", ["héllo", "l"], 3n],
  [S + "index", ["chicken", "dmr"], -1n],
  [S + "index_any", ["golang", "ny"], 4n],
  [S + "join", [["a", "b"], ", "], "a, b"],
  [S + "last_index", ["go gopher", "go"], 3n],
  [S + "last_index_any", ["go gopher", "go"], 4n],
  [S + "repeat", ["na", 2n], "nana"],
  [S + "replace", ["oink oink oink", "k", "ky", 2n], "oinky oinky oink"],
  [S + "replace", ["oink oink oink", "oink", "moo", -1n], "moo moo moo"],
  [S + "replace_all", ["oink oink", "oink", "moo"], "moo moo"],
  [S + "split", ["a,b,c", ","], ["a", "b", "c"]],
  [S + "split_after", ["a,b,c", ","], ["a,", "b,", "c"]],
  [S + "split_after_n", ["a,b,c", ",", 2n], ["a,", "b,c"]],
  [S + "split_n", ["a,b,c", ",", 2n], ["a", "b,c"]],
  [S + "split_n", ["a,b,c", ",", 0n], []],
  [S + "title", ["her royal highness"], "Her Royal Highness"],
  [S + "to_lower", ["Gopher"], "gopher"],
  [S + "to_title", ["loud noises"], "LOUD NOISES"],
  [S + "to_upper", ["Gopher"], "GOPHER"],
  [S + "to_valid_utf8", ["a\ud800\ud800b", "?"], "a?b"],
  [S + "trim", ["¡¡¡Hello, Gophers!!!", "!¡"], "Hello, Gophers"],
  [S + "trim_left", ["¡¡¡Hello!!!", "!¡"], "Hello!!!"],
  [S + "trim_prefix", ["¡¡¡Hello", "¡¡¡"], "Hello"],
  [S + "trim_right", ["¡¡¡Hello!!!", "!¡"], "¡¡¡Hello"],
  [S + "trim_space", ["\t\n Hello \n\t\r\n"], "Hello"],
  [S + "trim_suffix", ["Hello.go", ".go"], "Hello"],
]);

const C = "golang/strconv.";
table("golang/strconv", [
  [C + "append_bool", ["x:", true], "x:true"],
  [C + "append_int", ["n=", -42n, 16n], "n=-2a"],
  [C + "append_quote", ["q=", "a\"b"], 'q="a\\"b"'],
  [C + "append_quote_to_ascii", ["", "☺"], '"\\u263a"'],
  [C + "append_quote_to_graphic", ["", "\u00a0"], '"\u00a0"'],
  [C + "atoi", ["-12"], -12n],
  [C + "atoi", ["12a"], err('strconv.Atoi: parsing "12a": invalid syntax')],
  [C + "can_backquote", ["a`b"], false],
  [C + "format_bool", [false], "false"],
  [C + "format_int", [255n, 2n], "11111111"],
  [C + "itoa", [99n], "99"],
  [C + "parse_bool", ["t"], true],
  [C + "parse_float", ["0x1p-2", 64n], 0.25],
  [C + "parse_float", ["1_000.5", 64n], 1000.5],
  [C + "parse_float", ["3.4e39", 32n], err("value out of range")],
  [C + "parse_int", ["-0x_1F", 0n, 64n], -31n],
  [C + "parse_int", ["0755", 0n, 64n], 493n],
  [C + "parse_int", ["128", 10n, 8n], err("value out of range")],
  [C + "parse_int", ["1", 1n, 64n], err("invalid base 1")],
  [C + "quote", ['"Fran & Freddie\'s Diner"\t'], '"\\"Fran & Freddie\'s Diner\\"\\t"'],
  [C + "quote_to_ascii", ["é"], '"\\u00e9"'],
  [C + "quote_to_graphic", ["\t"], '"\\t"'],
  [C + "quoted_prefix", ['"hello" world'], '"hello"'],
  [C + "quoted_prefix", ["nope"], err("invalid syntax")],
  [C + "unquote", ['"a\\tb"'], "a\tb"],
  [C + "unquote", ["`raw\\n`"], "raw\\n"],
  [C + "unquote", ["'x'"], "x"],
  [C + "unquote", ['"unterminated'], err("invalid syntax")],
]);

const M = "golang/math.";
const ni = err("not implemented yet");
table("golang/math", [
  [M + "abs", [-2.5], 2.5],
  [M + "acos", [1.0], 0],
  [M + "acosh", [1.0], 0],
  [M + "asin", [0.0], 0],
  [M + "asinh", [0.0], 0],
  [M + "atan", [0.0], 0],
  [M + "atanh", [0.0], 0],
  [M + "cbrt", [27.0], 3],
  [M + "ceil", [1.2], 2],
  [M + "cos", [0.0], 1],
  [M + "cosh", [0.0], 1],
  [M + "erf", [0.0], 0],
  [M + "erf", [Infinity], 1],
  [M + "erfc", [0.0], 1],
  [M + "erfcinv", [1.0], 0],
  [M + "erfinv", [1.0], Infinity],
  [M + "exp", [0.0], 1],
  [M + "exp2", [10.0], 1024],
  [M + "expm1", [0.0], 0],
  [M + "floor", [-1.5], -2],
  [M + "gamma", [5.0], 24],
  [M + "gamma", [-1.0], NaN],
  [M + "j0", [0.0], 1],
  [M + "j1", [0.0], 0],
  [M + "log", [1.0], 0],
  [M + "log10", [1000.0], 3],
  [M + "log1p", [0.0], 0],
  [M + "log2", [8.0], 3],
  [M + "logb", [8.0], 3],
  [M + "round", [-2.5], -3],
  [M + "round", [2.5], 3],
  [M + "round_to_even", [2.5], 2],
  [M + "round_to_even", [3.5], 4],
  [M + "sin", [0.0], 0],
  [M + "sinh", [0.0], 0],
  [M + "sqrt", [9.0], 3],
  [M + "tan", [0.0], 0],
  [M + "tanh", [0.0], 0],
  [M + "trunc", [-1.7], -1],
  [M + "y0", [1.0], ni],
  [M + "y1", [1.0], ni],
  [M + "yn", [2n, 1.0], ni],
  [M + "atan2", [0.0, 1.0], 0],
  [M + "copysign", [3.0, -1.0], -3],
  [M + "dim", [5.0, 3.0], 2],
  [M + "dim", [3.0, 5.0], 0],
  [M + "hypot", [3.0, 4.0], 5],
  [M + "max", [Infinity, NaN], Infinity],
  [M + "max", [1.0, NaN], NaN],
  [M + "min", [-0.0, 0.0], -0],
  [M + "mod", [7.0, 4.0], 3],
  [M + "nextafter", [1.0, 2.0], 1.0000000000000002],
  [M + "pow", [1.0, NaN], 1],
  [M + "remainder", [5.0, 3.0], -1],
  [M + "fma", [2.0, 3.0, 4.0], 10],
  [M + "ilogb", [8.0], 3n],
  [M + "inf", [-1n], -Infinity],
  [M + "is_inf", [Infinity, 0n], true],
  [M + "is_nan", [NaN], true],
  [M + "jn", [2n, 0.0], 0],
  [M + "ldexp", [0.5, 3n], 4],
  [M + "na_n", [], NaN],
  [M + "pow10", [3n], 1000],
  [M + "signbit", [-0.0], true],
]);

test("golang/math special functions are accurate", () => {
  const close = (name: string, x: number, want: number) => {
    const got = call("golang/math." + name, [x]) as number;
    assert.ok(Math.abs(got - want) <= 1e-14 * Math.max(1, Math.abs(want)), `${name}(${x}) = ${got}, want ${want}`);
  };
  close("erf", 0.5, 0.5204998778130465);
  close("erf", 3, 0.9999779095030014);
  close("erfc", 3, 2.209049699858544e-5);
  close("erfinv", 0.5, 0.4769362762044699);
  close("gamma", 0.5, Math.sqrt(Math.PI));
  close("j0", 2.404825557695773, 0);
  close("j1", 1.0, 0.44005058574493355);
});

const P = "golang/path.";
table("golang/path", [
  [P + "base", ["/a/b/"], "b"],
  [P + "clean", ["a//b/./../c"], "a/c"],
  [P + "clean", ["/../a"], "/a"],
  [P + "dir", ["/a/b/c"], "/a/b"],
  [P + "ext", ["/a/b.tar.gz"], ".gz"],
  [P + "is_abs", ["/x"], true],
  [P + "match", ["*.go", "main.go"], true],
  [P + "match", ["a/*", "a/b/c"], false],
  [P + "match", ["[a-c]x", "bx"], true],
  [P + "match", ["[", "x"], err("syntax error in pattern")],
]);

const F = "golang/path/filepath.";
const tmp = mkdtempSync(`${tmpdir()}/steward-fp-`);
mkdirSync(`${tmp}/d`);
writeFileSync(`${tmp}/d/a.txt`, "a");
writeFileSync(`${tmp}/d/b.txt`, "b");
symlinkSync(`${tmp}/d/a.txt`, `${tmp}/link`);
table("golang/path/filepath", [
  [F + "abs", ["/a/../b"], "/b"],
  [F + "base", ["a/b.c"], "b.c"],
  [F + "clean", ["./x/"], "x"],
  [F + "dir", ["x"], "."],
  [F + "eval_symlinks", [`${tmp}/link`], `${tmp}/d/a.txt`],
  [F + "eval_symlinks", [`${tmp}/missing`], err("no such file or directory")],
  [F + "ext", ["x.y"], ".y"],
  [F + "from_slash", ["a/b"], "a/b"],
  [F + "glob", [`${tmp}/d/*.txt`], [`${tmp}/d/a.txt`, `${tmp}/d/b.txt`]],
  [F + "glob", [`${tmp}/*/b.*`], [`${tmp}/d/b.txt`]],
  [F + "glob", ["[x"], err("syntax error in pattern")],
  [F + "is_abs", ["a"], false],
  [F + "is_local", ["a/../../b"], false],
  [F + "is_local", ["a/b"], true],
  [F + "match", ["a?c", "abc"], true],
  [F + "rel", ["/a", "/a/b/c"], "b/c"],
  [F + "rel", ["/a/b", "/a/c"], "../c"],
  [F + "rel", ["a", "/b"], err("Rel: can't make /b relative to a")],
  [F + "to_slash", ["a/b"], "a/b"],
  [F + "volume_name", ["/a"], ""],
]);

table("golang/html", [
  ["golang/html.escape_string", [`<a href="x">'&'</a>`], "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"],
  ["golang/html.unescape_string", ["&lt;b&gt; &amp;amp; &#39; &#x263a; &eacute; &nosuch;"], "<b> &amp; ' ☺ é &nosuch;"],
]);

test("golang/os, os/exec, runtime, math/rand", () => {
  const ok = (name: string, args: readonly import("../../lang/values.js").Value[] = []) => {
    const v = call(name, args);
    assert.ok(!isCatchable(v), `${name}: ${isCatchable(v) ? v.message : ""}`);
    return v;
  };
  const O = "golang/os.";
  assert.ok((ok(O + "environ") as string[]).some((x) => x.startsWith("PATH=")));
  assert.equal(ok(O + "executable"), process.execPath);
  process.env.STEWARD_T = "v";
  assert.equal(ok(O + "expand_env", ["a${STEWARD_T}b$STEWARD_T-$NOPE_X"]), "avbv-");
  assert.equal(ok(O + "getenv", ["STEWARD_T"]), "v");
  assert.equal(typeof ok(O + "getegid"), "bigint");
  assert.equal(typeof ok(O + "geteuid"), "bigint");
  assert.equal(typeof ok(O + "getgid"), "bigint");
  assert.equal(ok(O + "getpagesize"), 4096n);
  assert.equal(ok(O + "getpid"), BigInt(process.pid));
  assert.equal(ok(O + "getppid"), BigInt(process.ppid));
  assert.equal(typeof ok(O + "getuid"), "bigint");
  assert.equal(ok(O + "getwd"), process.cwd());
  assert.equal(typeof ok(O + "hostname"), "string");
  assert.ok((ok(O + "mkdir_temp", [tmp, "x*"]) as string).startsWith(`${tmp}/x`));
  assert.equal(ok(O + "read_file", [`${tmp}/d/a.txt`]), "a");
  assert.equal((call(O + "read_file", [`${tmp}/nope`]) as { message: string }).message, `open ${tmp}/nope: no such file or directory`);
  assert.equal(ok(O + "readlink", [`${tmp}/link`]), `${tmp}/d/a.txt`);
  assert.equal(typeof ok(O + "temp_dir"), "string");
  assert.equal(typeof ok(O + "user_cache_dir"), "string");
  assert.equal(typeof ok(O + "user_config_dir"), "string");
  assert.equal(ok(O + "user_home_dir"), process.env.HOME);
  assert.equal(ok("golang/os/exec.look_path", ["sh"]), ok("golang/os/exec.look_path", ["sh"]));
  assert.ok(isCatchable(call("golang/os/exec.look_path", ["no-such-binary-xyz"])));
  const R = "golang/runtime.";
  assert.ok((ok(R + "num_cpu") as bigint) >= 1n);
  assert.equal(ok(R + "gomaxprocs", [0n]), ok(R + "num_cpu"));
  assert.equal(typeof ok(R + "goroot"), "string");
  assert.equal(ok(R + "num_cgo_call"), 0n);
  assert.equal(ok(R + "num_goroutine"), 1n);
  assert.equal(typeof ok(R + "version"), "string");
  const N = "golang/math/rand.";
  const f = ok(N + "float64") as number;
  assert.ok(f >= 0 && f < 1);
  assert.ok((ok(N + "exp_float64") as number) >= 0);
  assert.equal(typeof ok(N + "norm_float64"), "number");
  assert.ok((ok(N + "int") as bigint) >= 0n);
  assert.ok((ok(N + "int63") as bigint) >= 0n);
  const n = ok(N + "int63n", [10n]) as bigint;
  assert.ok(n >= 0n && n < 10n);
  const k = ok(N + "intn", [3n]) as bigint;
  assert.ok(k >= 0n && k < 3n);
});
