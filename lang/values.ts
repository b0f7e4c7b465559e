/**
 * The mcl value model (architecture.md "Values and types", mcl-language.md §4, §10).
 *
 * | mcl      | TypeScript                                   |
 * |----------|----------------------------------------------|
 * | bool     | boolean                                      |
 * | str      | string                                       |
 * | int      | bigint, always inside int64 (see {@link wrapInt}) |
 * | float    | number                                       |
 * | []T      | readonly Value[]                             |
 * | map{K:V} | {@link MapValue}: insertion-ordered, structural keys |
 * | struct   | {@link StructValue}: ordered fields          |
 * | func     | {@link FuncValue}: an opaque closure         |
 *
 * Values are immutable and compare structurally ({@link valueEquals}). Catchable runtime errors
 * (mcl-language.md §8) are not values but travel where values travel, so their class lives here too.
 */
import type { Span } from "./ast.js";
import { printType, T, type Type } from "./types.js";

export type Value = boolean | string | bigint | number | readonly Value[] | MapValue | StructValue | FuncValue;

// ---------------------------------------------------------------------------------------------
// int

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Two's complement int64 wraparound, as Go does on overflow: `wrapInt(2n**63n) === -(2n**63n)`. */
export function wrapInt(x: bigint): bigint {
  return x >= INT64_MIN && x <= INT64_MAX ? x : BigInt.asIntN(64, x);
}

// ---------------------------------------------------------------------------------------------
// map

/**
 * An immutable map with structural keys. Iteration follows insertion order; printing sorts keys
 * by value order (§10). Equality ignores order (Go maps are unordered).
 *
 * @example new MapValue([["a", 1n], ["b", 2n]]).get("b") // 2n
 */
export class MapValue {
  readonly k = "map" as const;
  readonly #keys: Value[] = [];
  readonly #vals: Value[] = [];
  readonly #index = new Map<string, number>();

  /** Later duplicates of a key replace the value and keep the first key's position. */
  constructor(entries: Iterable<readonly [Value, Value]> = []) {
    for (const [k, v] of entries) {
      const h = hashKey(k);
      const i = this.#index.get(h);
      if (i === undefined) {
        this.#index.set(h, this.#keys.length);
        this.#keys.push(k);
        this.#vals.push(v);
      } else {
        this.#vals[i] = v;
      }
    }
  }

  get size(): number {
    return this.#keys.length;
  }
  get(key: Value): Value | undefined {
    const i = this.#index.get(hashKey(key));
    return i === undefined ? undefined : this.#vals[i];
  }
  has(key: Value): boolean {
    return this.#index.has(hashKey(key));
  }
  keys(): readonly Value[] {
    return this.#keys;
  }
  values(): readonly Value[] {
    return this.#vals;
  }
  *entries(): IterableIterator<[Value, Value]> {
    for (let i = 0; i < this.#keys.length; i++) yield [this.#keys[i]!, this.#vals[i]!];
  }
  [Symbol.iterator](): IterableIterator<[Value, Value]> {
    return this.entries();
  }
  /** A new map with `key` set (replacing in place when present). */
  with(key: Value, val: Value): MapValue {
    return new MapValue([...this.entries(), [key, val]]);
  }
}

// ---------------------------------------------------------------------------------------------
// struct

/** An immutable struct; field order is part of its type (§4). */
export class StructValue {
  readonly k = "struct" as const;
  readonly names: readonly string[];
  readonly values: readonly Value[];

  constructor(fields: Iterable<readonly [string, Value]> | { readonly [name: string]: Value }) {
    const names: string[] = [];
    const values: Value[] = [];
    const it: Iterable<readonly [string, Value]> =
      Symbol.iterator in fields ? (fields as Iterable<readonly [string, Value]>) : Object.entries(fields);
    for (const [n, v] of it) {
      names.push(n);
      values.push(v);
    }
    this.names = names;
    this.values = values;
  }
  get(name: string): Value | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.values[i];
  }
  has(name: string): boolean {
    return this.names.includes(name);
  }
  *entries(): IterableIterator<[string, Value]> {
    for (let i = 0; i < this.names.length; i++) yield [this.names[i]!, this.values[i]!];
  }
}

// ---------------------------------------------------------------------------------------------
// func

let nextFuncId = 1;

/**
 * A function value. `call` is opaque to everything but the evaluator's call machinery; `impl`
 * lets the lowering attach what it needs to instantiate a body subgraph (AST + captured scope).
 * Two func values are equal only when they are the same object (§4: funcs can't be compared).
 */
