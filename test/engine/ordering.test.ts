/**
 * Engine scheduling (engine-reference.md §4.3–§4.5): no checkApply before the first watch event,
 * parents before children, independent branches in parallel, clean vertices skipped, events
 * re-check ancestors and wake descendants only, notify/refresh, send/recv, autoedges, autogroup.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fire, graph, harness, id, machine, rec, resetProbes, settled, until, v } from "./probe.js";

test("a chain runs serially in order; an independent branch overlaps it", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(
    graph([v("a", { ms: 120 }), v("b", { ms: 120 }), v("c", { ms: 120 }), v("d", { ms: 250 })], ["a -> b", "b -> c"]),
  );
  await until(() => rec("c").calls[0]?.end !== undefined && rec("d").calls[0]?.end !== undefined, 3000);
  const [a, b, c, d] = ["a", "b", "c", "d"].map((n) => rec(n).calls[0]!);
  assert.ok(b!.start >= a!.end!, "b starts after a ends");
  assert.ok(c!.start >= b!.end!, "c starts after b ends");
  assert.ok(d!.start < a!.end! && d!.end! > b!.start, "d runs alongside the chain");
  // the whole run takes about the longest path (360 ms), not the sum (610 ms)
  const wall = Math.max(c!.end!, d!.end!) - Math.min(a!.start, d!.start);
  assert.ok(wall < 550, `wall ${wall} ms`);
  await h.engine.shutdown();
});

test("a vertex with two parents runs after the last one", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("p1", { ms: 50 }), v("p2", { ms: 150 }), v("c")], ["p1 -> c", "p2 -> c"]));
  await until(() => rec("c").calls.length === 1);
  assert.ok(rec("c").calls[0]!.start >= rec("p2").calls[0]!.end!);
  await h.engine.shutdown();
});

test("no checkApply before the first watch event", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("a", { nostart: true }), v("b")], ["a -> b"]));
  await settled(h.engine, 20).catch(() => {});
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(rec("a").calls.length, 0);
  assert.equal(rec("b").calls.length, 0, "b waits for its parent");
  fire("a");
  await until(() => rec("b").calls.length === 1);
  assert.equal(rec("a").calls.length, 1);
  await h.engine.shutdown();
});

test("clean vertices skip checkApply; an event re-checks ancestors cheaply and wakes descendants only", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("a"), v("b", { state: "1" }), v("c"), v("d"), v("e")], ["a -> b", "b -> c", "a -> e"]));
  await settled(h.engine);
  for (const n of ["a", "b", "c", "d", "e"]) assert.equal(rec(n).calls.length, 1, n);
  h.trace.length = 0;
  machine.set("b", "drift");
  fire("b");
  await until(() => machine.get("b") === "1");
  await settled(h.engine);
  assert.equal(rec("b").calls.length, 2, "b re-checked and fixed");
  for (const n of ["a", "c", "d", "e"]) assert.equal(rec(n).calls.length, 1, `${n} not re-applied`);
  const processed = new Set(h.trace.filter((t) => t.t === "process").map((t) => t.vertex));
  assert.ok(processed.has(id("a")), "ancestor re-checked (cached)");
  assert.ok(processed.has(id("c")), "descendant woken (cached)");
  assert.ok(!processed.has(id("d")), "independent vertex untouched");
  assert.ok(!processed.has(id("e")), "sibling branch untouched");
  await h.engine.shutdown();
});

test("two roots sharing a child: an event on one root re-checks the child (reference quirk fixed)", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("r1", { state: "x" }), v("r2"), v("c")], ["r1 -> c", "r2 -> c"]));
  await settled(h.engine);
  h.trace.length = 0;
  machine.set("r1", "drift");
  fire("r1");
  await until(() => h.trace.some((t) => t.t === "process" && t.vertex === id("c")));
  await h.engine.shutdown();
});

test("notify: a change sets refresh on the receiver, which runs even when clean; refresh is then cleared", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("a", { state: "1" }), v("b")], ["a => b"]));
  await settled(h.engine);
  assert.equal(rec("b").calls[0]!.refresh, true, "a changed on its first run");
  machine.set("a", "drift");
  fire("a");
  await until(() => rec("b").calls.length === 2);
  assert.equal(rec("b").calls[1]!.refresh, true);
  fire("a"); // no change: no refresh, b is clean and skipped
  await settled(h.engine);
  assert.equal(rec("b").calls.length, 2);
  fire("b");
  await until(() => rec("b").calls.length === 3);
  assert.equal(rec("b").calls[2]!.refresh, false);
  const ev = h.events.find((e) => e.event === "checkapply" && e.vertex === id("b"));
  assert.ok(ev && ev.event === "checkapply" && ev.refresh === true);
  await h.engine.shutdown();
});

test("send/recv: the sender's output lands in the receiver before its checkApply; a change marks it dirty", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("s", { out: "hello" }), v("r")], ["s.out -> r.in"]));
  await until(() => rec("r").calls.length === 1);
  assert.deepEqual(rec("r").calls[0]!.recv, { in: { value: "hello", changed: true } });
  await settled(h.engine);
  // change the sender's params: it is replaced, the receiver is kept and re-applied with the new value
  await h.engine.apply(graph([v("s", { out: "world" }), v("r")], ["s.out -> r.in"]));
  await until(() => rec("r").calls.length === 2);
  assert.deepEqual(rec("r").calls[1]!.recv, { in: { value: "world", changed: true } });
  assert.equal(rec("r").inits, 1, "receiver kept");
  fire("r");
  await until(() => rec("r").calls.length === 3);
  assert.deepEqual(rec("r").calls[2]!.recv, { in: { value: "world", changed: false } }, "changed is cleared after a successful checkApply");
  await h.engine.shutdown();
});

test("send/recv: a sender that never sent is an error for the receiver", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("s"), v("r")], ["s.out -> r.in"]));
  await until(() => h.events.some((e) => e.event === "error" && e.vertex === id("r")));
  const e = h.events.find((x) => x.event === "error")!;
  assert.match(e.event === "error" ? e.message : "", /received nil value from probe\[s\]\.out/);
  await h.engine.shutdown();
});

test("autoedges: a seeker depends on the nearest provider; Meta:autoedge and --no-autoedges disable", async () => {
  resetProbes();
  const vs = [v("root", { path: "/" }), v("dir", { path: "/a/" }), v("file", { seek: ["/a/b/", "/a/", "/"], ms: 10 })];
  const h = harness();
  await h.engine.apply(graph(vs));
  const edges = h.engine.runningGraph().edges.map((e) => `${e.from} -> ${e.to}`);
  assert.deepEqual(edges, ["probe[dir] -> probe[file]"]);
  await until(() => rec("file").calls.length === 1);
  assert.ok(rec("file").calls[0]!.start >= rec("dir").calls[0]!.end!);
  await h.engine.apply(graph([vs[0]!, vs[1]!, v("file", { seek: ["/a/b/", "/a/", "/"], ms: 10 }, { autoedge: false })]));
  assert.deepEqual(h.engine.runningGraph().edges, []);
  await h.engine.shutdown();
  const h2 = harness({ autoedges: false });
  await h2.engine.apply(graph(vs));
  assert.deepEqual(h2.engine.runningGraph().edges, []);
  await h2.engine.shutdown();
});

test("autogroup: compatible vertices merge into one; reachability and Meta:autogroup prevent it", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(
    graph(
      [v("g1", { group: "x" }), v("g2", { group: "x" }), v("g3", { group: "x" }), v("g4", { group: "x" }, { autogroup: false }), v("g5", { group: "y" }), v("n")],
      ["n -> g1", "g2 -> n"],
    ),
  );
  const g = h.engine.runningGraph();
  const ids = g.vertices.map((x) => x.id).sort();
  // names descending: g3 absorbs g2 first; g1 is then reachable from the group (g2 -> n -> g1)
  // so merging it would make a cycle; g4 opted out; g5 is in another group
  assert.deepEqual(ids, [id("g1"), id("g3"), id("g4"), id("g5"), id("n")]);
  const g3 = g.vertices.find((x) => x.id === id("g3"))!;
  assert.deepEqual(g3.members.map((m) => m.name), ["g3", "g2"]);
  assert.deepEqual(g.edges.map((e) => `${e.from} -> ${e.to}`).sort(), ["probe[g3] -> probe[n]", "probe[n] -> probe[g1]"]);
  await until(() => rec("g1").calls.length === 1);
  assert.deepEqual(rec("g3").members, ["g3", "g2"]);
  assert.ok(rec("g3").calls[0]!.end! <= rec("g1").calls[0]!.start, "the group keeps g2's edges");
  assert.equal(rec("g2").calls.length, 0, "grouped children are not vertices");
  await h.engine.shutdown();
  const h2 = harness({ autogroup: false });
  await h2.engine.apply(graph([v("g1", { group: "x" }), v("g2", { group: "x" })]));
  assert.equal(h2.engine.runningGraph().vertices.length, 2);
  await h2.engine.shutdown();
});

test("a poke that arrives while the vertex is running is not lost", async () => {
  resetProbes();
  const h = harness();
  await h.engine.apply(graph([v("a", { state: "1" }), v("b", { ms: 100 })], ["a => b"]));
  await until(() => rec("b").calls.length === 1);
  machine.set("a", "drift");
  fire("a"); // a fixes its state while b is still running: b owes another refresh run
  await until(() => rec("b").calls.length === 2, 1000, "b's second run");
  assert.equal(rec("b").calls[1]!.refresh, true);
  assert.ok(rec("b").calls[1]!.start >= rec("b").calls[0]!.end!);
  await h.engine.shutdown();
});
