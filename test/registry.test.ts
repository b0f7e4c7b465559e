/** Tests for the builtin registry data (stdlib/registry.ts; mcl-language.md §6.2, §11, §13). */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { parseType } from "../lang/type-parse.js";
import { T, printType, type Type } from "../lang/types.js";
import { Unifier } from "../lang/unify.js";
import {
  META_FIELDS,
  allFuncs,
  defaultImportAlias,
  getFunc,
  getKind,
  globalVars,
  isSystemPackage,
  kindNames,
  packageFuncs,
  packageVars,
  type ArgInfo,
  type BuiltinFunc,
} from "../stdlib/registry.js";

/** Call-site signature as the checker builds it: infer (vars from the unifier) or instantiate(sig). */
function sigAt(u: Unifier, f: BuiltinFunc, args: readonly ArgInfo[]): Type | { readonly error: string } {
  if (f.infer) return f.infer(args, () => u.fresh());
  return u.instantiate(parseType(f.sig!));
}

function sigOf(name: string, args: readonly ArgInfo[] = []): string {
  const u = new Unifier();
  const s = sigAt(u, getFunc(name)!, args);
  return "error" in s ? `error: ${s.error}` : printType(s);
}

/** Unify the call-site signature with `func(argTypes) ?R`, then run `check` on the solution. */
function call(name: string, argTypes: readonly string[], args: readonly ArgInfo[] = argTypes.map((t) => ({ type: parseType(t) }))): string {
  const u = new Unifier();
  const f = getFunc(name)!;
  const s = sigAt(u, f, args);
  if ("error" in s) return `infer: ${s.error}`;
  const r = u.fresh();
  const site = T.func(argTypes.map((t, i) => ({ name: String(i), type: u.instantiate(parseType(t)) })), r);
  const fail = u.unify(s, site);
  if (fail) return `unify: ${fail.message}`;
  const err = f.check?.(u.resolve(s), args);
  return err !== undefined ? `check: ${err}` : printType(u.resolve(r));
}

test("every fixed signature parses to a func type and names are consistent", () => {
  assert.ok(allFuncs().length > 250);
  for (const f of allFuncs()) {
    assert.ok(f.sig !== undefined || f.infer !== undefined, `${f.name} has neither sig nor infer`);
    if (f.sig !== undefined) assert.equal(parseType(f.sig).k, "func", f.name);
    assert.equal(f.name, f.pkg === "" ? f.short : `${f.pkg}.${f.short}`);
    assert.equal(getFunc(f.name), f);
  }
});

test("every package of §11 and §13 exists", () => {
  const pkgs = [
    "convert", "datetime", "deploy", "encoding", "example", "example/nested", "fmt", "golang", "iter", "list",
    "local", "map", "math", "net", "net/http", "os", "regexp", "strings", "sys", "sys/fwupd", "test", "util",
    "value", "world", "world/collect", "embedded/provisioner",
    "golang/html", "golang/math", "golang/math/rand", "golang/os", "golang/os/exec", "golang/path",
    "golang/path/filepath", "golang/runtime", "golang/strconv", "golang/strings",
  ];
  for (const p of pkgs) assert.ok(isSystemPackage(p), p);
  for (const p of ["", "foo", "fmt/", "golang/nope", "main.mcl"]) assert.ok(!isSystemPackage(p), p);
  assert.equal(defaultImportAlias("golang/strings"), "strings");
  assert.equal(defaultImportAlias("golang/path/filepath"), "filepath");
  assert.equal(defaultImportAlias("fmt"), "fmt");
});

test("globals and internals need no import", () => {
  const globals = packageFuncs("").map((f) => f.name).sort();
  assert.deepEqual(globals, [
    "_collect", "_lookup", "_operator", "_struct_lookup", "_struct_lookup_optional",
    "concat", "contains", "history", "len", "list_lookup", "map_lookup", "panic", "panic_debug", "random1",
  ]);
});

test("§11.2 signatures spot checks", () => {
  const cases: [string, string][] = [
    ["concat", "func(a str, b str) str"],
    ["contains", "func(needle ?1, haystack []?1) bool"],
    ["map_lookup", "func(map map{?1: ?2}, key ?1) ?2"],
    ["iter.map", "func(inputs []?1, function func(?1) ?2) []?2"],
    ["iter.zip", "func(inputs1 []?1, inputs2 []?2, function func(x ?1, y ?2) ?3) []?3"],
    ["map.values", "func(x map{?1: ?2}) []?2"],
    ["net.url_parser", "func(a str) struct{scheme str; host str; path str; raw_query str}"],
    ["sys.load", "func() struct{x1 float; x5 float; x15 float}"],
    ["world/collect.res", "func(kind str) []struct{name str; host str}"],
    ["value.get", "func(key str) struct{value ?1; ready bool}"],
    ["strings.left_pad", "func(s str, pad str, len int) str"],
    ["example.vumeter", "func(symbol str, multiplier int, peak float) str"],
  ];
  for (const [n, s] of cases) assert.equal(getFunc(n)?.sig, s, n);
  assert.equal(getFunc("datetime.now")?.effect, "source");
  assert.equal(getFunc("os.family")?.effect, "impure");
  assert.equal(getFunc("list.lookup")?.catchable, true);
  assert.equal(getFunc("strings.substr")?.catchable, true);
  assert.equal(getFunc("concat")?.catchable, undefined);
});