export interface FuncValue {
  readonly k: "func";
  readonly id: number;
  readonly type: Type | undefined;
  readonly call: (args: readonly Value[]) => Value | CatchableError;
  readonly impl?: unknown;
}

export function funcValue(call: FuncValue["call"], type?: Type, impl?: unknown): FuncValue {
  const f: { -readonly [K in keyof FuncValue]: FuncValue[K] } = { k: "func", id: nextFuncId++, type, call };
  if (impl !== undefined) f.impl = impl;
  return f;
}

// ---------------------------------------------------------------------------------------------
// catchable errors

/**
 * A catchable runtime error (§8): missing list index or map key, division by zero, failed
 * conversion, missing file… It flows through the function graph in place of a value until an
 * `<|>` catches it; reaching an output it becomes a `runtime` diagnostic. Functions may return it
 * or throw it. Deliberately not an `Error` subclass: no stack capture on a hot path.
 */
export class CatchableError {
  constructor(
    readonly message: string,
    /** The failing expression; the evaluator fills it with the node's span when absent. */
    readonly span?: Span,
    readonly code: string = "E-RUNTIME-ERROR",
  ) {}
  withSpan(span: Span | undefined): CatchableError {
    return this.span || !span ? this : new CatchableError(this.message, span, this.code);
  }
}

export function isCatchable(x: unknown): x is CatchableError {
  // typeof first: on the evaluator's hot path most results are primitives
  return typeof x === "object" && x instanceof CatchableError;
}

// ---------------------------------------------------------------------------------------------
// constructors

/** Shorthands: `V.int(3)`, `V.list(V.str("a"))`, `V.map([["a", 1n]])`, `V.struct({a: 1n})`. */
export const V = {
  bool: (b: boolean): Value => b,
  str: (s: string): Value => s,
  int: (n: bigint | number): Value => wrapInt(typeof n === "number" ? BigInt(Math.trunc(n)) : n),
  float: (f: number): Value => f,
  list: (...items: Value[]): Value => items,
  map: (entries: Iterable<readonly [Value, Value]>): MapValue => new MapValue(entries),
  struct: (fields: Iterable<readonly [string, Value]> | { readonly [name: string]: Value }): StructValue => new StructValue(fields),
};

export function isList(v: Value): v is readonly Value[] {
  return Array.isArray(v);
}
export function isMap(v: Value): v is MapValue {
  return v instanceof MapValue;
}
export function isStruct(v: Value): v is StructValue {
  return v instanceof StructValue;
}
export function isFunc(v: Value): v is FuncValue {
  return typeof v === "object" && !Array.isArray(v) && (v as MapValue | StructValue | FuncValue).k === "func";
}

// ---------------------------------------------------------------------------------------------
// equality, hashing, ordering

/**
 * Structural equality. Floats: `-0` equals `0` (as Go's `==`), and NaN equals NaN so that a
 * NaN-valued node is not "changed" on every wave (the mcl `==` operator must special-case NaN).
 */
export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  switch (typeof a) {
    case "number":
      return typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
    case "object": {
      if (typeof b !== "object") return false;
      if (Array.isArray(a)) {
        if (!Array.isArray(b) || a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (!valueEquals(a[i] as Value, b[i] as Value)) return false;
        return true;
      }
      if (Array.isArray(b)) return false;
      const ao = a as MapValue | StructValue | FuncValue;
      const bo = b as MapValue | StructValue | FuncValue;
      if (ao.k !== bo.k) return false;
      if (ao.k === "map") {
        const bm = bo as MapValue;
        if (ao.size !== bm.size) return false;
        for (const [k, v] of ao) {
          const w = bm.get(k);
          if (w === undefined || !valueEquals(v, w)) return false;
        }
        return true;
      }
      if (ao.k === "struct") {
        const bs = bo as StructValue;
        if (ao.names.length !== bs.names.length) return false;
        for (let i = 0; i < ao.names.length; i++) {
          if (ao.names[i] !== bs.names[i] || !valueEquals(ao.values[i]!, bs.values[i]!)) return false;
        }
        return true;
      }
      return false; // funcs: identity only
    }
    default:
      return false;
  }
}

/**
 * A stable string that identifies a value structurally: equal values have equal keys and
 * different values different keys. Map keys are order-independent. Funcs hash by identity.
 * Only compared for equality within one process, never parsed or stored.
 */
