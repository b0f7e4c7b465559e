/**
 * The resource graph: what interpret produces from one table (mcl-language.md §9) and what the
 * engine runs. Immutable (deep-frozen like immer's `freeze(x, true)`). Every vertex has a stable structural identity `key`
 * (`kind[name]` + params + metaparams) so the engine can diff two graphs cheaply.
 */
import { freeze } from "immer";
import { formatFloat, hashKey, isMap, isStruct, printValue, StructValue, type Value } from "./values.js";

/** Metaparameters (engine-reference.md §3), with their defaults in {@link META_DEFAULTS}. */
export interface Meta {
  readonly noop: boolean;
  readonly retry: number;
  readonly retryreset: boolean;
  readonly delay: number;
  readonly timeout: number;
  readonly poll: number;
  /** events per second; `Infinity` = no limit */
  readonly limit: number;
  readonly burst: number;
  readonly reset: boolean;
  readonly sema: readonly string[];
  readonly rewatch: boolean;
  readonly realize: boolean;
  readonly dollar: boolean;
  readonly hidden: boolean;
  readonly export: readonly string[];
  readonly reverse: boolean;
  readonly autoedge: boolean;
  readonly autogroup: boolean;
}

export const META_DEFAULTS: Meta = freeze(
  {
    noop: false,
    retry: 0,
    retryreset: false,
    delay: 0,
    timeout: 0,
    poll: 0,
    limit: Infinity,
    burst: 0,
    reset: false,
    sema: [],
    rewatch: false,
    realize: false,
    dollar: false,
    hidden: false,
    export: [],
    reverse: false,
    autoedge: true,
    autogroup: true,
  },
  true,
);

export interface Vertex {
  readonly kind: string;
  readonly name: string;
  /** the fields the program set (conditions true), by lang name, sorted */
  readonly params: Readonly<Record<string, Value>>;
  readonly meta: Meta;
  readonly hidden?: true;
  /** hosts this resource is exported to (`Meta:export`) */
  readonly export?: readonly string[];
  /** stable structural identity: equal keys ⇔ same kind, name, params and meta */
  readonly key: string;
}

export interface Edge {
  /** `kind[name]` */
  readonly from: string;
  readonly to: string;
  readonly notify: boolean;
  /** send/recv: the sender's field and the receiver's field */
  readonly send?: string;
  readonly recv?: string;
}

export interface ResourceGraph {
  /** sorted by kind, then name (hidden ones after a visible one of the same name) */
  readonly vertices: readonly Vertex[];
  /** sorted by from, to */
  readonly edges: readonly Edge[];
}

/** `kind[name]` */
export function vertexName(v: { readonly kind: string; readonly name: string }): string {
  return `${v.kind}[${v.name}]`;
}

const META_KEYS = Object.keys(META_DEFAULTS) as (keyof Meta)[];

/** Meta entries that differ from the defaults. */
export function nonDefaultMeta(m: Meta): [string, unknown][] {
  const out: [string, unknown][] = [];
  if (m === META_DEFAULTS) return out;
  for (const k of META_KEYS) {
    const d = META_DEFAULTS[k];
    const v = m[k];
    const same = Array.isArray(d) ? (v as readonly string[]).length === 0 : d === v;
    if (!same) out.push([k, v]);
  }
  return out;
}

function metaKey(m: Meta): string {
  if (m === META_DEFAULTS) return "";
  let out = "";
  for (const [k, v] of nonDefaultMeta(m)) {
    out += `${out === "" ? "" : ";"}${k}=${JSON.stringify(v, (_k, x: unknown) => (x === Infinity ? "+Inf" : x))}`;
  }
  return out;
}

/**
 * Freeze a value deeply as immer's `freeze(v, true)` does (plain objects and arrays; the value
 * classes are immutable already), stopping at anything already frozen: a value shared by two
 * graphs (the evaluator keeps unchanged values) is walked once.
 */
function freezeDeep(x: unknown): void {
  if (typeof x !== "object" || x === null || Object.isFrozen(x)) return;
  if (Array.isArray(x)) {
    Object.freeze(x);
    for (const y of x) freezeDeep(y);
    return;
  }
  const proto: unknown = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return; // MapValue, StructValue, FuncValue
  Object.freeze(x);
  for (const k in x) freezeDeep((x as Record<string, unknown>)[k]);
}

/** Sort a few strings in place (code unit order, as `Array.prototype.sort`): insertion sort is ~5× faster for a resource's handful of params. */
function sortSmall(xs: string[]): string[] {
  if (xs.length > 16) return xs.sort();
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    let j = i - 1;
    while (j >= 0 && xs[j]! > x) {
      xs[j + 1] = xs[j]!;
      j--;
    }
    xs[j + 1] = x;
  }
  return xs;
}

