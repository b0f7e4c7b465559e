/**
 * Registry coverage (issue 3 §3): walks every builtin of the registry (stdlib/registry.ts
 * allFuncs()) and requires
 *
 *  - for `net/http.response`, `sys/fwupd.*` and `embedded/provisioner.*`: an
 *    implementation that fails at run time with the one-line `<name>: not implemented yet` (also
 *    end to end through runProgram, as a fatal `runtime` diagnostic);
 *  - for every other function: an implementation with the registry's effect (after
 *    runtime/funcs/load-impls.ts loaded the library), and at least one test that mentions it — a
 *    test file under test/stdlib/ that contains its full name (or its package prefix `"pkg."` and
 *    its short name `"short"`, the table-driven form), or a golden case under test/lang/
 *    that contains its full name, or imports its package and calls `<short>(` (a global function:
 *    calls `<short>(`). Internal functions (`_operator`, `_lookup`, …) that the lowering calls for
 *    operators and lookups count when any test file or golden case names them, or when a golden
 *    case uses the syntax they implement.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { firstValueFrom, timeout } from "rxjs";
import { memoryHost } from "../../lang/host.js";
import { loadImpls } from "../../runtime/funcs/load-impls.js";
import { runProgram } from "../../runtime/funcs/run-program.js";
import { getImpl } from "../../stdlib/impl.js";
import { allFuncs, type BuiltinFunc } from "../../stdlib/registry.js";

const UNIMPLEMENTED = (f: BuiltinFunc): boolean =>
  f.name === "net/http.response" || f.pkg === "sys/fwupd" || f.pkg === "embedded/provisioner";

const TEST_ROOT = fileURLToPath(new URL("..", import.meta.url));

function walk(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, ext));
    else if (name.endsWith(ext)) out.push(p);
  }
  return out;
}

const read = (files: readonly string[]): string[] => files.map((f) => readFileSync(f, "utf8"));
const stdlibTests = read(walk(join(TEST_ROOT, "stdlib"), ".test.ts").filter((f) => !f.endsWith("/coverage.test.ts")));
const goldens = read(walk(join(TEST_ROOT, "lang"), ".txtar"));
const allTests = read(walk(TEST_ROOT, ".ts").filter((f) => !f.endsWith("/coverage.test.ts")));

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Syntax that lowers to an internal function: a golden case using it tests the function. */
const INTERNAL_SYNTAX: Readonly<Record<string, RegExp>> = {
  _operator: /\$\w+ [-+*/<>=!]=? \$?\w|\bnot\b|\band\b|\bor\b/,
  _lookup: /\$\w+\[/,
  _struct_lookup: /\$\w+->\w+/,
  _struct_lookup_optional: /->\w+ <\|>/,
  _collect: /\bcollect \w+/,
};

/** Where `f` is tested, or undefined. */
function testedBy(f: BuiltinFunc): string | undefined {
  const full = f.name;
  // a global's name is a common word (`len`): only quoted, as the tests call implementations by name
  // and a package function's full name must stand alone (`strings.split` is not `golang/strings.split_n`)
  const named = f.pkg === "" ? new RegExp(`"${escape(full)}"`) : new RegExp(`(^|[^\\w/])${escape(full)}(?!\\w)`, "m");
  if (stdlibTests.some((t) => named.test(t))) return "test/stdlib";
  // table-driven tests name a package prefix once: `const M = "golang/math."; [M + "abs", …]`
  if (f.pkg !== "" && stdlibTests.some((t) => t.includes(`"${f.pkg}."`) && t.includes(`"${f.short}"`))) return "test/stdlib";
  if (f.pkg === "") {
    const call = new RegExp(`(^|[^\\w.])${escape(f.short)}\\(`, "m");
    if (goldens.some((g) => call.test(g))) return "golden";
    if (f.short.startsWith("_")) {
      if (allTests.some((t) => t.includes(`"${full}"`))) return "test";
      const syntax = INTERNAL_SYNTAX[f.short];
      if (syntax && goldens.some((g) => syntax.test(g))) return "golden syntax";
    }
    return undefined;
  }
  const imp = new RegExp(`import "${escape(f.pkg)}"`);
  const call = new RegExp(`[\\w]\\.${escape(f.short)}\\(`);
  if (goldens.some((g) => named.test(g) || (imp.test(g) && call.test(g)))) return "golden";
  return undefined;
}

test("every builtin has an implementation with the registry's effect", async () => {
  await loadImpls();
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const f of allFuncs()) {
    const i = getImpl(f.name);
    if (!i) missing.push(f.name);
    else if (i.effect !== f.effect) wrong.push(`${f.name}: ${i.effect} != ${f.effect}`);
  }
  assert.deepEqual(missing, []);
  assert.deepEqual(wrong, []);
});

test("every builtin except the not-yet-implemented ones is named in a test", () => {
  const untested = allFuncs()
    .filter((f) => !UNIMPLEMENTED(f))
    .filter((f) => testedBy(f) === undefined)
    .map((f) => f.name);
  assert.deepEqual(untested, []);
});

test("net/http.response, sys/fwupd.*, embedded/provisioner.* fail at run time with one line", async () => {
  await loadImpls();
  const fns = allFuncs().filter(UNIMPLEMENTED);
  assert.ok(fns.some((f) => f.pkg === "sys/fwupd") && fns.some((f) => f.pkg === "embedded/provisioner"));
  const ctx = { hostname: "h", world: undefined as never, stateDir: "/nonexistent", moduleDir: "/nonexistent" };
  for (const f of fns) {
    const i = getImpl(f.name)!;
    const want = `${f.name}: not implemented yet`;
    if (i.effect === "source") {
      const err = await new Promise<unknown>((resolve) => i.stream([], ctx).subscribe({ error: resolve, complete: () => resolve(undefined) }));
      assert.equal((err as Error | undefined)?.message, want, f.name);
    } else {
      assert.throws(() => i.call([], ctx), (e: Error) => e.message === want, f.name);
    }
  }
});

test("a program calling an unimplemented builtin stops with a one-line runtime diagnostic", async () => {
  const programs: Record<string, string> = {
    "net/http.response": `import "net/http"\n$r = http.response("u")\ntest [$r->output] {}\n`,
  };
  for (const [name, src] of Object.entries(programs)) {
    const ev = await firstValueFrom(runProgram("/main.mcl", memoryHost({ "/main.mcl": src })).pipe(timeout(10000)));
    assert.ok("diagnostics" in ev, `${name}: expected a diagnostic`);
    const [d] = ev.diagnostics;
    assert.equal(ev.diagnostics.length, 1);
    assert.equal(d!.phase, "runtime");
    assert.ok(ev.fatal, `${name}: fatal`);
    assert.match(d!.message, new RegExp(`^${escape(name)}: not implemented yet$`));
  }
});
