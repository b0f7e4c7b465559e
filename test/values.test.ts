import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  CatchableError, compareValues, formatFloat, funcValue, hashKey, MapValue, printValue, quoteString, StructValue, V,
  valueEquals, valueType, wrapInt, type Value,
} from "../lang/values.js";
import { printType, T } from "../lang/types.js";

const print: [Value, string][] = [
  [true, "true"],
  [false, "false"],
  [0n, "0"],
  [-13n, "-13"],
  [3.14, "3.14"],
  [4, "4"],
  [-4, "-4"],
  [0.1 + 0.2, "0.30000000000000004"],
  [1e21, "1000000000000000000000"],
  [1e20, "100000000000000000000"],
  [1.5e300, "15" + "0".repeat(299)],
  [1e-7, "0.0000001"],
  [1.25e-10, "0.000000000125"],
  [123456.789, "123456.789"],
  [-0, "-0"],
  [NaN, "NaN"],
  [Infinity, "+Inf"],
  [-Infinity, "-Inf"],
  ["hello", '"hello"'],
  ["a\tb", '"a\\tb"'],
  ['q"b\\', '"q\\"b\\\\"'],
  ["\x00\x01\x1f\x7f", '"\\x00\\x01\\x1f\\x7f"'],
  ["\x07\b\f\n\r\v", '"\\a\\b\\f\\n\\r\\v"'],
  ["héllo ✓ 日本 😀", '"héllo ✓ 日本 😀"'],
  ["\u00a0\u200b\u2028", '"\\u00a0\\u200b\\u2028"'],
  ["\u{e0001}", '"\\U000e0001"'],
  ["$", '"$"'],
  [[], "[]"],
  [[1n, 2n], "[1, 2]"],
  [["a", "b"], '["a", "b"]'],
  [[[1.5], []], "[[1.5], []]"],
  [new MapValue([["b", 2n], ["a", 1n], ["c", 3n]]), '{"a": 1, "b": 2, "c": 3}'],
  [new MapValue([[10n, true], [-2n, false], [3n, true]]), "{-2: false, 3: true, 10: true}"],
  [new MapValue([]), "{}"],
  [new StructValue({ a: 1n, b: "x" }), 'struct{a: 1; b: "x"}'],
  [new StructValue([["z", 1.0], ["a", [true]]]), "struct{z: 1; a: [true]}"],
  [new StructValue([]), "struct{}"],
];

for (const [v, want] of print) {
  test(`printValue ${want}`, () => assert.equal(printValue(v), want));
}

test("func values print with their type", () => {
  const f = funcValue(() => 1n, T.func([{ name: "a", type: T.str }], T.int));
  assert.equal(printValue(f), `func(${printType(T.func([{ name: "a", type: T.str }], T.int))})`);
  assert.ok(valueEquals(f, f));
  assert.ok(!valueEquals(f, funcValue(() => 1n)));
});

test("formatFloat round-trips", () => {
  for (const f of [3.14, 0.1 + 0.2, 1e21, 5e-324, 1.7976931348623157e308, 123e-20, -2.5e-8, 2 ** 53 + 2]) {
    assert.equal(Number(formatFloat(f)), f, String(f));
    assert.ok(!/e/i.test(formatFloat(f)));
  }
});

test("quoteString keeps printable ASCII", () => {
  let s = "";
  for (let c = 0x20; c < 0x7f; c++) if (c !== 0x22 && c !== 0x5c) s += String.fromCharCode(c);
  assert.equal(quoteString(s), `"${s}"`);
  assert.equal(quoteString("\ud800"), '"\\ufffd"');
});

test("int64 wraparound", () => {
  assert.equal(wrapInt(2n ** 63n), -(2n ** 63n));
  assert.equal(wrapInt(2n ** 63n - 1n + 1n), -(2n ** 63n));
  assert.equal(wrapInt(-(2n ** 63n) - 1n), 2n ** 63n - 1n);
  assert.equal(wrapInt(2n ** 64n + 5n), 5n);
  assert.equal(wrapInt((2n ** 62n) * 4n), 0n);
  assert.equal(V.int(42), 42n);
  assert.equal(V.int(2n ** 63n + 7n), -(2n ** 63n) + 7n);
});

