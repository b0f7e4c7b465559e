/**
 * Keeps the pure builtin library honest: every registry function of the packages implemented in
 * stdlib/impl/pure.ts has an implementation with the registry's effect, and its full name appears
 * in at least one test under test/stdlib/.
 */
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import "../../stdlib/impl/pure.js";
import { getImpl } from "../../stdlib/impl.js";
import { allFuncs, type BuiltinFunc } from "../../stdlib/registry.js";

const PACKAGES = new Set(["convert", "encoding", "example", "example/nested", "fmt", "golang", "iter", "list", "map", "math", "net", "regexp", "strings", "util"]);
const CORE = new Set(["concat", "contains", "len", "list_lookup", "map_lookup", "_operator", "_lookup", "_struct_lookup", "_struct_lookup_optional"]);
/** Functions of these packages implemented with the effects (stdlib/impl/effects/). */
const ELSEWHERE = new Set(["example.errorbool"]);

function mine(f: BuiltinFunc): boolean {
  if (f.effect === "source") return false; // sources belong to the streaming implementations
  if (f.pkg === "") return CORE.has(f.name);
  return (PACKAGES.has(f.pkg) || f.pkg.startsWith("golang/")) && !ELSEWHERE.has(f.name);
}

const funcs = allFuncs().filter(mine);
const dir = fileURLToPath(new URL(".", import.meta.url));
const testText = readdirSync(dir)
  .filter((f) => f.endsWith(".test.ts") && f !== "coverage-pure.test.ts")
  .map((f) => readFileSync(dir + f, "utf8"))
  .join("\n");

test("every pure-library function has an implementation with the registry's effect", () => {
  const missing = funcs.filter((f) => getImpl(f.name) === undefined).map((f) => f.name);
  assert.deepEqual(missing, []);
  const wrongEffect = funcs.filter((f) => getImpl(f.name)!.effect !== f.effect).map((f) => `${f.name}: ${getImpl(f.name)!.effect} != ${f.effect}`);
  assert.deepEqual(wrongEffect, []);
});

test("every pure-library function is named in a test", () => {
  const short = (f: BuiltinFunc): string => (f.pkg.startsWith("golang/") ? f.short : f.name);
  const untested = funcs.filter((f) => !testText.includes(`"${f.name}"`) && !testText.includes(`+ "${short(f)}"`) && !testText.includes(`"${f.name}`)).map((f) => f.name);
  assert.deepEqual(untested, []);
});

test("all pure-effect functions in these packages are covered", () => {
  assert.ok(funcs.length > 200, `only ${funcs.length} functions`);
});
