/**
 * Metaparameter machinery (engine-reference.md §3): validation, the `limit`/`burst` token bucket,
 * the `sema` counting semaphores and the `timeout` race. The per-vertex use of each lives in
 * worker.ts.
 */
import type { Meta } from "../../lang/resource-graph.js";

/** engine.Validate's metaparam rules; a reason or undefined. */
export function metaProblem(m: Meta): string | undefined {
  if (m.limit !== Infinity && !(m.burst > 0)) return "Meta:burst must be greater than zero when Meta:limit is not +Inf";
  if (m.limit < 0 || Number.isNaN(m.limit)) return "Meta:limit must not be negative";
  if (m.retry < -1) return "Meta:retry must be -1 (forever) or more";
  for (const s of m.sema) {
    const p = parseSema(s);
    if (typeof p === "string") return `Meta:sema: ${p}`;
  }
  return undefined;
}

/** `id` → count 1; `id:N` → count N (N > 0). A bare integer is invalid (mgmt: engine/semaphore). */
export function parseSema(s: string): { id: string; count: number } | string {
  if (s === "") return "empty entry";
  if (/^\d+$/.test(s)) return `\`${s}\` is a bare number (want \`id\` or \`id:N\`)`;
  const i = s.lastIndexOf(":");
  if (i < 0) return { id: s, count: 1 };
  const n = s.slice(i + 1);
  if (!/^\d+$/.test(n) || Number(n) <= 0) return `\`${s}\`: the count must be a positive integer`;
  return { id: s, count: Number(n) };
}

/**
 * A token bucket (golang.org/x/time/rate semantics): `rate` tokens per second, at most `burst`
 * stored, starting full. `reserve()` takes one token and returns how many ms to wait before the
 * reserved action may happen (0 when a token was available).
 */
export class TokenBucket {
  #tokens: number;
  #last: number;
  constructor(
    readonly rate: number,
    readonly burst: number,
    now = performance.now(),
  ) {
    this.#tokens = burst;
    this.#last = now;
  }
  reserve(now = performance.now()): number {
    if (this.rate === Infinity) return 0;
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate);
    this.#last = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return 0;
    return this.rate <= 0 ? Infinity : (-this.#tokens / this.rate) * 1000;
  }
}

/** One counting semaphore; waiters are served in FIFO order. */
class Semaphore {
  #free: number;
  readonly #queue: (() => void)[] = [];
  constructor(count: number) {
    this.#free = count;
  }
  acquire(): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free--;
      return undefined;
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }
  release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#free++;
  }
}

/**
 * The engine-wide semaphore table (`Meta:sema`). Entries are keyed by their full text (`"net:2"`),
 * as mgmt does; a vertex acquires its entries in sorted order, which keeps a DAG deadlock-free.
 */
export class Semaphores {
  readonly #table = new Map<string, Semaphore>();

  /** Acquire every entry (sorted); resolves to the release function. Invalid entries are skipped (validation rejects them earlier). */
  async acquire(entries: readonly string[]): Promise<() => void> {
    if (entries.length === 0) return () => {};
    const held: Semaphore[] = [];
    for (const e of [...new Set(entries)].sort()) {
      const p = parseSema(e);
      if (typeof p === "string") continue;
      let s = this.#table.get(p.id);
      if (!s) this.#table.set(p.id, (s = new Semaphore(p.count)));
      const wait = s.acquire();
      if (wait) await wait;
      held.push(s);
    }
    return () => {
      for (const s of held.reverse()) s.release();
    };
  }
}

/** Thrown when Meta:timeout expired or the engine interrupted a checkApply. */
export class AbortedError extends Error {}

/**
 * The cancellation of one checkApply: the AbortSignal handed to the resource, and the engine's
 * race against it. `race(work)` resolves/rejects with `work`, or rejects with the abort reason as
 * soon as `abort()` is called, even when the resource ignores its signal (a hung checkApply must
 * not hang the engine); a late settlement of `work` is swallowed. The race is a plain callback,
 * not an EventTarget listener: adding and removing one per checkApply was a visible part of a
 * 1,000-vertex run (issue 4 §5).
 */
export class RunAbort {
  readonly #ac = new AbortController();
  #onAbort: (() => void) | undefined;

  get signal(): AbortSignal {
    return this.#ac.signal;
  }

  abort(reason: Error): void {
    if (this.#ac.signal.aborted) return;
    this.#ac.abort(reason);
    const f = this.#onAbort;
    this.#onAbort = undefined;
    f?.();
  }

  /** Race `work` against {@link abort}; `aborted` runs when the abort wins. */
  race<T>(work: Promise<T>, aborted?: () => void): Promise<T> {
    const lost = (): Error => {
      aborted?.();
      work.catch(() => {});
      const r: unknown = this.#ac.signal.reason;
      return r instanceof Error ? r : new AbortedError(String(r));
    };
    if (this.#ac.signal.aborted) return Promise.reject(lost());
    return new Promise<T>((resolve, reject) => {
      this.#onAbort = () => reject(lost());
      work.then(
        (v) => {
          this.#onAbort = undefined;
          resolve(v);
        },
        (e: unknown) => {
          this.#onAbort = undefined;
          reject(e);
        },
      );
    });
  }
}
