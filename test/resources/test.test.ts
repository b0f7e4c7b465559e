import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { MapValue, StructValue } from "../../lang/values.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { goFormat } from "../../stdlib/resources/test.js";
import { invalid, recordWatch, removeTempDirs, start } from "./harness.js";

after(removeTempDirs);

test("test: validate fails iff validatebool or validateerror", () => {
  assert.equal(invalid("test", "t", {}), undefined);
  assert.equal(invalid("test", "t", { validatebool: true }), "the validate param was set to true");
  assert.equal(invalid("test", "t", { validateerror: "boom" }), "boom");
  assert.equal(invalid("test", "t", { validatebool: false, validateerror: "" }), undefined);
});

test("test: traits: refreshable, recvable, sends hello and answer", () => {
  const impl = getKindImpl("test")!;
  assert.equal(impl.refreshable, true);
  assert.equal(impl.recvable, true);
  assert.deepEqual(impl.sends, ["hello", "answer"]);
});

test("test: checkApply logs every field Go-style, sends {hello, answer: 42}, returns true", async () => {
  const { res, h } = await start("test", "t", {
    str: "s",
    int8: -3n,
    float64: 2.5,
    slicestring: ["a", "b"],
    mapintfloat: new MapValue([[1n, 2.5]]),
    mixedstruct: new StructValue({ somebool: true, somestr: "x", someint: 1n, somefloat: 1.5 }),
    sendvalue: "hi",
  });
  const w = await recordWatch(res);
  assert.equal(w.times.length, 1);
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.deepEqual(h.sent, [{ hello: "hi", answer: 42n }]);
  for (const line of ["info: Str: s", "info: Int8: -3", "info: Float64: 2.5", "info: SliceString: [a b]", "info: MapIntFloat: map[1:2.5]", "info: MixedStruct: {true x 1 1.5}", "info: Bool: false", "info: BoolPtr: <nil>", "info: Uint64: 0"]) {
    assert.ok(h.logs.includes(line), `${line} in ${h.logs.join("\n")}`);
  }
  assert.equal(h.logs.length, 37, "one line per field");
  assert.equal(await res.checkApply(false, h.abort.signal), true, "noop: nothing to change either");
  w.stop();
});

test("test: onlyshow filters by Go or lang name; a refresh is logged", async () => {
  const { res, h } = await start("test", "t", { str: "s", anotherstr: "a", onlyshow: ["Str", "anotherstr"] });
  h.setRefresh(true);
  await res.checkApply(true, h.abort.signal);
  assert.deepEqual(h.logs, ["info: received a notification!", "info: Str: s", "info: AnotherStr: a"]);
});

test("test: received values replace fields; expectrecv must match the received keys", async () => {
  const { res, h } = await start("test", "t", { anotherstr: "declared", expectrecv: ["anotherstr"], onlyshow: ["AnotherStr"] });
  await assert.rejects(res.checkApply(true, h.abort.signal), /received keys differ from expected, got: \[\], expected: \[anotherstr\]/);
  h.setRecv("anotherstr", "got");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.equal(h.logs.at(-1), "info: AnotherStr: got");
  h.setRecv("str", "extra");
  await assert.rejects(res.checkApply(true, h.abort.signal), /got: \[anotherstr str\]/);
});

test("test: a received field that makes it invalid fails checkApply", async () => {
  const { res, h } = await start("test", "t", {});
  h.setRecv("validateerror", "received error");
  assert.equal(res.validate(), "received error", "the engine's re-validation after send/recv sees it");
  await assert.rejects(res.checkApply(true, h.abort.signal), /received error/);
});

test("test: waitforerror waits then fails, and honours the abort signal", async () => {
  const { res, h } = await start("test", "t", { waitforerror: 30n, onlyshow: ["Comment"] });
  const t0 = performance.now();
  await assert.rejects(res.checkApply(true, h.abort.signal), /waitforerror timer expired/);
  assert.ok(performance.now() - t0 >= 25);
  const slow = await start("test", "t2", { waitforerror: 60_000n, onlyshow: ["Comment"] });
  const ac = new AbortController();
  const p = slow.res.checkApply(true, ac.signal);
  ac.abort(new Error("timeout after 0 seconds"));
  await assert.rejects(p, /timeout after 0 seconds/);
});

test("test: groups iff the parent has alwaysgroup; the group logs every member", async () => {
  const impl = getKindImpl("test")!;
  const a = { name: "a", params: { alwaysgroup: true, str: "A", onlyshow: ["Str"], sendvalue: "from-a" } };
  const b = { name: "b", params: { str: "B", onlyshow: ["Str"] } };
  assert.equal(impl.groupCmp!(a, b), true);
  assert.equal(impl.groupCmp!(b, a), false);
  const g = impl.createGroup!([a, b]);
  const { h } = await start("test", "a", {});
  await g.init(h.ctx);
  assert.equal(await g.checkApply(true, h.abort.signal), true);
  assert.deepEqual(h.logs, ["info: Str: A", "info: test[b] Str: B"]);
  assert.deepEqual(h.sent, [{ hello: "from-a", answer: 42n }]);
  const bad = impl.createGroup!([a, { name: "c", params: { validatebool: true } }]);
  assert.equal(bad.validate(), "test[c]: the validate param was set to true");
});

test("goFormat prints like Go's %v", () => {
  assert.equal(goFormat([]), "[]");
  assert.equal(goFormat(new MapValue()), "map[]");
  assert.equal(goFormat(Infinity), "+Inf");
  assert.equal(goFormat(-Infinity), "-Inf");
  assert.equal(goFormat(0.5), "0.5");
  assert.equal(goFormat(true), "true");
});