test("structural equality", () => {
  assert.ok(valueEquals([1n, [2n]], [1n, [2n]]));
  assert.ok(!valueEquals([1n], [1]));
  assert.ok(!valueEquals(1n, 1));
  assert.ok(valueEquals(0, -0));
  assert.ok(valueEquals(NaN, NaN));
  assert.ok(valueEquals(new MapValue([["a", 1n], ["b", 2n]]), new MapValue([["b", 2n], ["a", 1n]])));
  assert.ok(!valueEquals(new MapValue([["a", 1n]]), new MapValue([["a", 2n]])));
  assert.ok(!valueEquals(new MapValue([["a", 1n]]), new MapValue([["b", 1n]])));
  assert.ok(valueEquals(new StructValue({ a: 1n, b: "x" }), new StructValue({ a: 1n, b: "x" })));
  assert.ok(!valueEquals(new StructValue({ a: 1n, b: "x" }), new StructValue({ b: "x", a: 1n })));
  assert.ok(!valueEquals(new StructValue({ a: 1n }), new MapValue([["a", 1n]])));
  assert.ok(!valueEquals([], new MapValue()));
});

test("hashKey is structural and distinguishes kinds", () => {
  const vs: Value[] = [true, false, "1", 1n, 1, "T", "i1", [], [1n], [[1n]], ["a,b"], ["a", "b"], new MapValue(), new StructValue({}),
    new StructValue({ a: 1n }), new MapValue([["a", 1n]]), new MapValue([[new StructValue({ x: 1n }), "v"]])];
  const keys = vs.map(hashKey);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(hashKey(new MapValue([["a", 1n], ["b", 2n]])), hashKey(new MapValue([["b", 2n], ["a", 1n]])));
  assert.equal(hashKey(0), hashKey(-0));
});

test("MapValue with structural keys", () => {
  const k1 = new StructValue({ x: 1n, y: "a" });
  const m = new MapValue([[k1, 1n], [new StructValue({ x: 1n, y: "a" }), 2n], [new StructValue({ x: 2n, y: "a" }), 3n]]);
  assert.equal(m.size, 2);
  assert.equal(m.get(new StructValue({ x: 1n, y: "a" })), 2n);
  assert.ok(!m.has(new StructValue({ y: "a", x: 1n })));
  assert.deepEqual([...m.values()], [2n, 3n]);
  assert.equal(m.with("z", 0n).size, 3);
  assert.equal(m.size, 2);
  assert.equal(printValue(m), "{struct{x: 1; y: \"a\"}: 2, struct{x: 2; y: \"a\"}: 3}");
});

test("value order", () => {
  assert.ok(compareValues(false, true) < 0);
  assert.ok(compareValues(-1n, 2n) < 0);
  assert.ok(compareValues("B", "a") < 0);
  assert.ok(compareValues("\uffff", "\u{10000}") < 0);
  assert.ok(compareValues([1n], [1n, 0n]) < 0);
  assert.equal(compareValues(new StructValue({ a: 1n }), new StructValue({ a: 1n })), 0);
});

test("valueType", () => {
  assert.equal(printType(valueType([new MapValue([["a", 1.5]])])!), "[]map{str: float}");
  assert.equal(printType(valueType(new StructValue({ a: 1n, b: [true] }))!), "struct{a int; b []bool}");
  assert.equal(valueType([]), undefined);
});

test("CatchableError carries a span once", () => {
  const span = { file: "m.mcl", start: { line: 1, col: 1, offset: 0 }, end: { line: 1, col: 2, offset: 1 } };
  const e = new CatchableError("boom");
  assert.equal(e.withSpan(span).span, span);
  const e2 = e.withSpan(span);
  assert.equal(e2.withSpan({ ...span, file: "x" }), e2);
});

test("hashKey of large composites (cached per value) agrees with equal and differs from unequal values", () => {
  const big = (tail: string): Value => Array.from({ length: 100 }, (_, i) => (i === 99 ? tail : `item-${i}`));
  const a = big("x");
  const k1 = hashKey(a);
  assert.equal(hashKey(a), k1, "the same value again");
  assert.equal(hashKey(big("x")), k1, "an equal value built afresh");
  assert.notEqual(hashKey(big("y")), k1);
  const m = new MapValue(Array.from({ length: 50 }, (_, i) => [`k${i}`, a] as [Value, Value]));
  assert.equal(hashKey(m), hashKey(new MapValue([...m].reverse())));
  // strings are length-prefixed: a quote or separator inside a string cannot fake a boundary
  assert.notEqual(hashKey(["a,\"1:b"]), hashKey(["a", "b"]));
  assert.notEqual(hashKey(V.struct({ a: 'x";b="y' })), hashKey(V.struct({ a: "x", b: "y" })));
});
