/** Converger, shutdown and failure isolation (engine-reference.md §4.8, §5). */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fire, graph, harness, id, machine, rec, resetProbes, settled, until, v } from "./probe.js";

test("convergedFor emits true after the timeout, false on a new event, true again later", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("a", { state: "1" }), v("b", { ms: 30 })], ["a -> b"]));
  const seen: [boolean, number][] = [];
  const t0 = performance.now();
  const sub = h.engine.convergedFor(150).subscribe((c) => seen.push([c, performance.now() - t0]));
  await until(() => seen.length === 1, 2000);
  assert.equal(seen[0]![0], true);
  assert.ok(seen[0]![1] >= 150 + 25, `converged after ${seen[0]![1]} ms`);
  fire("b");
  await until(() => seen.length === 2);
  assert.equal(seen[1]![0], false);
  await until(() => seen.length === 3, 2000);
  assert.equal(seen[2]![0], true);
  assert.ok(seen[2]![1] - seen[1]![1] >= 150 + 25);
  sub.unsubscribe();
  assert.ok(h.events.some((e) => e.event === "converged" && e.converged));
  await h.engine.shutdown();
});

test("an empty graph converges; timeout 0 converges as soon as everything is idle", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([]));
  await settled(h.engine, 0, 500);
  const g = harness({ noop: true });
  await g.engine.apply(graph([v("x", { state: "1" })]));
  await settled(g.engine, 0, 500);
  assert.equal(rec("x").calls.length, 1);
  await h.engine.shutdown();
  await g.engine.shutdown();
});

test("a failing vertex and its blocked descendants don't prevent convergence", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("bad", { fail: -1 }), v("child"), v("grandchild"), v("ok")], ["bad -> child", "child -> grandchild"]));
  await settled(h.engine, 20);
  assert.equal(rec("grandchild").calls.length, 0);
  await h.engine.shutdown();
});

test("shutdown within 1 s with hung checkApplys (one honours its AbortSignal, one ignores it); cleanup runs", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("s", { hang: "signal" }), v("f", { hang: "forever" }), v("ok")]));
  await until(() => rec("s").calls.length === 1 && rec("f").calls.length === 1);
  const t0 = performance.now();
  await h.engine.shutdown();
  const dt = performance.now() - t0;
  assert.ok(dt < 1000, `shutdown took ${dt} ms`);
  assert.equal(rec("s").calls[0]!.aborted, true);
  assert.deepEqual([rec("s").cleanups, rec("f").cleanups, rec("ok").cleanups], [1, 1, 1]);
  assert.equal(rec("ok").watchStops, 1);
  // force does not wait
  const g = harness();
  await g.engine.apply(graph([v("f2", { hang: "forever" })]));
  await until(() => rec("f2").calls.length === 1);
  const t1 = performance.now();
  await g.engine.shutdown(true);
  assert.ok(performance.now() - t1 < 50);
});

test("a throwing resource, a timed-out one and a dead watch are isolated and reported by name", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(
    graph([v("throws", { fail: -1 }), v("hangs", { hang: "forever" }, { timeout: 1 }), v("watchdies", { watchfail: true }), v("fine", { state: "1" }), v("after", { state: "2" })], ["fine -> after"]),
  );
  await until(() => ["throws", "hangs", "watchdies"].every((n) => h.events.some((e) => e.event === "error" && e.vertex === id(n))), 2500);
  const msgs = Object.fromEntries(h.events.flatMap((e) => (e.event === "error" && e.vertex ? [[e.vertex, e.message]] : [])));
  assert.match(msgs[id("throws")]!, /probe failure/);
  assert.match(msgs[id("hangs")]!, /timeout after 1 seconds/);
  assert.match(msgs[id("watchdies")]!, /watch failed: probe watch died/);
  assert.equal(machine.get("after"), "2");
  machine.set("fine", "drift");
  fire("fine");
  await until(() => machine.get("fine") === "1");
  await h.engine.shutdown();
});
