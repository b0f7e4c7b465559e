/**
 * The shared helpers of stdlib/resources/param-fields.ts that carry behaviour: `raceAbort` (used by
 * kv, schedule and the pkg kind's apt transactions) and `sleep`.
 */
import * as assert from "node:assert/strict";
import { test } from "node:test";
import { raceAbort, sleep } from "../../stdlib/resources/param-fields.js";

test("raceAbort: the promise's result when it settles first", async () => {
  const ac = new AbortController();
  assert.equal(await raceAbort(Promise.resolve(7), ac.signal), 7);
  await assert.rejects(raceAbort(Promise.reject(new Error("boom")), ac.signal), /boom/);
});

test("raceAbort: rejects on abort with the signal's reason, or the given one, while the promise goes on", async () => {
  let finished = false;
  const slow = sleep(50).then(() => (finished = true));
  const ac = new AbortController();
  const raced = raceAbort(slow, ac.signal, "aborted (the apt transaction finishes in the background)");
  ac.abort(new Error("stop"));
  await assert.rejects(raced, { message: "aborted (the apt transaction finishes in the background)" });
  assert.equal(finished, false);
  await slow;
  assert.equal(finished, true, "the raced promise itself was not cancelled");

  const ac2 = new AbortController();
  ac2.abort(new Error("stop"));
  await assert.rejects(raceAbort(sleep(1), ac2.signal), { message: "stop" }, "already aborted: the signal's reason");
  await assert.rejects(raceAbort(sleep(1), ac2.signal, "why"), { message: "why" });
});

test("sleep: waits, and stops early when its signal aborts", async () => {
  const t0 = performance.now();
  await sleep(20);
  assert.ok(performance.now() - t0 >= 15);
  const ac = new AbortController();
  const s = sleep(10_000, ac.signal);
  ac.abort();
  await assert.rejects(s, /aborted/);
});