test("§13 golang/<pkg> wrappers", () => {
  const cases: [string, string][] = [
    ["golang/strings.trim_space", "func(s str) str"],
    ["golang/strings.join", "func(elems []str, sep str) str"],
    ["golang/strings.has_prefix", "func(s str, prefix str) bool"],
    ["golang/strings.split", "func(s str, sep str) []str"],
    ["golang/strings.replace_all", "func(s str, old str, new str) str"],
    ["golang/strings.repeat", "func(s str, count int) str"],
    ["golang/strconv.itoa", "func(i int) str"],
    ["golang/strconv.format_int", "func(i int, base int) str"],
    ["golang/strconv.atoi", "func(s str) int"],
    ["golang/strconv.quote", "func(s str) str"],
    ["golang/path/filepath.base", "func(path str) str"],
    ["golang/math.floor", "func(x float) float"],
    ["golang/math.max", "func(x float, y float) float"],
    ["golang/html.escape_string", "func(s str) str"],
    ["golang/runtime.num_cpu", "func() int"],
    ["golang/os.hostname", "func() str"],
    ["golang/os.getpid", "func() int"],
    ["golang/os/exec.look_path", "func(file str) str"],
    ["golang/math/rand.intn", "func(n int) int"],
  ];
  for (const [n, s] of cases) assert.equal(getFunc(n)?.sig, s, n);
  for (const n of ["trim_suffix", "trim_prefix", "to_upper", "to_lower", "has_suffix", "contains"]) assert.ok(getFunc(`golang/strings.${n}`), n);
  for (const n of ["dir", "ext", "clean"]) assert.ok(getFunc(`golang/path/filepath.${n}`), n);
  for (const n of ["ceil", "abs", "min"]) assert.ok(getFunc(`golang/math.${n}`), n);
  assert.ok(getFunc("golang/html.unescape_string"));
  assert.equal(getFunc("golang/strings.join")?.goName, "Join");
  assert.equal(getFunc("golang/strconv.atoi")?.catchable, true);
  assert.equal(getFunc("golang/strings.trim_space")?.effect, "pure");
  assert.equal(getFunc("golang/os.getpid")?.effect, "impure");
  assert.equal(getFunc("golang/path.join"), undefined, "variadic functions are excluded");
});

test("global and package vars", () => {
  const g = new Map(globalVars().map((v) => [v.name, v]));
  assert.equal(g.get("purpleidea")?.value, "hello world!");
  assert.equal(g.get("hostname")?.type.k, "str");
  assert.equal(g.get("const.res.file.state.exists")?.value, "exists");
  assert.equal(g.get("const.res.file.state.undefined")?.value, "");
  assert.equal(g.get("const.res.gzip.level.best_compression")?.value, 9n);
  assert.equal(g.get("const.res.tar.format.gnu")?.value, 8n);
  assert.equal(g.get("const.res.net.state.up")?.value, "up");
  assert.equal(g.get("const.res.firewalld.state.absent")?.value, "absent");
  assert.deepEqual(packageVars("os").map((v) => v.name).sort(), ["os.family_archlinux", "os.family_debian", "os.family_redhat"]);
  assert.equal(packageVars("example")[0]?.value, 13n);
});

