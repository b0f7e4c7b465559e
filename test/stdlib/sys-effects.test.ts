import { afterEach, test } from "node:test";
import * as assert from "node:assert/strict";
import { availableParallelism, uptime } from "node:os";
import { CatchableError, MapValue, StructValue } from "../../lang/values.js";
import { countCpuList } from "../../stdlib/impl/effects/sys.js";
import { call, closeAll, makeCtx, record, stream, waitFor } from "./effects-helpers.js";

afterEach(closeAll);
const ctx = makeCtx({ stateDir: "/nonexistent", hostname: "agent-7" });

test("sys.getenv: the value, or a catchable error when unset; sys.hasenv", () => {
  process.env.STEWARD_TEST_VAR = "v1";
  try {
    assert.equal(call("sys.getenv", ["STEWARD_TEST_VAR"], ctx), "v1");
    assert.equal(call("sys.hasenv", ["STEWARD_TEST_VAR"], ctx), true);
    delete process.env.STEWARD_TEST_VAR;
    const e = call("sys.getenv", ["STEWARD_TEST_VAR"], ctx);
    assert.ok(e instanceof CatchableError);
    assert.equal(e.message, "environment variable STEWARD_TEST_VAR is not set");
    assert.equal(call("sys.hasenv", ["STEWARD_TEST_VAR"], ctx), false);
    process.env.STEWARD_TEST_VAR = "";
    assert.equal(call("sys.getenv", ["STEWARD_TEST_VAR"], ctx), "", "set but empty is not an error");
  } finally {
    delete process.env.STEWARD_TEST_VAR;
  }
});

test("sys.env: the environment as a map", () => {
  const m = call("sys.env", [], ctx);
  assert.ok(m instanceof MapValue);
  assert.equal(m.get("PATH"), process.env.PATH);
});

test("sys.cpu_count and sys.hostname emit at once", () => {
  const c = record(stream("sys.cpu_count", [], ctx));
  assert.equal(typeof c.values[0], "bigint");
  assert.ok((c.values[0] as bigint) >= 1n && Number(c.values[0]) <= Math.max(availableParallelism(), 4096));
  assert.equal(countCpuList("0-3,5,7-8\n"), 7);
  assert.equal(countCpuList("0"), 1);
  assert.deepEqual(record(stream("sys.hostname", [], ctx)).values, ["agent-7"]);
});

test("sys.load polls /proc/loadavg; sys.uptime ticks every second", async () => {
  const l = record(stream("sys.load", [], ctx));
  const s = l.values[0];
  assert.ok(s instanceof StructValue);
  assert.deepEqual(s.names, ["x1", "x5", "x15"]);
  assert.equal(typeof s.get("x1"), "number");
  const u = record(stream("sys.uptime", [], ctx));
  assert.ok(Math.abs(Number(u.values[0]) - uptime()) <= 1);
  await waitFor(() => u.values.length >= 2, 2500, "an uptime tick");
  assert.equal((u.values[1] as bigint) - (u.values[0] as bigint) >= 1n, true);
});
