/** Graph swap (engine-reference.md §4.7): kept vertices untouched, changed ones replaced, failures keep the old graph. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fire, graph, harness, id, machine, rec, resetProbes, settled, until, v } from "./probe.js";
import type { EngineEvent } from "../../runtime/engine/engine.js";

const touched = (evs: readonly EngineEvent[]): string[] =>
  [...new Set(evs.flatMap((e) => (e.event === "init" || e.event === "cleanup" || e.event === "watch-start" || e.event === "watch-stop" || e.event === "checkapply" ? [e.vertex] : [])))].sort();

const names = Array.from({ length: 20 }, (_, i) => `v${String(i).padStart(2, "0")}`);
const base = () => names.map((n) => v(n, { state: `s-${n}` }));
const chain = names.slice(1).map((n, i) => `${names[i]} -> ${n}`);

test("a swap with one changed param touches exactly that vertex", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph(base(), chain));
  await settled(h.engine);
  const mark = h.events.length;
  const vs = base();
  vs[10] = v("v10", { state: "changed" });
  await h.engine.apply(graph(vs, chain));
  await until(() => machine.get("v10") === "changed");
  await settled(h.engine);
  const evs = h.events.slice(mark);
  assert.deepEqual(touched(evs), [id("v10")]);
  const swap = evs.find((e) => e.event === "swap");
  assert.ok(swap && swap.event === "swap");
  assert.deepEqual([swap.added, swap.removed, swap.replaced, swap.kept], [[], [], [id("v10")], 19]);
  for (const n of names) if (n !== "v10") assert.deepEqual([rec(n).inits, rec(n).watches, rec(n).calls.length], [1, 1, 1], n);
  assert.deepEqual([rec("v10").inits, rec("v10").cleanups, rec("v10").watches, rec("v10").watchStops], [2, 1, 2, 1]);
  await h.engine.shutdown();
});

test("a changed metaparam replaces the vertex; an identical graph touches nothing", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph(base(), chain));
  await settled(h.engine);
  let mark = h.events.length;
  await h.engine.apply(graph(base(), chain));
  await settled(h.engine);
  assert.deepEqual(touched(h.events.slice(mark)), []);
  mark = h.events.length;
  const vs = base();
  vs[3] = v("v03", { state: "s-v03" }, { retry: 3 });
  await h.engine.apply(graph(vs, chain));
  await settled(h.engine);
  const evs = h.events.slice(mark);
  assert.deepEqual(touched(evs), [id("v03")]);
  assert.ok(evs.some((e) => e.event === "swap" && e.replaced.includes(id("v03"))));
  await h.engine.shutdown();
});

test("adds and removes: removals happen before additions; new vertices are ordered after their kept parents", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("a"), v("gone")], []));
  await settled(h.engine);
  const mark = h.events.length;
  await h.engine.apply(graph([v("a"), v("new", { ms: 5 })], ["a -> new"]));
  await until(() => rec("new").calls.length === 1);
  const evs = h.events.slice(mark);
  const iCleanup = evs.findIndex((e) => e.event === "cleanup" && e.vertex === id("gone"));
  const iInit = evs.findIndex((e) => e.event === "init" && e.vertex === id("new"));
  assert.ok(iCleanup >= 0 && iInit > iCleanup, "cleanup of removed before init of added");
  const swap = evs.find((e) => e.event === "swap");
  assert.ok(swap && swap.event === "swap");
  assert.deepEqual([swap.added, swap.removed, swap.kept], [[id("new")], [id("gone")], 1]);
  assert.equal(rec("a").calls.length, 1, "kept parent not re-applied");
  await h.engine.shutdown();
});

test("a graph that fails to build keeps the old one running untouched", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("a", { state: "1" }), v("b")], ["a -> b"]));
  await settled(h.engine);
  const mark = h.events.length;
  await assert.rejects(h.engine.apply(graph([v("a", { state: "2" }), v("b")], ["a -> b", "b -> a"])), /cycle: probe\[(a|b)\] -> probe\[(a|b)\] -> probe\[(a|b)\]/);
  await assert.rejects(h.engine.apply(graph([v("a", { state: "invalid" }), v("b")])), /probe\[a\]: invalid: state is invalid/);
  await assert.rejects(
    h.engine.apply({ vertices: [{ kind: "nosuchkind", name: "x", params: {}, meta: v("x").meta, key: "k" }], edges: [] }),
    /unknown resource kind `nosuchkind`/,
  );
  await assert.rejects(h.engine.apply(graph([v("a", {}, { limit: 5, burst: 0 })])), /Meta:burst/);
  assert.deepEqual(touched(h.events.slice(mark)), []);
  machine.set("a", "drift");
  fire("a");
  await until(() => machine.get("a") === "1");
  await h.engine.shutdown();
});

test("pending refreshes and received values survive a swap", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("a", { state: "1", out: "val" }), v("b", { nostart: true })], ["a => b", "a.out -> b.in"]));
  await until(() => machine.get("a") === "1");
  await h.engine.apply(graph([v("a", { state: "1", out: "val" }), v("b", { nostart: true }), v("c")], ["a => b", "a.out -> b.in"]));
  fire("b");
  await until(() => rec("b").calls.length === 1);
  assert.equal(rec("b").calls[0]!.refresh, true, "refresh pending from before the swap");
  assert.deepEqual(rec("b").calls[0]!.recv, { in: { value: "val", changed: true } });
  // replacing the receiver keeps what it received
  await h.engine.apply(graph([v("a", { state: "1", out: "val" }), v("b", { key: "other" })], ["a.out -> b.in"]));
  await until(() => rec("b").calls.length === 2);
  assert.deepEqual(rec("b").calls[1]!.recv, { in: { value: "val", changed: false } });
  await h.engine.shutdown();
});

test("a kept vertex's watch is never restarted, even when its edges change", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("a"), v("b")]));
  await settled(h.engine);
  await h.engine.apply(graph([v("a"), v("b")], ["a -> b"]));
  await h.engine.apply(graph([v("a"), v("b")], ["b -> a"]));
  await settled(h.engine);
  assert.deepEqual([rec("a").watches, rec("b").watches, rec("a").inits, rec("b").inits], [1, 1, 1, 1]);
  assert.deepEqual(h.engine.runningGraph().edges.map((e) => `${e.from} -> ${e.to}`), ["probe[b] -> probe[a]"]);
  await h.engine.shutdown();
});
