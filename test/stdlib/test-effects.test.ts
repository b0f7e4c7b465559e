import { afterEach, test } from "node:test";
import * as assert from "node:assert/strict";
import { printValue, type Value } from "../../lang/values.js";
import { forkvloopAt, forloopAt, steps$ } from "../../stdlib/impl/effects/testpkg.js";
import { closeAll, makeCtx, record, stream, waitFor } from "./effects-helpers.js";

afterEach(closeAll);
const ctx = makeCtx({ stateDir: "/x" });

test("test.fastcount counts up quickly without starving the event loop", async () => {
  const r = record(stream("test.fastcount", [], ctx));
  assert.deepEqual(r.values, [0n]);
  let timerRan = false;
  setTimeout(() => (timerRan = true), 5);
  await waitFor(() => timerRan && r.values.length > 100, 2000, "100 counts and a timer");
  assert.deepEqual(r.values.slice(0, 5), [0n, 1n, 2n, 3n, 4n]);
});

test("test.forloop / test.forkvloop: first value at once; the sequence", () => {
  assert.deepEqual(record(stream("test.forloop", [], ctx)).values, [["a"]]);
  assert.equal(printValue(record(stream("test.forkvloop", [], ctx)).values[0] as Value), '{"a": "0"}');
  assert.deepEqual([0, 1, 4, 5].map(forloopAt), [["a"], ["a", "b"], ["a", "b", "c", "d", "e"], ["a"]]);
  assert.equal(printValue(forkvloopAt(1)), '{"a": "1", "b": "1"}');
});

test("test.one_stream emits 1..count then stops; steps$ timing", async () => {
  assert.deepEqual(record(stream("test.one_stream", [3n], ctx)).values, ["1"]);
  assert.deepEqual(record(stream("test.one_stream", [0n], ctx)).values, ["0"]);
  const r = record(steps$(10, (i) => (i < 3 ? String(i + 1) : undefined)));
  await waitFor(() => r.values.length === 3, 1000, "3 steps");
  await new Promise((res) => setTimeout(res, 40));
  assert.deepEqual(r.values, ["1", "2", "3"]);
});

test("test.slow_string emits nothing at first (\"slow\" comes after 5 s)", () => {
  const r = record(stream("test.slow_string", [], ctx));
  assert.deepEqual(r.values, []);
  r.sub.unsubscribe();
});
