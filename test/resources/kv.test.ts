import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { firstValueFrom } from "rxjs";
import { getKindImpl } from "../../runtime/engine/resource.js";
import "../../stdlib/resources/kv.js";
import { invalid, recordWatch, removeTempDirs, start } from "./harness.js";

after(removeTempDirs);

test("kv: traits and validation", () => {
  const impl = getKindImpl("kv")!;
  assert.equal(impl.recvable, true);
  assert.equal(impl.refreshable, true);
  assert.match(invalid("kv", "k", { key: "" })!, /key must not be empty/);
  assert.match(invalid("kv", "k", { skipcmpstyle: 2n })!, /skipcmpstyle must be 0/);
  assert.match(invalid("kv", "k", { value: "abc", skiplessthan: true })!, /not an integer/);
  assert.equal(invalid("kv", "k", { value: "abc", skiplessthan: true, skipcmpstyle: 1n }), undefined);
});

test("kv: sets the key (default: the name); noop changes nothing; a foreign change is seen and corrected", async () => {
  const { res, h } = await start("kv", "greeting", { value: "hello" });
  const world = h.ctx.world;
  const w = await recordWatch(res);
  assert.equal(w.times.length, 1, "startup event");
  assert.equal(await res.checkApply(false, h.abort.signal), false);
  assert.equal(await world.get("greeting"), undefined);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(await world.get("greeting"), "hello");
  assert.equal(await res.checkApply(true, h.abort.signal), true);

  const n = w.times.length;
  await world.set("greeting", "tampered");
  await w.next(n);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(await world.get("greeting"), "hello");
  await world.delete("greeting");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(await world.get("greeting"), "hello");
  w.stop();
  await res.cleanup();
});

test("kv: an unset value deletes the key", async () => {
  const { res, h } = await start("kv", "k", { key: "gone" });
  await h.ctx.world.set("gone", "x");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(await h.ctx.world.get("gone"), undefined);
  assert.equal(await res.checkApply(true, h.abort.signal), true);
});

test("kv: a received value is written", async () => {
  const { res, h } = await start("kv", "k", { value: "declared" });
  h.setRecv("value", "received");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(await h.ctx.world.get("k"), "received");
});

test("kv: mapped writes this host's entry of the per-host map", async () => {
  const { res, h } = await start("kv", "k", { key: "ns", value: "v1", mapped: true });
  const w = await recordWatch(res);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  const m = await firstValueFrom(h.ctx.world.watchHostValues("ns"));
  assert.equal(m.get(h.ctx.world.hostname), "v1");
  assert.equal(await h.ctx.world.get("ns"), undefined, "not the global key");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  const n = w.times.length;
  await h.ctx.world.setHostValue("ns", "other");
  await w.next(n);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal((await firstValueFrom(h.ctx.world.watchHostValues("ns"))).get(h.ctx.world.hostname), "v1");
  w.stop();
});

test("kv: skiplessthan keeps a larger stored value (int or string order); refresh forces the exact value", async () => {
  const { res, h } = await start("kv", "n", { value: "10", skiplessthan: true });
  await h.ctx.world.set("n", "42");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.equal(await h.ctx.world.get("n"), "42");
  await h.ctx.world.set("n", "9");
  assert.equal(await res.checkApply(true, h.abort.signal), false, "9 < 10 as ints (but not as strings)");
  assert.equal(await h.ctx.world.get("n"), "10");
  await h.ctx.world.set("n", "42");
  h.setRefresh(true);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(await h.ctx.world.get("n"), "10");
  h.setRefresh(false);

  const s = await start("kv", "s", { value: "10", skiplessthan: true, skipcmpstyle: 1n });
  await s.h.ctx.world.set("s", "9");
  assert.equal(await s.res.checkApply(true, s.h.abort.signal), true, '"9" ≥ "10" as strings');

  const bad = await start("kv", "b", { value: "1", skiplessthan: true });
  await bad.h.ctx.world.set("b", "x");
  await assert.rejects(bad.res.checkApply(true, bad.h.abort.signal), /stored value "x" is not an integer/);
});

test("kv: validate (re-run by the engine after send/recv) sees received values", async () => {
  const { res, h } = await start("kv", "k", { value: "1", skiplessthan: true });
  assert.equal(res.validate(), undefined);
  h.setRecv("value", "not-a-number");
  assert.match(res.validate()!, /not an integer/);
  await assert.rejects(res.checkApply(true, h.abort.signal), /not an integer/);
});
