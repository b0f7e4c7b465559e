import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { getKindImpl } from "../../runtime/engine/resource.js";
import "../../stdlib/resources/print.js";
import { recordWatch, removeTempDirs, start } from "./harness.js";

after(removeTempDirs);

test("print: displays on the first run, self-pokes, then confirms; refresh displays again", async () => {
  const { res, h } = await start("print", "p", { msg: "hello" });
  const w = await recordWatch(res);
  assert.equal(await res.checkApply(false, h.abort.signal), false, "noop: would print");
  assert.deepEqual(h.logs, []);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(h.logs, ["info: msg: hello"]);
  assert.equal(w.times.length, 2, "self-poke after displaying");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  h.setRefresh(true);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(h.logs, ["info: msg: hello", "info: msg: hello"]);
  w.stop();
});

test("print: refresh_only displays only on refresh", async () => {
  const { res, h } = await start("print", "p", { msg: "ping", refresh_only: true });
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.deepEqual(h.logs, []);
  h.setRefresh(true);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(h.logs, ["info: msg: ping"]);
});

test("print: a received msg replaces the declared one and is displayed (recvable)", async () => {
  assert.equal(getKindImpl("print")!.recvable, true);
  assert.equal(getKindImpl("print")!.sends, undefined);
  const { res, h } = await start("print", "p", { msg: "declared" });
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  h.setRecv("msg", "received");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(h.logs.at(-1), "info: msg: received");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
});

test("print: groups unless either is refresh_only; a group displays every member", async () => {
  const impl = getKindImpl("print")!;
  const a = { name: "a", params: { msg: "A" } };
  const b = { name: "b", params: { msg: "B" } };
  const r = { name: "r", params: { msg: "R", refresh_only: true } };
  assert.equal(impl.groupCmp!(a, b), true);
  assert.equal(impl.groupCmp!(a, r), false);
  assert.equal(impl.groupCmp!(r, a), false);
  const g = impl.createGroup!([a, b]);
  const { h } = await start("print", "a", {});
  await g.init(h.ctx);
  assert.equal(await g.checkApply(true, h.abort.signal), false);
  assert.deepEqual(h.logs, ["info: msg: A", "info: print[b] msg: B"]);
  assert.equal(await g.checkApply(true, h.abort.signal), true);
});
