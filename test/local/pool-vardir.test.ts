import { test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PoolStore, ensureVardir, vardirProblem } from "../../runtime/local/index.js";

function temp(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "steward-local-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test("pool: stable per uid, smallest free number from 1, per namespace, persisted", () => {
  const { dir, cleanup } = temp();
  try {
    const p = new PoolStore(join(dir, "pool"));
    assert.equal(p.allocate("ns", "a"), 1);
    assert.equal(p.allocate("ns", "b"), 2);
    assert.equal(p.allocate("ns", "a"), 1);
    assert.equal(p.allocate("other", "b"), 1);
    const q = new PoolStore(join(dir, "pool"));
    assert.equal(q.allocate("ns", "b"), 2, "survives a restart");
    assert.equal(q.allocate("ns", "c"), 3);
  } finally {
    cleanup();
  }
});

test("vardir: <stateDir>/vardir/<path>/ created 0700; bad paths rejected", () => {
  const { dir, cleanup } = temp();
  try {
    const d = ensureVardir(dir, "app/cache");
    assert.equal(d, join(dir, "vardir", "app", "cache") + "/");
    assert.equal(statSync(d).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, "vardir")).mode & 0o777, 0o700);
    assert.equal(ensureVardir(dir, "app/cache/"), d, "trailing slash is the same dir");
    for (const bad of ["", "/abs", "../up", "a/../b", "./a"]) assert.ok(vardirProblem(bad), bad);
    assert.throws(() => ensureVardir(dir, "/etc"), /relative/);
  } finally {
    cleanup();
  }
});
