import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { MapValue } from "../../lang/values.js";
import "../../stdlib/resources/msg.js";
import { invalid, recordWatch, removeTempDirs, start } from "./harness.js";

after(removeTempDirs);

test("msg: logs the body once per instance, again on refresh; noop logs nothing", async () => {
  const { res, h } = await start("msg", "m", { body: "hello", fields: new MapValue([["APP", "web"]]) });
  const w = await recordWatch(res);
  assert.equal(w.times.length, 1);
  assert.equal(await res.checkApply(false, h.abort.signal), false, "noop: would log");
  assert.deepEqual(h.logs, []);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(h.logs, ['info: hello APP="web"']);
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  h.setRefresh(true);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(h.logs.length, 2);
  w.stop();
});

test("msg: priority picks the level", async () => {
  for (const [priority, level] of [["Err", "warn"], ["debug", "debug"], ["Notice", "info"], ["", "info"]] as const) {
    const { res, h } = await start("msg", "m", { body: "b", priority });
    await res.checkApply(true, h.abort.signal);
    assert.deepEqual(h.logs, [`${level}: b`], priority);
  }
});

test("msg: validate rejects unknown priorities and bad journal field names", () => {
  assert.match(invalid("msg", "m", { priority: "Loud" })!, /invalid priority "Loud"/);
  assert.match(invalid("msg", "m", { fields: new MapValue([["_PID", "1"]]) })!, /cannot begin with _/);
  assert.match(invalid("msg", "m", { fields: new MapValue([["A B", "1"]]) })!, /invalid character/);
  assert.equal(invalid("msg", "m", { body: "x", priority: "Warning", journal: true, syslog: true }), undefined);
});
