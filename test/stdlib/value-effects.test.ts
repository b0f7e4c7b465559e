import { afterEach, test } from "node:test";
import * as assert from "node:assert/strict";
import { parseType } from "../../lang/type-parse.js";
import { StructValue, printValue } from "../../lang/values.js";
import { openLocal } from "../../runtime/local/index.js";
import { valueHasType, zeroValue } from "../../stdlib/impl/effects/value.js";
import { closeAll, makeCtx, record, stream, tempDir } from "./effects-helpers.js";

afterEach(closeAll);
const show = (vs: readonly unknown[]) => vs.map((v) => printValue(v as StructValue));

test("value.get_int: not ready (zero) until the value resource writes, then follows the store", () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = record(stream("value.get_int", ["count"], makeCtx({ stateDir: dir })));
    assert.deepEqual(show(r.values), ["struct{value: 0; ready: false}"]);
    const store = openLocal(dir).values; // what the `value` resource writes through
    store.set("count", 3n);
    store.set("count", 4n);
    assert.deepEqual(show(r.values).slice(1), ["struct{value: 3; ready: true}", "struct{value: 4; ready: true}"]);
    r.sub.unsubscribe();
    assert.deepEqual(show(record(stream("value.get_int", ["count"], makeCtx({ stateDir: dir }))).values), ["struct{value: 4; ready: true}"]);
  } finally {
    cleanup();
  }
});

test("value.get_bool / get_str / get_float and the polymorphic value.get (type from the call site)", () => {
  const { dir, cleanup } = tempDir();
  try {
    const ctx = makeCtx({ stateDir: dir });
    const store = openLocal(dir).values;
    store.set("b", true);
    store.set("s", "hi");
    store.set("f", 2.5);
    assert.deepEqual(show(record(stream("value.get_bool", ["b"], ctx)).values), ["struct{value: true; ready: true}"]);
    assert.deepEqual(show(record(stream("value.get_str", ["s"], ctx)).values), ['struct{value: "hi"; ready: true}']);
    assert.deepEqual(show(record(stream("value.get_float", ["f"], ctx)).values), ["struct{value: 2.5; ready: true}"]);
    assert.deepEqual(show(record(stream("value.get_float", ["nope"], ctx)).values), ["struct{value: 0; ready: false}"]);
    const listCtx = makeCtx({ stateDir: dir }, parseType("func(key str) struct{value []str; ready bool}"));
    const g = record(stream("value.get", ["l"], listCtx));
    assert.deepEqual(show(g.values), ["struct{value: []; ready: false}"]);
    store.set("l", ["a", "b"]);
    assert.deepEqual(show(g.values).at(-1), 'struct{value: ["a", "b"]; ready: true}');
  } finally {
    cleanup();
  }
});

test("value.get_str on a key holding an int is a fatal error", () => {
  const { dir, cleanup } = tempDir();
  try {
    openLocal(dir).values.set("n", 1n);
    const r = record(stream("value.get_str", ["n"], makeCtx({ stateDir: dir })));
    assert.match(String(r.error), /value\.get_str: key "n" holds 1, not a str/);
  } finally {
    cleanup();
  }
});

test("zeroValue / valueHasType", () => {
  assert.equal(printValue(zeroValue(parseType("struct{a int; b map{str: float}; c []bool}"))), "struct{a: 0; b: {}; c: []}");
  assert.ok(valueHasType(new StructValue({ a: 1n }), parseType("struct{a int}")));
  assert.ok(!valueHasType(new StructValue({ a: 1n }), parseType("struct{a str}")));
  assert.ok(!valueHasType([1n, "x"], parseType("[]int")));
});
