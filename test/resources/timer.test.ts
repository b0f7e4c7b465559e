import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { createTimer, type TickerClock } from "../../stdlib/resources/timer.js";
import { invalid, makeContext, recordWatch, removeTempDirs, start } from "./harness.js";

after(removeTempDirs);

/** A clock whose tickers fire only when the test says so. */
function manualClock(): TickerClock & { fire(): void; readonly tickers: { ms: number }[] } {
  const tickers: { ms: number; tick: () => void }[] = [];
  return {
    tickers,
    every(ms, tick) {
      const t = { ms, tick };
      tickers.push(t);
      return () => void tickers.splice(tickers.indexOf(t), 1);
    },
    fire() {
      for (const t of [...tickers]) t.tick();
    },
  };
}

test("timer: validate needs 1 ≤ interval ≤ 2^32-1", () => {
  assert.match(invalid("timer", "t", {})!, /interval must be in 1\.\.4294967295, got 0/);
  assert.match(invalid("timer", "t", { interval: 2n ** 32n })!, /interval/);
  assert.equal(invalid("timer", "t", { interval: 3n }), undefined);
  assert.equal(getKindImpl("timer")!.refreshable, true);
});

test("timer: each tick is an event and exactly one false checkApply", async () => {
  const clock = manualClock();
  const h = makeContext("timer", "t");
  const res = createTimer({ interval: 5n }, clock);
  await res.init(h.ctx);
  const w = await recordWatch(res);
  assert.equal(w.times.length, 1, "startup event");
  assert.deepEqual(clock.tickers.map((t) => t.ms), [5000]);
  assert.equal(await res.checkApply(true, h.abort.signal), true, "no tick yet");
  clock.fire();
  assert.equal(w.times.length, 2);
  assert.equal(await res.checkApply(true, h.abort.signal), false, "fired → notify children");
  assert.equal(await res.checkApply(true, h.abort.signal), true, "once per tick");
  clock.fire();
  clock.fire();
  assert.equal(await res.checkApply(true, h.abort.signal), false, "two ticks before a run collapse into one change");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  w.stop();
  assert.equal(clock.tickers.length, 0, "watch stop stops the ticker");
});

test("timer: a refresh restarts the period and reports a change; noop mode consumes the tick without restarting", async () => {
  const clock = manualClock();
  const h = makeContext("timer", "t");
  const res = createTimer({ interval: 2n }, clock);
  await res.init(h.ctx);
  const w = await recordWatch(res);
  const first = clock.tickers[0];
  h.setRefresh(true);
  assert.equal(await res.checkApply(false, h.abort.signal), false);
  assert.equal(clock.tickers[0], first, "noop: ticker untouched");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(clock.tickers.length, 1);
  assert.notEqual(clock.tickers[0], first, "apply: ticker restarted");
  h.setRefresh(false);
  clock.fire();
  assert.equal(await res.checkApply(false, h.abort.signal), false);
  assert.equal(await res.checkApply(false, h.abort.signal), true, "the tick was consumed in noop mode too");
  w.stop();
  await res.cleanup();
});

test("timer: the registered kind ticks on the real clock", async () => {
  const { res, h } = await start("timer", "real", { interval: 1n });
  const w = await recordWatch(res);
  try {
    const t1 = await w.next(1, 3000);
    assert.ok(t1 - w.times[0]! >= 900, `ticked after ${t1 - w.times[0]!} ms`);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
  } finally {
    w.stop();
    await res.cleanup();
  }
});
