/** Every metaparameter (engine-reference.md §3) against the test-only `probe` kind. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { concurrency, fire, graph, harness, id, machine, rec, resetProbes, settled, until, v } from "./probe.js";
import type { EngineEvent } from "../../runtime/engine/engine.js";

const errors = (evs: EngineEvent[], name: string) => evs.filter((e): e is Extract<EngineEvent, { event: "error" }> => e.event === "error" && e.vertex === id(name));

test("retry + delay: N retries spaced by delay, then the vertex dies; retriesLeft counts down", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("r", { fail: -1 }, { retry: 2, delay: 60 }), v("child")], ["r -> child"]));
  await until(() => errors(h.events, "r").length === 3);
  await settled(h.engine, 80);
  const calls = rec("r").calls;
  assert.equal(calls.length, 3, "1 try + 2 retries");
  for (let i = 1; i < calls.length; i++) assert.ok(calls[i]!.start - calls[i - 1]!.end! >= 55, `gap ${i}`);
  assert.deepEqual(errors(h.events, "r").map((e) => e.retriesLeft), [2, 1, 0]);
  assert.equal(rec("child").calls.length, 0, "a dead parent blocks its descendants");
  await h.engine.shutdown();
});

test("retry succeeds before exhaustion; retryreset refills the counter after a success", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("r", { fail: 1, state: "s" }, { retry: 1, retryreset: true })]));
  await until(() => machine.get("r") === "s");
  assert.equal(rec("r").calls.length, 2);
  await h.engine.shutdown();
});

test("poll: no watch, a startup event then one per interval", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("p", { state: "x" }, { poll: 1 })]));
  await until(() => rec("p").calls.length === 1, 500);
  const t0 = rec("p").calls[0]!.start;
  machine.set("p", "drift"); // dirty only matters through events: polls arrive as events
  await until(() => rec("p").calls.length === 2, 1600);
  const dt = rec("p").calls[1]!.start - t0;
  assert.ok(dt > 900 && dt < 1400, `interval ${dt}`);
  assert.equal(machine.get("p"), "x");
  assert.equal(rec("p").watches, 0, "watch is not called when polling");
  await h.engine.shutdown();
});

test("poll < 0: run once (startup event only)", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("o", {}, { poll: -1 })]));
  await settled(h.engine);
  assert.equal(rec("o").calls.length, 1);
  assert.equal(rec("o").watches, 0);
  await h.engine.shutdown();
});

test("limit/burst: events beyond the burst are rate limited", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("l", {}, { limit: 20, burst: 2 })]));
  await until(() => rec("l").calls.length === 1);
  const t0 = performance.now();
  while (performance.now() - t0 < 500) {
    fire("l");
    await new Promise((r) => setTimeout(r, 1));
  }
  await settled(h.engine, 20);
  const n = rec("l").calls.length - 1;
  // 500 ms at 20/s plus a burst of 2 (the startup used one token): at most ~12 runs; without a limit it would be hundreds
  // the upper bound is the property; a loaded machine may fire fewer events, so the lower bound is loose
  assert.ok(n <= 13 && n >= 1, `runs ${n}`);
  await h.engine.shutdown();
});

test("sema: never more than N concurrent checkApply for one id; --sema N globally", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph(["a", "b", "c", "d", "e", "f"].map((n) => v(n, { ms: 40 }, { sema: ["s:2"] }))));
  await until(() => ["a", "b", "c", "d", "e", "f"].every((n) => rec(n).calls[0]?.end !== undefined));
  assert.equal(concurrency.max, 2);
  await h.engine.shutdown();

  resetProbes();
  const g = harness({ sema: 1 });
  await g.engine.apply(graph(["a", "b", "c", "d"].map((n) => v(n, { ms: 20 }))));
  await until(() => ["a", "b", "c", "d"].every((n) => rec(n).calls[0]?.end !== undefined));
  assert.equal(concurrency.max, 1);
  await g.engine.shutdown();
});

test("noop (meta and global): checkApply runs with apply=false and changes nothing; a noop graph converges once checked", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("n", { state: "x" }, { noop: true }), v("m", { state: "y" })], ["n => m"]));
  await settled(h.engine);
  assert.equal(rec("n").calls[0]!.apply, false);
  assert.equal(machine.has("n"), false);
  assert.equal(machine.get("m"), "y");
  assert.equal(rec("m").calls[0]!.refresh, false, "noop never sends refreshes");
  const ev = h.events.find((e) => e.event === "checkapply" && e.vertex === id("n"));
  assert.deepEqual(ev && { ...ev, ms: 0 }, { event: "checkapply", vertex: id("n"), checkOK: false, changed: false, noop: true, ms: 0 });
  await h.engine.shutdown();

  resetProbes();
  const g = harness({ noop: true });
  await g.engine.apply(graph([v("a", { state: "1" }), v("b", { state: "2" })], ["a -> b"]));
  await settled(g.engine, 0);
  assert.equal(machine.size, 0);
  assert.equal(rec("b").calls.length, 1);
  await g.engine.shutdown();
});

test("hidden: never validated, initialised, watched or applied; still orders its neighbours", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("h", { state: "invalid" }, { hidden: true }), v("x", { state: "1" })], ["h -> x"]));
  await until(() => machine.get("x") === "1");
  await settled(h.engine);
  assert.deepEqual(rec("h"), { inits: 0, cleanups: 0, watches: 0, watchStops: 0, failures: 0, calls: [] });
  await h.engine.shutdown();
});

test("reverse: when the resource disappears, its reversal restores the previous state (persisted in the state dir)", async () => {
  resetProbes();
  machine.set("r", "orig");
  const h = harness();
  await h.engine.apply(graph([v("r", { state: "new" }, { reverse: true })]));
  await until(() => machine.get("r") === "new");
  await settled(h.engine);
  // a restart keeps the pending reversal (read back from the state dir)
  await h.engine.shutdown();
  const h2 = harness({ stateDir: h.stateDir });
  await h2.engine.apply(graph([v("other")]));
  await until(() => machine.get("r") === "orig");
  await settled(h2.engine);
  assert.ok(h2.events.some((e) => e.event === "checkapply" && e.vertex === id("r") && e.changed));
  // done: the next swap drops the reversal vertex and nothing re-applies it
  await h2.engine.apply(graph([v("other")]));
  assert.deepEqual(h2.engine.runningGraph().vertices.map((x) => x.id), [id("other")]);
  await h2.engine.shutdown();
});

test("timeout: a checkApply past Meta:timeout is aborted (signal) and reported; a resource that ignores the signal can't hang the engine", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("t", { hang: "signal" }, { timeout: 1 }), v("f", { hang: "forever" }, { timeout: 1 }), v("ok", { state: "1" })]));
  await until(() => errors(h.events, "t").length === 1 && errors(h.events, "f").length === 1, 2500);
  assert.match(errors(h.events, "t")[0]!.message, /timeout after 1 seconds/);
  assert.equal(rec("t").calls[0]!.aborted, true);
  assert.equal(machine.get("ok"), "1");
  await h.engine.shutdown();
});

test("rewatch: a dead vertex is restarted by the next swap only with Meta:rewatch", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("d", { watchfail: true }), v("r", { watchfail: true }, { rewatch: true })]));
  await until(() => errors(h.events, "d").length === 1 && errors(h.events, "r").length === 1);
  await h.engine.apply(graph([v("d", { watchfail: true }), v("r", { watchfail: true }, { rewatch: true })])); // the same graph
  assert.equal(rec("d").inits, 1, "dead without rewatch stays dead");
  assert.equal(rec("r").inits, 2, "rewatch restarts it");
  const swap = h.events.find((e) => e.event === "swap" && e.replaced.length > 0);
  assert.ok(swap && swap.event === "swap" && swap.replaced.includes(id("r")));
  await h.engine.shutdown();
});

test("watch retry: a dying watch is restarted per Meta:retry and needs a fresh startup event", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("w", { watchfail: true }, { retry: 2 })]));
  await until(() => errors(h.events, "w").length === 3);
  assert.equal(rec("w").watches, 3);
  assert.deepEqual(errors(h.events, "w").map((e) => e.retriesLeft), [2, 1, 0]);
  await h.engine.shutdown();
});

test("realize: a vertex is not removed or replaced until it has applied since its last event", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("z", { nostart: true }, { realize: true }), v("k")]));
  let swapped = false;
  const p = h.engine.apply(graph([v("k")])).then(() => (swapped = true));
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(swapped, false, "swap waits for z");
  assert.equal(rec("z").cleanups, 0);
  fire("z");
  await p;
  assert.equal(rec("z").calls.length, 1, "z applied before it went");
  assert.equal(rec("z").cleanups, 1);
  // already realized: no wait
  await h.engine.apply(graph([v("z2", {}, { realize: true })]));
  await until(() => rec("z2").calls.length === 1);
  await h.engine.apply(graph([]));
  assert.equal(rec("z2").cleanups, 1);
  await h.engine.shutdown();
});

test("reset: a replaced vertex keeps its retry counter unless Meta:reset", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("c", { fail: 1, key: "a" }, { retry: 1, delay: 5 })]));
  await until(() => rec("c").calls.length === 2);
  await settled(h.engine);
  // replaced (params changed): counter persists at 0 → the next failure is fatal
  rec("c").failures = 0;
  await h.engine.apply(graph([v("c", { fail: 1, key: "b" }, { retry: 1, delay: 5 })]));
  await until(() => errors(h.events, "c").length === 2);
  assert.equal(errors(h.events, "c")[1]!.retriesLeft, 0);
  await settled(h.engine);
  assert.equal(rec("c").calls.length, 3);
  rec("c").failures = 0;
  await h.engine.apply(graph([v("c", { fail: 1, key: "c" }, { retry: 1, delay: 5, reset: true })]));
  await until(() => rec("c").calls.length === 5);
  await h.engine.shutdown();
});

test("dollar: a name starting with $ is refused unless Meta:dollar", async () => {
  resetProbes();
  const h = harness();
  await assert.rejects(h.engine.apply(graph([v("$x")])), /name starts with `\$`/);
  await h.engine.apply(graph([v("$x", {}, { dollar: true })]));
  await until(() => rec("$x").calls.length === 1);
  await h.engine.shutdown();
});
