/**
 * A lossless JSON encoding of mcl values: the on-disk value store (runtime/local), pending
 * reversals (runtime/engine/reverse.ts) and exported resources (lang/export-codec.ts) use it. Plain JSON can't tell an
 * int from a float or a map from a struct, so every value is tagged:
 *
 * | value  | encoding                                   |
 * |--------|--------------------------------------------|
 * | bool   | `true`                                     |
 * | str    | `"x"`                                      |
 * | int    | `{"i":"42"}` (decimal string: int64 > 2^53) |
 * | float  | `{"f":1.5}` (`"NaN"`, `"+Inf"`, `"-Inf"` as strings) |
 * | list   | `[…]`                                      |
 * | map    | `{"m":[[k,v],…]}`                          |
 * | struct | `{"s":[["name",v],…]}` (field order kept)  |
 *
 * Func values can't be stored (they are closures over a running graph).
 */
import { MapValue, StructValue, isFunc, type Value } from "./values.js";

export type Json = boolean | string | number | Json[] | { [k: string]: Json };

function enc(v: Value): Json {
  switch (typeof v) {
    case "boolean":
    case "string":
      return v;
    case "bigint":
      return { i: v.toString() };
    case "number":
      return { f: Number.isFinite(v) ? v : Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf" };
  }
  if (Array.isArray(v)) return v.map(enc);
  if (v instanceof MapValue) return { m: [...v].map(([k, x]) => [enc(k), enc(x)]) };
  if (v instanceof StructValue) return { s: [...v.entries()].map(([n, x]) => [n, enc(x)]) };
  if (isFunc(v)) throw new Error("a func value can't be stored");
  throw new Error("unknown value");
}

function dec(j: unknown): Value {
  if (typeof j === "boolean" || typeof j === "string") return j;
  if (Array.isArray(j)) return j.map(dec);
  if (j !== null && typeof j === "object") {
    const o = j as Record<string, unknown>;
    if (typeof o.i === "string") return BigInt.asIntN(64, BigInt(o.i));
    if ("f" in o) {
      const f = o.f;
      if (typeof f === "number") return f;
      if (f === "NaN") return NaN;
      if (f === "+Inf") return Infinity;
      if (f === "-Inf") return -Infinity;
    }
    if (Array.isArray(o.m)) return new MapValue(o.m.map((e) => pair(e, dec)));
    if (Array.isArray(o.s)) return new StructValue(o.s.map((e) => pair(e, (n) => (typeof n === "string" ? n : bad()))));
  }
  return bad();
}

function pair<K>(e: unknown, key: (x: unknown) => K): [K, Value] {
  if (!Array.isArray(e) || e.length !== 2) bad();
  return [key((e as unknown[])[0]), dec((e as unknown[])[1])];
}

function bad(): never {
  throw new Error("malformed stored value");
}

/** The tagged JSON of a value (to embed in a larger JSON document). Throws on func values. */
export const valueToJson = enc;
/** The inverse of {@link valueToJson}; throws on malformed input. */
export const valueFromJson = dec;

/** `encodeValue(V.map([["a", 1n]]))` → `{"m":[["a",{"i":"1"}]]}`. Throws on func values. */
export function encodeValue(v: Value): string {
  return JSON.stringify(enc(v));
}

/** The inverse of {@link encodeValue}; throws on malformed input. */
export function decodeValue(s: string): Value {
  return dec(JSON.parse(s));
}
