import { afterEach, test } from "node:test";
import * as assert from "node:assert/strict";
import { Subject } from "rxjs";
import type { Value } from "../../lang/values.js";
import { Evaluator, type Table } from "../../runtime/funcs/evaluator.js";
import { history$ } from "../../stdlib/impl/effects/core.js";
import { call, closeAll, makeCtx, record, stream, waitFor } from "./effects-helpers.js";

afterEach(closeAll);
const ctx = makeCtx({ stateDir: "/x" });

test("history$ with a manual clock: the value as it was index ms ago", () => {
  let now = 0;
  const clock = () => now;
  const samples: Parameters<typeof history$>[0] = [];
  const seen: Value[] = [];
  let s = history$(samples, "a", 100, clock).subscribe((v) => seen.push(v));
  assert.equal(seen.length, 0, "nothing existed 100 ms before the first value");
  s.unsubscribe();
  now = 150;
  s = history$(samples, "b", 100, clock).subscribe((v) => seen.push(v));
  assert.deepEqual([...seen], ["a"], "at t=150 the value at t=50 was a");
  s.unsubscribe();
  now = 260;
  s = history$(samples, "b", 100, clock).subscribe((v) => seen.push(v));
  assert.deepEqual([...seen], ["a", "b"], "same input value: no new sample; at t=260 the value at 160 was b");
  s.unsubscribe();
  history$([], "z", 0, clock).subscribe((v) => seen.push(v));
  assert.equal(seen.at(-1), "z", "index 0 is the value itself");
});

test("history through the evaluator with real timers: the input delayed by 150 ms", async () => {
  const ev = new Evaluator();
  try {
    const input = new Subject<Value>();
    const site = makeCtx({ stateDir: "/x" });
    ev.txn()
      .add({ id: "in", source: input })
      .add({ id: "idx", value: 150n })
      .add({ id: "h", deps: ["in", "idx"], stream: (args) => stream("history", args, site) })
      .commit();
    const tables: { t: Table; at: number }[] = [];
    ev.tables$.subscribe((t) => tables.push({ t, at: performance.now() }));
    const t0 = performance.now();
    ev.set("in", 1n);
    await new Promise((r) => setTimeout(r, 50));
    ev.set("in", 2n);
    await waitFor(() => tables.some((x) => x.t.get("h") === 2n), 2000, "delayed 2");
    const first = tables.find((x) => x.t.get("h") === 1n)!;
    const second = tables.find((x) => x.t.get("h") === 2n)!;
    console.log(`history(·, 150): first table after ${(first.at - t0).toFixed(0)} ms, value 2 after ${(second.at - t0).toFixed(0)} ms (set at ~50 ms)`);
    assert.ok(first.at - t0 >= 145, "value 1 appears 150 ms after it was set");
    assert.ok(second.at - t0 >= 195, "value 2 appears 150 ms after it was set");
  } finally {
    ev.stop();
  }
});

test("random1: length and alphabet; negative is fatal", () => {
  const a = call("random1", [32n], ctx) as string;
  assert.match(a, /^[a-zA-Z0-9]{32}$/);
  assert.notEqual(a, call("random1", [32n], ctx));
  assert.equal(call("random1", [0n], ctx), "");
  assert.throws(() => call("random1", [-1n], ctx), RangeError);
});

test("panic / panic_debug: false and \"\" return false; otherwise a fatal Error with the upstream message", () => {
  assert.equal(call("panic", [false], ctx), false);
  assert.equal(call("panic", [""], ctx), false);
  assert.throws(() => call("panic", [true], ctx), (e: Error) => e.message === "bool panic occurred");
  assert.throws(() => call("panic", ["boom"], ctx), (e: Error) => e.message === "str panic occurred: boom");
  assert.equal(call("panic_debug", [false, "why"], ctx), false);
  assert.throws(() => call("panic_debug", [true, "why"], ctx), (e: Error) => e.message === "bool panic occurred: why");
  try {
    call("panic", [true], ctx);
  } catch (e) {
    assert.ok(e instanceof Error, "not a CatchableError");
  }
});

test("history stream emits synchronously when an old enough value exists", () => {
  const r = record(stream("history", ["x", 0n], ctx));
  assert.deepEqual(r.values, ["x"]);
});