export function hashKey(v: Value): string {
  switch (typeof v) {
    case "boolean":
      return v ? "T" : "F";
    case "string":
      // length-prefixed, so self-delimiting without escaping: a concatenation (no copy of the
      // text), where JSON.stringify scanned and copied it (12 µs for 4 KB of file content)
      return `"${v.length}:${v}`;
    case "bigint":
      return `i${v}`;
    case "number":
      return `f${v === 0 ? 0 : v}`;
    default: {
      if (!Array.isArray(v) && (v as FuncValue).k === "func") return `fn#${(v as FuncValue).id}`;
      const cached = compositeKeys.get(v as object);
      if (cached !== undefined) return cached;
      const key = compositeKey(v as readonly Value[] | MapValue | StructValue);
      if (key.length >= CACHE_KEYS_FROM) compositeKeys.set(v as object, key);
      return key;
    }
  }
}

/**
 * hashKeys of large lists, maps and structs. Values are immutable, so a key never goes stale, and
 * one value is often hashed again: a resource rebuilt because another field changed keeps its
 * big list or map param, and interpret hashes every param into the vertex key. Small ones are
 * not kept: building their key is cheaper than the WeakMap entry.
 */
const compositeKeys = new WeakMap<object, string>();
const CACHE_KEYS_FROM = 256;

function compositeKey(v: readonly Value[] | MapValue | StructValue): string {
  if (Array.isArray(v)) return `[${v.map(hashKey).join(",")}]`;
  const o = v as MapValue | StructValue;
  if (o.k === "map") return `{${[...o].map(([k, x]) => `${hashKey(k)}:${hashKey(x)}`).sort().join(",")}}`;
  return `s{${o.names.map((n, i) => `${n}=${hashKey(o.values[i]!)}`).join(";")}}`;
}

function kindRank(v: Value): number {
  switch (typeof v) {
    case "boolean":
      return 0;
    case "bigint":
      return 1;
    case "number":
      return 2;
    case "string":
      return 3;
    default:
      if (Array.isArray(v)) return 4;
      return { map: 5, struct: 6, func: 7 }[(v as MapValue | StructValue | FuncValue).k];
  }
}

/** Code point order (Go compares strings bytewise in UTF-8, which is code point order). */
function compareStr(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!, y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

/**
 * The total "value order" used to sort map keys when printing (§10): false < true, numbers by
 * value (NaN first), strings by code point, lists and structs lexicographically.
 */
export function compareValues(a: Value, b: Value): number {
  const ka = kindRank(a), kb = kindRank(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  switch (typeof a) {
    case "boolean":
      return a === b ? 0 : a ? 1 : -1;
    case "bigint":
      return a === b ? 0 : a < (b as bigint) ? -1 : 1;
    case "number": {
      const y = b as number;
      if (Number.isNaN(a)) return Number.isNaN(y) ? 0 : -1;
      if (Number.isNaN(y)) return 1;
      return a === y ? 0 : a < y ? -1 : 1;
    }
    case "string":
      return compareStr(a, b as string);
  }
  if (Array.isArray(a)) {
    const bl = b as readonly Value[];
    for (let i = 0; i < Math.min(a.length, bl.length); i++) {
      const c = compareValues(a[i] as Value, bl[i]!);
      if (c !== 0) return c;
    }
    return Math.sign(a.length - bl.length);
  }
  const o = a as MapValue | StructValue | FuncValue;
  if (o.k === "struct") {
    const bs = b as StructValue;
    for (let i = 0; i < Math.min(o.values.length, bs.values.length); i++) {
      const c = compareStr(o.names[i]!, bs.names[i]!) || compareValues(o.values[i]!, bs.values[i]!);
      if (c !== 0) return c;
    }
    return Math.sign(o.values.length - bs.values.length);
  }
  if (o.k === "map") {
    const ea = sortedEntries(o), eb = sortedEntries(b as MapValue);
    for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
      const c = compareValues(ea[i]![0], eb[i]![0]) || compareValues(ea[i]![1], eb[i]![1]);
      if (c !== 0) return c;
    }
    return Math.sign(ea.length - eb.length);
  }
  return Math.sign(o.id - (b as FuncValue).id);
}

/** Map entries sorted by key value order. */
export function sortedEntries(m: MapValue): [Value, Value][] {
  return [...m].sort((x, y) => compareValues(x[0], y[0]));
}

// ---------------------------------------------------------------------------------------------
// printing (§10)

/**
 * Go's `strconv.FormatFloat(f, 'f', -1, 64)`: the shortest decimal that round-trips, never in
 * exponent form and without a trailing `.0`: `3.14`, `4`, `1e21` → `1000000000000000000000`.
 */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  // toExponential() without an argument yields the shortest round-tripping digits.
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(f.toExponential());
  if (!m) return String(f);
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? "");
  const exp = Number(m[4]);
  let out: string;
  if (exp >= digits.length - 1) out = digits + "0".repeat(exp - digits.length + 1);
  else if (exp >= 0) out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else out = `0.${"0".repeat(-exp - 1)}${digits}`;
  return sign + out;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SIMPLE_ESC: Record<number, string> = { 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v", 92: "\\\\", 34: '\\"' };

/**
 * Go's `strconv.Quote`: `\a \b \f \n \r \t \v \\ \"`, other control characters as `\xNN`,
 * non-printable runes as `\uNNNN` / `\UNNNNNNNN`; printable Unicode is kept. A lone UTF-16
 * surrogate (not representable in Go's UTF-8 strings) prints as `\ufffd`.
 */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const esc = SIMPLE_ESC[c];
    if (esc !== undefined) out += esc;
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c === 0x20 || (c < 0x7f && c > 0x20)) out += ch;
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return out + '"';
}

