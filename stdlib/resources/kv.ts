/**
 * `kv` (engine-reference.md §10; mgmt engine/resources/kv.go): a key in the World's string store.
 * Recvable (`value` usually arrives along a send/recv edge) and refreshable.
 *
 * - `key` (default: the resource name); `value` set → the key holds it, unset → the key is deleted.
 * - `mapped => true`: this host's entry of the per-host map `key` (what `world.kvlookup(key)`
 *   reads) instead of the global key (what `world.getval(key)` reads).
 * - `skiplessthan => true`: a stored value ≥ the desired one is accepted as is (a high-water mark);
 *   `skipcmpstyle` picks the order: 0 = integers (both sides must parse), 1 = strings
 *   (lexicographic). A pending refresh forces the exact value.
 * - Watch follows the key in the World, so a foreign write is noticed and corrected.
 * - Each checkApply is bounded by 5 s (mgmt's timeout) on top of the engine's signal.
 */
import { firstValueFrom, map, type Observable } from "rxjs";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import type { World } from "../../runtime/world/world.js";
import { boolField, intField, optStrField, raceAbort, strField, withReceived, type Params } from "./param-fields.js";

const CHECKAPPLY_TIMEOUT_MS = 5000;

interface KvFields {
  readonly key: string;
  readonly value: string | undefined;
  readonly mapped: boolean;
  readonly skipLessThan: boolean;
  readonly skipCmpStyle: bigint;
}

function parseFields(name: string, p: Params): KvFields {
  return {
    key: strField(p, "key", name),
    value: optStrField(p, "value"),
    mapped: boolField(p, "mapped"),
    skipLessThan: boolField(p, "skiplessthan"),
    skipCmpStyle: intField(p, "skipcmpstyle", 0n),
  };
}

function validateFields(f: KvFields): string | undefined {
  if (f.key === "") return "key must not be empty";
  if (f.skipCmpStyle !== 0n && f.skipCmpStyle !== 1n) return `skipcmpstyle must be 0 (int) or 1 (string), got ${f.skipCmpStyle}`;
  if (f.skipLessThan && f.skipCmpStyle === 0n && f.value !== undefined && parseIntStrict(f.value) === undefined) {
    return `value ${JSON.stringify(f.value)} is not an integer (skipcmpstyle 0)`;
  }
  return undefined;
}

function parseIntStrict(s: string): bigint | undefined {
  return /^[+-]?\d+$/.test(s.trim()) ? BigInt(s.trim()) : undefined;
}

/** true when `stored` ≥ `want` in the chosen order; throws when an int comparison can't parse `stored`. */
function atLeast(stored: string, want: string, style: bigint): boolean {
  if (style === 1n) return stored >= want;
  const a = parseIntStrict(stored);
  const b = parseIntStrict(want);
  if (a === undefined) throw new Error(`stored value ${JSON.stringify(stored)} is not an integer (skipcmpstyle 0)`);
  if (b === undefined) throw new Error(`value ${JSON.stringify(want)} is not an integer (skipcmpstyle 0)`);
  return a >= b;
}

export class KvResource implements Resource {
  readonly #base: Params;
  #f: KvFields;
  #ctx: ResourceContext | undefined;

  constructor(
    readonly name: string,
    params: Params,
  ) {
    this.#base = params;
    this.#f = parseFields(name, params);
  }

  get fields(): KvFields {
    return this.#f;
  }

  /** Also re-run by the engine after send/recv changed a field, so it reads the received values. */
  validate(): string | undefined {
    this.#f = parseFields(this.name, withReceived(this.#base, this.#ctx));
    return validateFields(this.#f);
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  #world(): World {
    if (!this.#ctx) throw new Error("kv: used before init");
    return this.#ctx.world;
  }

  /** The stored value now and after each change (this host's entry when mapped). */
  #watch$(): Observable<string | undefined> {
    const w = this.#world();
    const f = this.#f;
    return f.mapped ? w.watchHostValues(f.key).pipe(map((m) => m.get(w.hostname))) : w.watch(f.key);
  }

  async watch(sink: WatchSink): Promise<() => void> {
    // World watches emit the current state on subscribe: that first emission is the startup event.
    const sub = this.#watch$().subscribe({ next: () => sink.event(), error: (e: unknown) => sink.error(e instanceof Error ? e : new Error(String(e))) });
    return () => sub.unsubscribe();
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const ctx = this.#ctx;
    if (!ctx) throw new Error("kv: checkApply before init");
    const bad = this.validate();
    if (bad !== undefined) throw new Error(bad);
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(CHECKAPPLY_TIMEOUT_MS)]);
    return raceAbort(this.#checkApply(ctx, apply), bounded);
  }

  async #checkApply(ctx: ResourceContext, apply: boolean): Promise<boolean> {
    const f = this.#f;
    const w = this.#world();
    const refresh = ctx.refresh();
    const stored = f.mapped ? (await firstValueFrom(w.watchHostValues(f.key))).get(w.hostname) : await w.get(f.key);

    if (f.value === undefined) {
      if (stored === undefined) return true;
      if (!apply) return false;
      await (f.mapped ? w.deleteHostValue(f.key) : w.delete(f.key));
      ctx.log.info(`deleted key ${JSON.stringify(f.key)}`);
      return false;
    }
    if (stored === f.value) return true;
    if (stored !== undefined && f.skipLessThan && !refresh && atLeast(stored, f.value, f.skipCmpStyle)) return true;
    if (!apply) return false;
    await (f.mapped ? w.setHostValue(f.key, f.value) : w.set(f.key, f.value));
    ctx.log.info(`set key ${JSON.stringify(f.key)} to ${JSON.stringify(f.value)}${stored === undefined ? "" : ` (was ${JSON.stringify(stored)})`}`);
    return false;
  }

  async cleanup(): Promise<void> {}
}

export const kvKind: KindImpl = {
  kind: "kv",
  create: (name, params) => new KvResource(name, params),
  refreshable: true,
  recvable: true,
};

registerKind(kvKind);
