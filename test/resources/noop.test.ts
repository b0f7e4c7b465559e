import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { getKindImpl } from "../../runtime/engine/resource.js";
import "../../stdlib/resources/noop.js";
import { recordWatch, removeTempDirs, start } from "./harness.js";

after(removeTempDirs);

test("noop: startup event only, always in state, noop mode changes nothing", async () => {
  const { res, h } = await start("noop", "n", { comment: "an anchor" });
  const w = await recordWatch(res);
  assert.equal(w.times.length, 1);
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.equal(await res.checkApply(false, h.abort.signal), true);
  w.stop();
  await res.cleanup();
  assert.deepEqual(h.logs, []);
});

test("noop: a refresh is logged and still reports true (refreshable)", async () => {
  const impl = getKindImpl("noop")!;
  assert.equal(impl.refreshable, true);
  const { res, h } = await start("noop", "n", {});
  h.setRefresh(true);
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.deepEqual(h.logs, ["info: received a notification"]);
});

test("noop: every noop groups with every other; the group resource stands for all members", async () => {
  const impl = getKindImpl("noop")!;
  const a = { name: "a", params: {} };
  const b = { name: "b", params: { comment: "x" } };
  assert.equal(impl.groupCmp!(a, b), true);
  assert.equal(impl.groupCmp!(b, a), true);
  const g = impl.createGroup!([a, b]);
  const { h } = await start("noop", "a", {});
  assert.equal(g.validate(), undefined);
  await g.init(h.ctx);
  h.setRefresh(true);
  assert.equal(await g.checkApply(true, h.abort.signal), true);
  assert.match(h.logs[0]!, /grouped: a, b/);
});