/** Build a frozen vertex, computing its identity key. */
export function makeVertex(kind: string, name: string, params: Readonly<Record<string, Value>>, meta: Meta): Vertex {
  const keys = sortSmall(Object.keys(params));
  const sorted: Record<string, Value> = {};
  // the key is hashKey of the struct of the sorted params (`s{a=…;b=…}`), built without the struct
  let h = "s{";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const x = params[k]!;
    sorted[k] = x;
    h += `${i === 0 ? "" : ";"}${k}=${hashKey(x)}`;
    if (typeof x === "object") freezeDeep(x);
  }
  Object.freeze(sorted);
  const key = `${kind}[${name}]{${h}}}{${metaKey(meta)}}`;
  const v: { -readonly [K in keyof Vertex]: Vertex[K] } = { kind, name, params: sorted, meta, key };
  if (meta.hidden) v.hidden = true;
  if (meta.export.length > 0) v.export = meta.export;
  if (meta !== META_DEFAULTS) freezeDeep(meta);
  return Object.freeze(v);
}

/** The vertex order of a graph: kind, then name, a visible vertex before hidden ones, then key. */
export function compareVertices(a: Vertex, b: Vertex): number {
  return cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.hidden ? "1" : "0", b.hidden ? "1" : "0") || cmp(a.key, b.key);
}

/** The edge order of a graph: from, to, then the sent field. */
export function compareEdges(a: Edge, b: Edge): number {
  return cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.send ?? "", b.send ?? "");
}

export function makeGraph(vertices: readonly Vertex[], edges: readonly Edge[]): ResourceGraph {
  const g = { vertices: [...vertices].sort(compareVertices), edges: [...edges].sort(compareEdges) };
  freezeDeep(g);
  return g;
}

/**
 * A graph from vertices and edges that are frozen already (made by {@link makeVertex} and
 * interpret's link) and sorted by {@link compareVertices} and {@link compareEdges}: only the
 * arrays and the graph are frozen here, so a graph that shares most vertices with the last one
 * costs O(V) pointer copies, not a walk of every param.
 */
export function sealGraph(vertices: readonly Vertex[], edges: readonly Edge[]): ResourceGraph {
  return Object.freeze({ vertices: Object.freeze(vertices), edges: Object.freeze(edges) });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// printing

/** A JSON rendering of a value: ints as numbers when safe (else decimal strings), maps as objects when keys are strings, else [key, value] pairs. */
export function valueToJson(v: Value): unknown {
  switch (typeof v) {
    case "boolean":
    case "string":
      return v;
    case "bigint":
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    case "number":
      return Number.isFinite(v) ? v : formatFloat(v);
  }
  if (Array.isArray(v)) return v.map((x: Value) => valueToJson(x));
  if (isMap(v as Value)) {
    const m = v as import("./values.js").MapValue;
    if (m.keys().every((k) => typeof k === "string")) return Object.fromEntries([...m].map(([k, x]) => [k, valueToJson(x)]));
    return [...m].map(([k, x]) => [valueToJson(k), valueToJson(x)]);
  }
  if (isStruct(v as Value)) {
    const s = v as StructValue;
    return Object.fromEntries([...s.entries()].map(([k, x]) => [k, valueToJson(x)]));
  }
  return printValue(v);
}

/** The `graph --json` document (architecture.md "JSON shapes"). */
export function graphToJson(g: ResourceGraph): unknown {
  return {
    vertices: g.vertices.map((v) => {
      const o: Record<string, unknown> = {
        kind: v.kind,
        name: v.name,
        params: Object.fromEntries(Object.entries(v.params).map(([k, x]) => [k, valueToJson(x)])),
        meta: Object.fromEntries(nonDefaultMeta(v.meta).map(([k, x]) => [k, x === Infinity ? "+Inf" : x])),
      };
      if (v.hidden) o["hidden"] = true;
      if (v.export) o["export"] = v.export;
      return o;
    }),
    edges: g.edges.map((e) => {
      const o: Record<string, unknown> = { from: e.from, to: e.to, notify: e.notify };
      if (e.send !== undefined) o["send"] = e.send;
      if (e.recv !== undefined) o["recv"] = e.recv;
      return o;
    }),
  };
}

/**
 * The `graph` text form: one `kind[name]` line per vertex with its params (`field=value`, values
 * printed as in §10) and non-default metaparams (`Meta:prop=value`), then one `a -> b` line per
 * edge, `(notify)` where it notifies, `(send: hello -> anotherstr)` for send/recv.
 */
export function graphToText(g: ResourceGraph): string {
  const lines: string[] = [];
  for (const v of g.vertices) {
    const parts = [vertexName(v)];
    for (const [k, x] of Object.entries(v.params)) parts.push(`${k}=${printValue(x)}`);
    for (const [k, x] of nonDefaultMeta(v.meta)) {
      const shown = Array.isArray(x) ? `[${x.map((s: string) => JSON.stringify(s)).join(", ")}]` : typeof x === "number" ? formatFloat(x) : String(x);
      parts.push(`Meta:${k}=${shown}`);
    }
    lines.push(parts.join(" "));
  }
  for (const e of g.edges) {
    let l = `${e.from} -> ${e.to}`;
    if (e.notify) l += " (notify)";
    if (e.send !== undefined) l += ` (send: ${e.send} -> ${e.recv ?? ""})`;
    lines.push(l);
  }
  return lines.map((l) => l + "\n").join("");
}
