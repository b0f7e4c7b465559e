/**
 * docs/resources/: the index lists a page per implemented kind, every page it links exists, every
 * field of a kind's schema (stdlib/schemas/) is named on its page, and every mcl example on a page
 * type-checks. Keeps the reference pages honest as kinds gain fields.
 */
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { compileSource } from "../../lang/compile.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { getKind } from "../../stdlib/registry.js";
import "../../stdlib/resources/index.js";

const DIR = join(import.meta.dirname, "../../docs/resources");
const index = readFileSync(join(DIR, "README.md"), "utf8");
/** kind → page, from the index rows: | [`kind`](page.md) | … | */
const pages = new Map([...index.matchAll(/^\| \[`([^`]+)`\]\(([^)]+\.md)\) \|/gm)].map((m) => [m[1]!, m[2]!]));

test("docs/resources/README.md links an existing page per kind, and every implemented kind has one", () => {
  assert.ok(pages.size >= 20, `only ${pages.size} rows in the index`);
  for (const [kind, page] of pages) {
    assert.ok(existsSync(join(DIR, page)), `${kind}: ${page} is missing`);
    assert.ok(getKind(kind), `${kind} is listed but has no schema`);
  }
  // an implemented kind is one the engine can create; `_panic` is internal
  for (const kind of ["file", "exec", "pkg", "svc", "cron", "user", "group", "timer", "noop", "msg", "print", "test", "password", "kv", "hostname", "exit", "value"]) {
    assert.ok(getKindImpl(kind), `${kind} is not implemented`);
    assert.ok(pages.has(kind), `${kind} has no row in the index`);
  }
});

test("every schema field of a kind is named on its page", () => {
  for (const [kind, page] of pages) {
    const md = readFileSync(join(DIR, page), "utf8");
    const missing = [...getKind(kind)!.fields.keys()].filter((f) => !md.includes(`\`${f}\``));
    assert.deepEqual(missing, [], `${page} does not name these fields of ${kind}`);
  }
});

test("every mcl example on a page type-checks", () => {
  for (const page of new Set(pages.values())) {
    const md = readFileSync(join(DIR, page), "utf8");
    for (const m of md.matchAll(/```mcl\n([\s\S]*?)```/g)) {
      assert.deepEqual(compileSource(m[1]!).diagnostics.map((d) => d.message), [], `${page}:\n${m[1]}`);
    }
  }
});
