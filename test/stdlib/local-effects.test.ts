import { test } from "node:test";
import * as assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { CatchableError } from "../../lang/values.js";
import { call, makeCtx, tempDir } from "./effects-helpers.js";

test("local.pool: stable small ints per uid", () => {
  const { dir, cleanup } = tempDir();
  try {
    const ctx = makeCtx({ stateDir: dir });
    assert.equal(call("local.pool", ["vms", "alpha"], ctx), 1n);
    assert.equal(call("local.pool", ["vms", "beta"], ctx), 2n);
    assert.equal(call("local.pool", ["vms", "alpha"], ctx), 1n);
  } finally {
    cleanup();
  }
});

test("local.vardir: creates the dir 0700; a bad path is catchable", () => {
  const { dir, cleanup } = tempDir();
  try {
    const ctx = makeCtx({ stateDir: dir });
    const d = call("local.vardir", ["svc/"], ctx);
    assert.equal(d, join(dir, "vardir", "svc") + "/");
    assert.equal(statSync(d as string).mode & 0o777, 0o700);
    const e = call("local.vardir", ["/abs"], ctx);
    assert.ok(e instanceof CatchableError);
    assert.match(e.message, /^local\.vardir: vardir: path must be relative/);
  } finally {
    cleanup();
  }
});
