import { afterEach, test } from "node:test";
import * as assert from "node:assert/strict";
import { formatGoTime, GO_TIME_STRING, layoutChunks } from "../../stdlib/impl/effects/go-time.js";
import { call, closeAll, makeCtx, record, stream, waitFor } from "./effects-helpers.js";

afterEach(closeAll);

const ctx = makeCtx({ stateDir: "/nonexistent" });
// 2009-11-10 23:00:00 UTC, a Tuesday (Go's playground time)
const T0 = 1257894000n;

function withTZ<T>(tz: string, f: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

test("datetime.now: emits at once, then about once per second, just after each second boundary", async () => {
  const r = record(stream("datetime.now", [], ctx));
  const wallMs: number[] = [];
  const w = stream("datetime.now", [], ctx).subscribe(() => wallMs.push(Date.now() % 1000));
  assert.equal(r.values.length, 1, "the first value is synchronous");
  assert.ok(Math.abs(Number(r.values[0]) - Date.now() / 1000) < 1.5);
  await waitFor(() => r.values.length >= 4, 5000, "3 ticks");
  r.sub.unsubscribe();
  const secs = r.values.map(Number);
  for (let i = 1; i < secs.length; i++) assert.equal(secs[i], secs[i - 1]! + 1, "consecutive seconds");
  const gaps = r.times.slice(1).map((t, i) => t - r.times[i]!);
  console.log(`datetime.now tick gaps: ${gaps.slice(1).map((g) => g.toFixed(1)).join(", ")} ms (first gap is to the next boundary: ${gaps[0]!.toFixed(1)})`);
  for (const g of gaps.slice(1)) assert.ok(g > 800 && g < 1300, `gap ${g} ms`);
  w.unsubscribe();
  const offsets = wallMs.slice(1);
  console.log(`datetime.now ticks land ${offsets.join(", ")} ms after the wall-clock second`);
  assert.ok(offsets.every((o) => o < 250), "aligned to the second");
});

test("datetime.str_now and weekday_fast emit at once", () => {
  const s = record(stream("datetime.str_now", [], ctx));
  assert.match(s.values[0] as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+$/);
  const w = record(stream("datetime.weekday_fast", [], ctx));
  assert.ok(["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].includes(w.values[0] as string));
});

test("datetime.print / hour / weekday in UTC and in New York", () => {
  withTZ("UTC", () => {
    assert.equal(call("datetime.print", [T0], ctx), "2009-11-10 23:00:00 +0000 UTC");
    assert.equal(call("datetime.hour", [T0], ctx), 23n);
    assert.equal(call("datetime.weekday", [T0], ctx), "tuesday");
  });
  withTZ("America/New_York", () => {
    assert.equal(call("datetime.print", [T0], ctx), "2009-11-10 18:00:00 -0500 EST");
    assert.equal(call("datetime.hour", [T0], ctx), 18n);
  });
  withTZ("Asia/Kolkata", () => assert.equal(call("datetime.format", [T0, "Z07:00 -0700"], ctx), "+05:30 +0530"));
});

test("datetime.format: the Go layout tokens", () => {
  withTZ("UTC", () => {
    const f = (layout: string, t = T0) => call("datetime.format", [t, layout], ctx);
    assert.equal(f("2006-01-02T15:04:05Z07:00"), "2009-11-10T23:00:00Z");
    assert.equal(f("Mon Jan _2 15:04:05 MST 2006"), "Tue Nov 10 23:00:00 UTC 2009");
    assert.equal(f("Monday, January 2, 06"), "Tuesday, November 10, 09");
    assert.equal(f("3:04PM pm 03"), "11:00PM pm 11");
    assert.equal(f("002 __2 1 2 4 5"), "314 314 11 10 0 0");
    assert.equal(f("-07 -07:00:00 -070000 Z0700"), "+00 +00:00:00 +000000 Z");
    assert.equal(f("_2006"), "_2009");
    assert.equal(f("05.000 05.999 05,00"), "00.000 00 00,00");
    assert.equal(f("Jan 2", 0n), "Jan 1");
    assert.equal(f("literal x 7 y"), "literal x 7 y");
  });
  assert.equal(formatGoTime(1.5, "05.000", 123_456_789), withTZ("UTC", () => formatGoTime(1.5, "05.000", 123_456_789)));
  assert.deepEqual(layoutChunks("2006x").map((c) => c.k), ["std", "lit"]);
  assert.ok(GO_TIME_STRING.includes("MST"));
});

test("datetime: a time outside JS Date's range is fatal", () => {
  assert.throws(() => call("datetime.print", [2n ** 62n], ctx), /out of range/);
});