test("kind schemas", () => {
  for (const k of ["test", "print", "value", "file", "exec", "pkg", "svc", "user", "group", "timer", "noop", "msg", "kv", "password", "hostname", "schedule", "cron", "mount", "sysctl", "line", "exit", "nspawn", "virt"]) {
    const s = getKind(k);
    assert.ok(s, k);
    assert.ok(s.fields.size > 0, k);
    for (const [f, t] of s.fields) assert.ok(printType(parseType(printType(t))) === printType(t), `${k}.${f}`);
  }
  assert.ok(kindNames().includes("_panic"));
  const test = getKind("test")!;
  assert.equal(printType(test.fields.get("mixedstruct")!), "struct{somebool bool; somestr str; someint int; somefloat float}");
  assert.equal(printType(test.fields.get("mapintfloat")!), "map{int: float}");
  assert.equal(test.fields.get("interface")!.k, "var");
  assert.equal(test.fields.has("complex64"), false);
  assert.equal(printType(test.sends!.get("answer")!), "int");
  assert.equal(test.recvable, true);
  assert.equal(getKind("exec")!.recvable, false);
  assert.deepEqual([...getKind("exec")!.sends!.keys()], ["output", "stdout", "stderr"]);
  assert.equal(getKind("file")!.sends, undefined);
  assert.equal(getKind("pkg")!.traits.compatible, true);
  assert.equal(getKind("file")!.traits.autoedge, true);
  assert.equal(getKind("nope"), undefined);
});

test("META_FIELDS: the 18 fields in order", () => {
  assert.equal(
    META_FIELDS.map((f) => `${f.name} ${printType(f.type)}`).join("; "),
    "noop bool; retry int; retryreset bool; delay int; timeout int; poll int; limit float; burst int; reset bool; sema []str; rewatch bool; realize bool; dollar bool; hidden bool; export []str; reverse bool; autoedge bool; autogroup bool",
  );
});

test("fmt.printf format refinement", () => {
  assert.equal(sigOf("fmt.printf", [{ value: "%s is %d, %v%%" }, {}, {}, {}]), "func(format str, a str, b int, c ?1) str");
  assert.equal(sigOf("fmt.printf", [{ value: "%d %d" }, {}]), "error: number of args (1) doesn't match format string verb count (2)");
  assert.equal(sigOf("fmt.printf", [{ value: "%d" }, { type: T.str }]), "error: inconsistent type at arg index 1: type error: str != int");
  assert.equal(sigOf("fmt.printf", [{ value: "%-5.2f %t %q %T" }, {}, {}, {}, {}]), "func(format str, a float, b bool, c str, d ?1) str");
  assert.equal(sigOf("fmt.printf", [{ type: T.str }, {}, {}]), "func(format str, a ?1, b ?2) str");
  assert.equal(sigOf("fmt.printf", [{ value: "%x" }, {}]), "error: unsupported format verb: %x");
  assert.equal(sigOf("fmt.printf", [{ value: "100%%" }]), "func(format str) str");
  assert.equal(call("fmt.printf", ["str", "int"], [{ value: "%d" }, { type: T.int }]), "str");
});

test("_operator signatures and checks", () => {
  const op = (o: string, ts: readonly string[]): string =>
    call("_operator", ["str", ...ts], [{ value: o, type: T.str }, ...ts.map((t) => ({ type: parseType(t) }))]);
  assert.equal(op("+", ["str", "str"]), "str");
  assert.equal(op("+", ["int", "int"]), "int");
  assert.equal(op("+", ["float", "float"]), "float");
  assert.equal(op("+", ["int", "float"]), "unify: type error: float != int");
  assert.match(op("+", ["bool", "bool"]), /^check: .*bool/);
  assert.match(op("-", ["str", "str"]), /^check: /);
  assert.equal(op("/", ["int", "int"]), "float");
  assert.equal(op("==", ["[]str", "[]str"]), "bool");
  assert.match(op("==", ["func() int", "func() int"]), /^check: /);
  assert.equal(op("<", ["float", "float"]), "bool");
  assert.match(op("<", ["str", "str"]), /^check: /);
  assert.equal(op("and", ["bool", "bool"]), "bool");
  assert.equal(op("or", ["int", "bool"]), "unify: type error: int != bool");
  assert.equal(op("not", ["bool"]), "bool");
  assert.equal(op("not", ["bool", "bool"]), "unify: func arg count differs");
  assert.equal(sigOf("_operator", [{ value: "%%" }]), "error: unknown operator: %%");
  // without args, check falls back to the solved shape
  const f = getFunc("_operator")!;
  assert.match(f.check!(parseType("func(op str, a bool, b bool) bool")) ?? "ok", /ok/);
  assert.match(f.check!(parseType("func(op str, a []str, b []str) []str")) ?? "ok", /does not support/);
});

test("polymorphic builtins unify the same in every argument order", () => {
  for (const t of ["str", "int", "float"]) {
    const u = new Unifier();
    const s = getFunc("_operator")!.infer!([{ value: "+" }, {}, {}], () => u.fresh());
    assert.ok(!("error" in s));
    const a = u.fresh();
    const b = u.fresh();
    // bind the second operand first, then the first
    assert.equal(u.unify(s, T.func([{ name: "0", type: T.str }, { name: "1", type: a }, { name: "2", type: b }], u.fresh())), undefined);
    assert.equal(u.unify(b, parseType(t)), undefined);
    assert.equal(printType(u.resolve(a)), t);
  }
  for (const t of ["str", "[]int", "map{str: bool}"]) assert.equal(call("len", [t]), "int");
  assert.match(call("len", ["int"]), /^check: len/);
});

