import { afterEach, test } from "node:test";
import * as assert from "node:assert/strict";
import { CatchableError } from "../../lang/values.js";
import { flipflop$, parseSoxRms, vumeterBar } from "../../stdlib/impl/effects/example.js";
import { call, closeAll, makeCtx, record, stream, waitFor } from "./effects-helpers.js";

afterEach(closeAll);
const ctx = makeCtx({ stateDir: "/x" });

test("example.errorbool: true is a catchable error", () => {
  assert.equal(call("example.errorbool", [false], ctx), "set true to error");
  const e = call("example.errorbool", [true], ctx);
  assert.ok(e instanceof CatchableError);
});

test("example.flipflop: false at once, then flips", async () => {
  assert.deepEqual(record(stream("example.flipflop", [], ctx)).values, [false]);
  const r = record(flipflop$(10));
  await waitFor(() => r.values.length >= 3, 1000, "two flips");
  assert.deepEqual(r.values.slice(0, 3), [false, true, false]);
});

test("example.vumeter: bar rendering and sox parsing; fails without sox's rec on this host", async () => {
  assert.equal(vumeterBar(0.5, "#", 10, 0.9), "#####     |");
  assert.equal(vumeterBar(0.95, "=", 4, 0.9), "====!");
  assert.equal(vumeterBar(-1, "=", 2, 0.9), "  |");
  assert.equal(parseSoxRms("Samples read: 1\nRMS     amplitude:     0.012500\n"), 0.0125);
  const r = record(stream("example.vumeter", ["#", 10n, 0.9], ctx));
  await waitFor(() => r.error !== undefined || r.values.length > 0, 5000, "an error or a bar");
  if (r.error !== undefined) assert.match(String(r.error), /example\.vumeter/);
});