/**
 * `Value.String()` of the reference (§10): `true`, `-3`, `3.14`, `"a\tb"`, `[1, 2]`,
 * `{"a": 1, "b": 2}` (keys in value order), `struct{a: 1; b: "x"}`, `func(<type>)`.
 */
export function printValue(v: Value): string {
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "string":
      return quoteString(v);
    case "bigint":
      return v.toString();
    case "number":
      return formatFloat(v);
  }
  if (Array.isArray(v)) return `[${v.map((x: Value) => printValue(x)).join(", ")}]`;
  const o = v as MapValue | StructValue | FuncValue;
  switch (o.k) {
    case "map":
      return `{${sortedEntries(o).map(([k, x]) => `${printValue(k)}: ${printValue(x)}`).join(", ")}}`;
    case "struct":
      return `struct{${o.names.map((n, i) => `${n}: ${printValue(o.values[i]!)}`).join("; ")}}`;
    case "func":
      return `func(${o.type ? printType(o.type) : "?"})`;
  }
}

/**
 * The type of a value when it can be read off the value alone; `undefined` for empty lists and
 * maps (no element type) and funcs without a recorded type.
 */
export function valueType(v: Value): Type | undefined {
  switch (typeof v) {
    case "boolean":
      return T.bool;
    case "string":
      return T.str;
    case "bigint":
      return T.int;
    case "number":
      return T.float;
  }
  if (Array.isArray(v)) {
    const first = v[0] as Value | undefined;
    if (first === undefined) return undefined;
    const e = valueType(first);
    return e && T.list(e);
  }
  const o = v as MapValue | StructValue | FuncValue;
  switch (o.k) {
    case "map": {
      const k0 = o.keys()[0], v0 = o.values()[0];
      if (k0 === undefined || v0 === undefined) return undefined;
      const kt = valueType(k0), vt = valueType(v0);
      return kt && vt && T.map(kt, vt);
    }
    case "struct": {
      const fields = [];
      for (let i = 0; i < o.names.length; i++) {
        const t = valueType(o.values[i]!);
        if (!t) return undefined;
        fields.push({ name: o.names[i]!, type: t });
      }
      return T.struct(fields);
    }
    case "func":
      return o.type;
  }
}

/**
 * The Go zero value of a type (false, "", 0, 0.0, [], {}, a struct of zeros), or undefined for a
 * type that has none (functions, open type variables): the caller decides what that means.
 */
export function zeroValue(t: Type): Value | undefined {
  switch (t.k) {
    case "bool":
      return false;
    case "str":
      return "";
    case "int":
      return 0n;
    case "float":
      return 0;
    case "list":
      return [];
    case "map":
      return new MapValue();
    case "struct": {
      const fields: (readonly [string, Value])[] = [];
      for (const f of t.fields) {
        const z = zeroValue(f.type);
        if (z === undefined) return undefined;
        fields.push([f.name, z]);
      }
      return new StructValue(fields);
    }
    default:
      return undefined;
  }
}
