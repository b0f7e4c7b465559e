/**
 * Typed reads of resource params (mcl Values keyed by lang field name) for the small kinds in
 * this folder. The type checker has already matched every field against the kind's schema
 * (stdlib/schemas/), so a value of the wrong shape is a programming error and throws; range and
 * cross-field rules are the kinds' own `validate`.
 */
import { isList, isMap, type Value } from "../../lang/values.js";
import type { ResourceContext } from "../../runtime/engine/resource.js";

export type Params = Readonly<Record<string, Value>>;

function wrong(field: string, want: string, v: Value): never {
  throw new Error(`param ${field}: expected a ${want}, got ${typeof v}`);
}

/** A `str` field; `def` when unset. */
export function strField(p: Params, field: string, def = ""): string {
  const v = p[field];
  if (v === undefined) return def;
  return typeof v === "string" ? v : wrong(field, "str", v);
}

/** A `*str` field (Go pointer): `undefined` = unset = unmanaged. */
export function optStrField(p: Params, field: string): string | undefined {
  const v = p[field];
  if (v === undefined) return undefined;
  return typeof v === "string" ? v : wrong(field, "str", v);
}

export function boolField(p: Params, field: string, def = false): boolean {
  const v = p[field];
  if (v === undefined) return def;
  return typeof v === "boolean" ? v : wrong(field, "bool", v);
}

/** An `int` field, unbounded (ranges are checked in `validate` with {@link intRange}). */
export function intField(p: Params, field: string, def: bigint): bigint {
  const v = p[field];
  if (v === undefined) return def;
  return typeof v === "bigint" ? v : wrong(field, "int", v);
}

/** A `*int` field (Go pointer): `undefined` = unset. */
export function optIntField(p: Params, field: string): bigint | undefined {
  const v = p[field];
  if (v === undefined) return undefined;
  return typeof v === "bigint" ? v : wrong(field, "int", v);
}

/** `undefined` when `n` is in [min, max], else the reason, e.g. `length must be in 1..65535, got 0`. */
export function intRange(field: string, n: bigint, min: bigint, max: bigint): string | undefined {
  return n < min || n > max ? `${field} must be in ${min}..${max}, got ${n}` : undefined;
}

export function strListField(p: Params, field: string): readonly string[] | undefined {
  const v = p[field];
  if (v === undefined) return undefined;
  if (!isList(v)) return wrong(field, "[]str", v);
  return v.map((x) => (typeof x === "string" ? x : wrong(field, "[]str", x)));
}

export function strMapField(p: Params, field: string): ReadonlyMap<string, string> {
  const v = p[field];
  if (v === undefined) return new Map();
  if (!isMap(v)) return wrong(field, "map{str: str}", v);
  const out = new Map<string, string>();
  for (const [k, x] of v) out.set(typeof k === "string" ? k : wrong(field, "map{str: str}", k), typeof x === "string" ? x : wrong(field, "map{str: str}", x));
  return out;
}

/**
 * The params with every value received along send/recv edges laid over them (§2.4): the engine
 * hands received values to the resource through `ctx.recv()`, and recvable kinds re-derive their
 * typed fields from this before each `checkApply`.
 */
export function withReceived(base: Params, ctx: ResourceContext | undefined): Params {
  const recv = ctx?.recv();
  if (!recv || recv.size === 0) return base;
  const out: Record<string, Value> = { ...base };
  for (const [field, r] of recv) out[field] = r.value;
  return out;
}

/**
 * Resolve when `p` settles, or reject when `signal` aborts, whichever comes first; `p` itself goes
 * on. The rejection is `reason` when given (e.g. "aborted (the apt transaction finishes in the
 * background)"), else the signal's reason.
 */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal, reason?: string): Promise<T> {
  const why = (): Error => (reason === undefined ? abortReason(signal) : new Error(reason));
  if (signal.aborted) return Promise.reject(why());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(why());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Wait `ms`, rejecting early when `signal` (if any) aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((r) => (timer = setTimeout(r, ms)));
  return signal === undefined ? done : raceAbort(done, signal).finally(() => clearTimeout(timer));
}

function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error("aborted");
}

/** A watch that only reports the startup event (kinds with nothing on the machine to watch). */
export async function startupOnlyWatch(sink: { event(): void }): Promise<() => void> {
  sink.event();
  return () => {};
}
