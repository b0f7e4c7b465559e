import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { MapValue, StructValue, funcValue, type Value } from "../../lang/values.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { openLocal } from "../../runtime/local/index.js";
import { getImpl, type ImplContext } from "../../stdlib/impl.js";
import "../../stdlib/impl/effects/index.js";
import "../../stdlib/resources/value.js";
import { invalid, makeContext, recordWatch, removeTempDirs, start } from "./harness.js";

after(removeTempDirs);

test("value: traits; func values are rejected", () => {
  const impl = getKindImpl("value")!;
  assert.deepEqual(impl.sends, ["any"]);
  assert.equal(impl.recvable, true);
  assert.equal(invalid("value", "v", { any: [funcValue(() => 1n)] }), "a func value can't be stored");
  assert.equal(invalid("value", "v", {}), undefined);
});

test("value: writes the store under its name, and value.get_str sees it at once", async () => {
  const { res, h } = await start("value", "greeting", { any: "hello" });
  const impl = getImpl("value.get_str");
  assert.ok(impl && impl.effect === "source");
  const ictx: ImplContext = { hostname: "test-host", world: h.ctx.world, stateDir: h.stateDir, moduleDir: h.stateDir };
  const seen: Value[] = [];
  const sub = impl.stream(["greeting"], ictx).subscribe((v) => seen.push(v as Value));
  assert.deepEqual(seen, [new StructValue({ value: "", ready: false })]);

  const w = await recordWatch(res);
  assert.equal(await res.checkApply(false, h.abort.signal), false, "noop: would write");
  assert.equal(seen.length, 1, "noop wrote nothing");
  assert.deepEqual(h.sent, [{ any: "hello" }], "noop still sends, so receivers can plan");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(seen.at(-1), new StructValue({ value: "hello", ready: true }));
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.deepEqual(h.sent, [{ any: "hello" }, { any: "hello" }, { any: "hello" }], "always sends");

  // someone else writes the entry: the watch fires and checkApply puts it back
  const n = w.times.length;
  openLocal(h.stateDir).values.set("greeting", "tampered");
  await w.next(n);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(seen.at(-1), new StructValue({ value: "hello", ready: true }));
  sub.unsubscribe();
  w.stop();
});

test("value: a received value wins over the declared one and is relayed", async () => {
  const { res, h } = await start("value", "relay", { any: 1n });
  h.setRecv("any", new MapValue([["k", 2.5]]));
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(openLocal(h.stateDir).values.get("relay"), new MapValue([["k", 2.5]]));
  assert.deepEqual(h.sent, [{ any: new MapValue([["k", 2.5]]) }]);
});

test("value: int and float stay distinct; the stored value persists for a new instance", async () => {
  const h = makeContext("value", "n");
  const a = await start("value", "n", { any: 1n }, h);
  assert.equal(await a.res.checkApply(true, h.abort.signal), false);
  const b = await start("value", "n", { any: 1 }, makeContext("value", "n", h.stateDir));
  assert.equal(await b.res.checkApply(true, h.abort.signal), false, "1.0 replaces 1");
  assert.equal(openLocal(h.stateDir).values.get("n"), 1);
  const c = await start("value", "n", { any: 1 }, makeContext("value", "n", h.stateDir));
  assert.equal(await c.res.checkApply(true, h.abort.signal), true);
});

test("value: with nothing declared or received the store is left alone", async () => {
  const { res, h } = await start("value", "empty", {});
  openLocal(h.stateDir).values.set("empty", "kept");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.equal(openLocal(h.stateDir).values.get("empty"), "kept");
  assert.deepEqual(h.sent, []);
});