test("inferable builtins", () => {
  assert.equal(sigOf("iter.range", [{}]), "func(stop int) []int");
  assert.equal(sigOf("iter.range", [{}, {}, {}]), "func(start int, stop int, step int) []int");
  assert.match(sigOf("iter.range", []), /^error: /);
  assert.equal(sigOf("iter.reduce", [{}, {}]), "func(inputs []?1, function func(x ?1, y ?1) ?1) ?1");
  assert.equal(sigOf("iter.reduce", [{}, {}, {}]), "func(initval ?1, inputs []?1, function func(x ?1, y ?1) ?1) ?1");
  assert.equal(sigOf("list.concat", [{}, {}, {}]), "func(a []?1, b []?1, c []?1) []?1");
  assert.match(sigOf("list.concat", []), /^error: /);
  assert.equal(sigOf("encoding.decode_json", [{}]), "func(data str) ?1");
  assert.equal(sigOf("encoding.decode_json", [{}, { value: "map{str: []int}" }]), "func(data str, type str) map{str: []int}");
  assert.match(sigOf("encoding.decode_json", [{}, { value: "nope" }]), /^error: invalid type string/);
  assert.equal(sigOf("golang.template", [{}]), "func(template str) str");
  assert.equal(sigOf("golang.template", [{}, {}]), "func(template str, vars ?1) str");
  assert.match(call("math.fortytwo", []), /^\?\d+$/, "still open: the checker reports ambiguity");
  assert.equal(getFunc("math.fortytwo")!.check!(parseType("func() float")), undefined);
  assert.match(getFunc("math.fortytwo")!.check!(parseType("func() str")) ?? "", /int or float/);
  assert.equal(call("math.mod", ["int", "int"]), "int");
  assert.match(call("math.mod", ["str", "str"]), /^check: /);
  assert.equal(call("panic", ["str"]), "bool");
  assert.match(call("panic", ["int"]), /^check: /);
  assert.equal(call("panic", ["bool", "str"]), "unify: func arg count differs");
  assert.equal(call("panic_debug", ["bool", "str"]), "bool");
});

test("_lookup / _struct_lookup / _collect", () => {
  assert.equal(call("_lookup", ["[]str", "int"]), "str");
  assert.equal(call("_lookup", ["map{int: bool}", "int"]), "bool");
  assert.equal(call("_lookup", ["map{int: bool}", "str"]), "unify: type error: str != int");
  assert.match(call("_lookup", ["str", "int"]), /^infer: /);
  // unknown container: check decides after unification
  const f = getFunc("_lookup")!;
  assert.equal(f.check!(parseType("func(a []str, b int) str")), undefined);
  assert.match(f.check!(parseType("func(a []str, b str) str")) ?? "", /index must be int/);
  assert.match(f.check!(parseType("func(a map{str: int}, b str) str")) ?? "", /type error/);
  assert.match(f.check!(parseType("func(a map{[]str: int}, b []str) int")) ?? "", /not hashable/);

  const s = "struct{a int; b str}";
  assert.equal(call("_struct_lookup", [s, "str"], [{ type: parseType(s) }, { value: "b", type: T.str }]), "str");
  assert.equal(call("_struct_lookup", [s, "str"], [{ type: parseType(s) }, { value: "missing", type: T.str }]), "infer: field missing was not found in struct");
  assert.equal(call("_struct_lookup", [s, "str"], [{}, { value: "missing" }]), "check: field missing was not found in struct");
  assert.equal(call("_struct_lookup_optional", [s, "str", "int"], [{ type: parseType(s) }, { value: "a" }, {}]), "int");
  assert.equal(call("_struct_lookup_optional", [s, "str", "bool"], [{ type: parseType(s) }, { value: "zz" }, {}]), "bool");
  assert.equal(call("_struct_lookup_optional", [s, "str", "bool"], [{ type: parseType(s) }, { value: "a" }, {}]), "unify: type error: bool != int");

  assert.equal(call("_collect", ["str", "str"], [{ value: "file" }, { value: "x" }]), "[]struct{name str; host str; data str}");
  assert.equal(call("_collect", ["str", "[]str"]), "[]struct{name str; host str; data str}");
  assert.equal(call("_collect", ["str", "[]struct{name str; host str}"]), "[]struct{name str; host str; data str}");
  assert.match(call("_collect", ["str", "[]int"]), /^unify: /);
});
