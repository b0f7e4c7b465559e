import { test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MapValue, StructValue, valueEquals, type Value } from "../../lang/values.js";
import { ValueStore, decodeValue, encodeValue, openLocal } from "../../runtime/local/index.js";
import { fileNameToKey, keyToFileName } from "../../runtime/local/fs-util.js";

function temp(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "steward-local-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test("value codec: every value kind round-trips, int/float and map/struct stay distinct", () => {
  const vals: Value[] = [
    true,
    "x\n\"y\"",
    -(2n ** 63n),
    2n ** 63n - 1n,
    1.5,
    4,
    NaN,
    Infinity,
    -Infinity,
    [],
    [1n, 2n],
    new MapValue([["a", 1n], ["b", 2n]]),
    new MapValue([[1n, [true]]]),
    new StructValue({ b: "x", a: 1.25 }),
  ];
  for (const v of vals) {
    const back = decodeValue(encodeValue(v));
    assert.ok(valueEquals(v, back), `${encodeValue(v)}`);
  }
  assert.equal(typeof decodeValue(encodeValue(4)), "number");
  assert.equal(typeof decodeValue(encodeValue(4n)), "bigint");
  assert.deepEqual((decodeValue(encodeValue(new StructValue({ b: 1n, a: 2n }))) as StructValue).names, ["b", "a"]);
  assert.throws(() => decodeValue('{"x":1}'), /malformed/);
});

test("key file names: safe and reversible", () => {
  for (const k of ["", ".", "..", "a/b", "%", "héllo wörld", ".hidden"]) {
    const n = keyToFileName(k);
    assert.ok(!n.includes("/") && n !== "." && n !== ".." && n !== "" && !n.startsWith("."), n);
    assert.equal(fileNameToKey(n), k);
  }
});

test("value store: set/get/delete persist across instances, files are private", () => {
  const { dir, cleanup } = temp();
  try {
    const s = new ValueStore(join(dir, "value"));
    assert.equal(s.get("a"), undefined);
    assert.equal(s.set("a", 42n), true);
    assert.equal(s.set("a", 42n), false, "same value: no write");
    s.set("../evil", "x");
    assert.deepEqual(readdirSync(join(dir, "value")).sort(), ["%2E.%2Fevil", "a"]);
    assert.equal(statSync(join(dir, "value")).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, "value", "a")).mode & 0o777, 0o600);
    const again = new ValueStore(join(dir, "value"));
    assert.equal(again.get("a"), 42n);
    assert.deepEqual(again.keys(), ["../evil", "a"]);
    assert.equal(again.delete("a"), true);
    assert.equal(again.delete("a"), false);
    assert.equal(new ValueStore(join(dir, "value")).get("a"), undefined);
  } finally {
    cleanup();
  }
});

test("value store: watch emits the current value, then each change, synchronously and without repeats", () => {
  const { dir, cleanup } = temp();
  try {
    const local = openLocal(dir);
    assert.equal(openLocal(join(dir, ".")), local, "one instance per state dir");
    const seen: (Value | undefined)[] = [];
    const sub = local.values.watch("k").subscribe((v) => seen.push(v));
    local.values.set("k", "a");
    local.values.set("k", "a");
    local.values.set("other", "z");
    local.values.set("k", ["b"]);
    local.values.delete("k");
    assert.deepEqual(seen, [undefined, "a", ["b"], undefined]);
    assert.equal(local.values.watchedKeys(), 1);
    sub.unsubscribe();
    assert.equal(local.values.watchedKeys(), 0, "no subject leak");
  } finally {
    cleanup();
  }
});
