/**
 * One worker per vertex (engine-reference.md §4.3–§4.5): the vertex's watch, its event handling,
 * and its Process runs (send/recv → refresh → checkApply or a cached skip → stamp → wake
 * children), with the metaparams that shape them (retry, delay, timeout, poll, limit/burst,
 * sema, noop, hidden, realize).
 *
 * Ordering is mgmt's timestamp rule with an explicit wake-up list: a vertex runs only when every
 * parent has a newer stamp (ran more recently) than it; otherwise it asks the stale parents to
 * re-run ("backpoke", cheap when they are clean) and waits to be woken by them. After a run, a
 * vertex wakes every child if it ran checkApply (the wave continues downwards) and otherwise only
 * the children that were waiting for it. Unlike mgmt, a parent always wakes its children after a
 * real run, so a child shared by two roots is re-checked when either root has an event (the
 * reference leaves it unpoked; see docs/engine.md).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Meta } from "../../lang/resource-graph.js";
import { valueEquals, type Value } from "../../lang/values.js";
import type { World } from "../world/world.js";
import type { EngineEvent, TraceEvent } from "./events.js";
import { AbortedError, RunAbort, TokenBucket, type Semaphores } from "./metaparams.js";
import type { PlanEdge, PlanVertex } from "./plan-graph.js";
import type { KindImpl, Resource, ResourceContext, ResourceLog } from "./resource.js";
import { resourceStateDir } from "./reverse.js";
import type { Converger } from "./converger.js";

/** What a worker needs from its engine. */
export interface WorkerHost {
  readonly hostname: string;
  readonly world: World;
  readonly stateDir: string;
  readonly dbusAddress: string | undefined;
  readonly semas: Semaphores;
  readonly converger: Converger;
  /** Pending refreshes, by edge `from\0to` → the stamp that set it; survive swaps while the edge exists. */
  readonly refreshPending: Map<string, number>;
  /** Persisted CheckApply retry counters by vertex id (survive swaps; `Meta:reset` reinitialises). */
  readonly retries: Map<string, number>;
  emit(e: EngineEvent): void;
  /** Scheduling trace for tests; undefined when nobody listens (no record is built then). */
  readonly trace: ((e: TraceEvent) => void) | undefined;
  worker(id: string): Worker | undefined;
  /** False while a swap or shutdown is in progress: no new Process starts. */
  gateOpen(): boolean;
  /** Remember a worker to kick when the gate opens. */
  defer(w: Worker): void;
  nextStamp(): number;
  /** A worker died permanently. */
  failed(w: Worker): void;
  /** A worker became realized, failed or changed state in a way a waiting swap cares about. */
  settled(): void;
  /** A reversal vertex applied successfully: its pending reversal is done. */
  reversalDone(w: Worker): void;
  /**
   * An exported vertex received new values along send/recv (engine-reference §2.10: re-exported
   * in the run where a recv field changed). True when that changes what is exported.
   */
  exportReceived(w: Worker): boolean;
}

/** The interrupt reason used for removals, watch restarts and shutdown (not counted as failures). */
class Interrupt extends AbortedError {}
class TimeoutError extends Error {}

/**
 * How long a checkApply whose signal was aborted may take to notice it before the engine calls the
 * resource's `interrupt()` (the interruptable trait). Short: the engine has already moved on (see
 * RunAbort), this only bounds how long the resource's own work (a child process…) outlives it.
 */
export const INTERRUPT_GRACE_MS = 200;

// Shared abort reasons: building an Error per vertex (its stack trace) was a visible part of
// stopping 1,000 vertices; nobody reads these stacks.
const REMOVED = new Interrupt("vertex removed");
const NO_RELEASE = (): void => {};
const INTERRUPTED = new Interrupt("interrupted");

export class Worker {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly key: string;
  readonly meta: Meta;
  readonly hidden: boolean;
  readonly reversal: boolean;
  readonly plan: PlanVertex;
  /** Incoming edges by parent id, and child ids; replaced on every swap. */
  inEdges: ReadonlyMap<string, PlanEdge> = new Map();
  outEdges: ReadonlyMap<string, PlanEdge> = new Map();

  /** Global order of the last successful Process (0: never). */
  stamp = 0;
  started = false;
  dirty = true;
  pending = false;
  running = false;
  eventQueued = false;
  /** The uncounted re-run of a checkApply that failed while its watch reported a change is spent. */
  #racedRetryUsed = false;
  blocked = false;
  removed = false;
  failed: Error | undefined;
  /** Ran successfully (checkApply or a clean skip) since its last event: `Meta:realize`. */
  realized = false;
  /** noop: checked since the last event (counts as converged). */
  checked = false;
  notBefore = 0;
  /** Values received along send/recv edges, by receiving field. */
  recv = new Map<string, { value: Value; changed: boolean }>();
  sent: Readonly<Record<string, Value>> | undefined;

  readonly #host: WorkerHost;
  readonly #impl: KindImpl | undefined;
  readonly #res: Resource | undefined;
  /** Created on first use of the context's `signal` (most kinds never read it; 1,000 controllers and their aborts showed in profiles). */
  #lifetime: AbortController | undefined;
  readonly #bucket: TokenBucket;
  readonly #waiters = new Set<Worker>();
  #processAbort: RunAbort | undefined;
  /** The resource's own checkApply promise (settled or not) while it runs, even past an abort. */
  #resRun: Promise<boolean> | undefined;
  #interrupted = false;
  #runDone: Promise<void> = Promise.resolve();
  #kickQueued = false;
  #timer: NodeJS.Timeout | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #watchGen = 0;
  #watchStop: (() => void) | undefined;
  #watching = false;
  #watchRetries: number;
  #refreshNow = false;
  #idle = false;
  #inited = false;

  constructor(host: WorkerHost, pv: PlanVertex, impl: KindImpl | undefined, res: Resource | undefined) {
    this.#host = host;
    this.plan = pv;
    this.id = pv.id;
    this.kind = pv.kind;
    this.name = pv.name;
    this.key = pv.key;
    this.meta = pv.meta;
    this.hidden = pv.hidden;
    this.reversal = pv.reversal;
    this.#impl = impl;
    this.#res = res;
    this.#bucket = new TokenBucket(pv.meta.limit, pv.meta.burst);
    this.#watchRetries = pv.meta.retry;
    if (!host.retries.has(this.id) || pv.meta.reset) host.retries.set(this.id, pv.meta.retry);
    host.converger.setIdle(this, false);
  }

  get resource(): Resource | undefined {
    return this.#res;
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Whether the current run is a refresh (for the context's `refresh()`). */
  get refreshing(): boolean {
    return this.#refreshNow;
  }

  /** The resource's lifetime signal: aborted once the vertex is stopped (also when first asked for after that). */
  lifetimeSignal(): AbortSignal {
    if (!this.#lifetime) {
      this.#lifetime = new AbortController();
      if (this.removed) this.#lifetime.abort(REMOVED);
    }
    return this.#lifetime.signal;
  }

  /**
   * `init` (emits `init`); a failure kills the vertex (reported) but not the swap. Undefined when
   * it finished synchronously (most kinds' init is bookkeeping: no promise for each of them).
   */
  init(): Promise<void> | undefined {
    if (!this.#res) return undefined;
    this.#host.emit({ event: "init", vertex: this.id });
    let r: void | Promise<void>;
    try {
      r = this.#res.init(new WorkerContext(this, this.#host));
    } catch (e) {
      this.#fail(asError(e), "init");
      return undefined;
    }
    if (r === undefined) {
      this.#inited = true;
      return undefined;
    }
    return r.then(
      () => void (this.#inited = true),
      (e: unknown) => this.#fail(asError(e), "init"),
    );
  }

  /** Start watching (the "resume" of a new vertex). */
  startWatch(): void {
    if (this.removed || this.failed) return;
    const gen = ++this.#watchGen;
    if (this.hidden) {
      queueMicrotask(() => gen === this.#watchGen && this.#onEvent());
      return;
    }
    this.#watching = true;
    this.#host.emit({ event: "watch-start", vertex: this.id });
    if (this.meta.poll !== 0) {
      queueMicrotask(() => gen === this.#watchGen && this.#onEvent());
      if (this.meta.poll > 0) this.#pollTimer = setInterval(() => gen === this.#watchGen && this.#onEvent(), this.meta.poll * 1000);
      return;
    }
    const res = this.#res!;
    const sink = {
      event: () => {
        if (gen === this.#watchGen) this.#onEvent();
      },
      error: (err: Error) => {
        if (gen === this.#watchGen) this.#watchFailed(err);
      },
    };
    let p: Promise<() => void>;
    try {
      p = res.watch(sink);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (stop) => {
        if (gen === this.#watchGen) this.#watchStop = stop;
        else safe(stop);
      },
      (e: unknown) => {
        if (gen === this.#watchGen) this.#watchFailed(asError(e));
      },
    );
  }

  #stopWatch(): void {
    this.#watchGen++;
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
    const stop = this.#watchStop;
    this.#watchStop = undefined;
    if (stop) safe(stop);
    if (this.#watching) {
      this.#watching = false;
      this.#host.emit({ event: "watch-stop", vertex: this.id });
    }
  }

  /** Stop for removal or shutdown: cancel the watch, timers and the resource's lifetime signal. `interrupt` also cancels an in-flight checkApply. */
  stop(interrupt: boolean): void {
    this.removed = true;
    this.#stopWatch();
    if (this.#timer) clearTimeout(this.#timer);
    this.#lifetime?.abort(REMOVED);
    if (interrupt) this.#processAbort?.abort(INTERRUPTED);
    this.#host.converger.remove(this);
  }

  /** Resolves when no Process is running (an aborted checkApply counts as finished: see RunAbort). */
  drained(): Promise<void> {
    return this.#runDone;
  }

  /** Whether a Process (not only a queued one) is in progress. */
  get busy(): boolean {
    return this.running;
  }

  /** Abort an in-flight checkApply (its signal), e.g. for a removal that could not drain in time. */
  cancelRun(reason: string): void {
    this.#processAbort?.abort(new Interrupt(reason));
  }

  /**
   * The hard stop: when the resource's checkApply is still running (it ignored its signal, or the
   * shutdown is forced), call its `interrupt()` once. Returns whether it did.
   */
  interruptNow(): boolean {
    const res = this.#res;
    if (!this.#resRun || this.#interrupted || !res?.interrupt) return false;
    this.#interrupted = true;
    this.#host.trace?.({ t: "interrupt", vertex: this.id });
    this.#host.emit({ event: "log", vertex: this.id, level: "warn", message: "checkApply interrupted" });
    safe(() => res.interrupt!());
    return true;
  }

  /** Wait up to `ms` for the resource's own checkApply to settle, then {@link interruptNow} it; resolves once it settled or `ms` more passed. */
  async settleOrInterrupt(ms: number): Promise<void> {
    const run = this.#resRun;
    if (!run) return;
    if (await settlesWithin(run, ms)) return;
    if (this.interruptNow()) await settlesWithin(run, ms);
  }

  /** The resource's cleanup (emits `cleanup`); undefined when it finished synchronously. */
  cleanup(): Promise<void> | undefined {
    if (!this.#res || !this.#inited) return undefined;
    this.#inited = false;
    const done = (): void => this.#host.emit({ event: "cleanup", vertex: this.id });
    const failed = (e: unknown): void => {
      this.#host.emit({ event: "error", vertex: this.id, message: `cleanup: ${asError(e).message}` });
      done();
    };
    let r: void | Promise<void>;
    try {
      r = this.#res.cleanup();
    } catch (e) {
      failed(e);
      return undefined;
    }
    if (r === undefined) {
      done();
      return undefined;
    }
    return r.then(done, failed);
  }

  // ---- events and scheduling ------------------------------------------------------------------

  #onEvent(): void {
    if (this.removed || this.failed) return;
    this.#host.trace?.({ t: "event", vertex: this.id });
    if (this.running) {
      this.eventQueued = true; // marked dirty when the run ends, so a finishing run can't swallow it
      return;
    }
    this.#markEvent();
  }

  #markEvent(): void {
    this.dirty = true;
    this.started = true;
    this.realized = false;
    this.checked = false;
    if (this.meta.limit !== Infinity) {
      const now = performance.now();
      if (this.notBefore <= now) this.notBefore = now + this.#bucket.reserve(now);
    }
    this.poke();
  }

  /** Ask this vertex to run (coalesced). */
  poke(): void {
    if (this.removed || this.failed) return;
    this.pending = true;
    this.#updateIdle();
    this.kick();
  }

  kick(): void {
    if (this.#kickQueued) return;
    this.#kickQueued = true;
    queueMicrotask(() => {
      this.#kickQueued = false;
      this.#tryRun();
    });
  }

  #tryRun(): void {
    if (!this.pending || this.running || this.failed || this.removed || !this.started) return;
    if (!this.#host.gateOpen()) return this.#host.defer(this);
    const wait = this.notBefore - performance.now();
    if (wait > 0) {
      if (!this.#timer)
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#tryRun();
        }, Math.ceil(wait));
      return;
    }
    this.#runDone = this.#run();
  }

  #updateIdle(): void {
    const idle =
      this.failed !== undefined ||
      this.blocked ||
      (this.started && !this.pending && !this.running && !this.eventQueued && (!this.dirty || (this.meta.noop && this.checked)));
    if (idle !== this.#idle) {
      this.#idle = idle;
      if (!this.removed) this.#host.converger.setIdle(this, idle);
    }
  }

  // ---- Process ----------------------------------------------------------------------------------

  async #run(): Promise<void> {
    const host = this.#host;
    this.pending = false;
    // The timestamp rule: every parent must have run more recently than this vertex.
    const stale: Worker[] = [];
    let blocked = false;
    for (const pid of this.inEdges.keys()) {
      const p = host.worker(pid);
      if (!p || p.stamp > this.stamp) continue;
      if (p.failed || p.blocked) blocked = true;
      else stale.push(p);
      p.#waiters.add(this);
    }
    this.blocked = blocked && stale.length === 0;
    if (blocked || stale.length > 0) {
      if (stale.length > 0) host.trace?.({ t: "backpoke", vertex: this.id, parents: stale.map((p) => p.id) });
      for (const p of stale) if (!p.running && !p.pending) p.poke();
      if (this.blocked) this.#wakeWaiters();
      this.#updateIdle();
      return;
    }

    this.running = true;
    this.#updateIdle();
    // most vertices have no Meta:sema: no promise and no microtask for them
    const release = this.meta.sema.length === 0 ? NO_RELEASE : await host.semas.acquire(this.meta.sema);
    const noop = this.meta.noop;
    let ran = false;
    let checkOK = true;
    let refresh = false;
    let err: Error | undefined;
    let ms = 0;
    let seen: Map<string, number> | undefined; // refreshes taken by this run
    try {
      if (this.removed) throw new Interrupt("vertex removed");
      // Hidden vertices receive too (§2.11): what they receive is exported.
      const exported = this.#sendRecv() && host.exportReceived(this);
      seen = this.#pendingRefresh();
      refresh = seen !== undefined;
      this.#refreshNow = refresh && this.#impl?.refreshable === true;
      if (this.hidden || (!this.dirty && !this.#refreshNow)) {
        checkOK = true;
      } else if (noop && this.#refreshNow) {
        checkOK = false;
        host.emit({ event: "checkapply", vertex: this.id, checkOK, changed: false, noop, ms: 0, refresh: true });
      } else {
        ran = true;
        const t0 = performance.now();
        try {
          // the kind's synchronous clean look first: a clean run then costs no promise, timer
          // or AbortSignal (not for a refresh, and not for kinds that send values from checkApply)
          const clean = !this.#refreshNow && this.#impl?.sends === undefined && this.#res!.isClean?.() === true;
          checkOK = clean || (await this.#checkApply(!noop));
        } finally {
          ms = performance.now() - t0;
        }
        host.emit({ event: "checkapply", vertex: this.id, checkOK, changed: !checkOK && !noop, noop, ms: round(ms), ...(this.#refreshNow ? { refresh: true } : {}) });
      }
      // A new export is a change of this run (notifications, converger), as in the reference.
      if (exported) checkOK = false;
    } catch (e) {
      err = asError(e);
    } finally {
      release();
      this.running = false;
    }
    host.trace?.({ t: "process", vertex: this.id, cached: !ran });
    if (this.removed) return;
    if (err === undefined) this.#succeeded(ran, checkOK, refresh, seen);
    else this.#errored(err);
    if (this.eventQueued) {
      this.eventQueued = false;
      this.#markEvent();
    } else if (this.pending) {
      this.kick(); // poked while running
    }
    this.#updateIdle();
  }

  async #checkApply(apply: boolean): Promise<boolean> {
    const ac = new RunAbort();
    this.#processAbort = ac;
    const t = this.meta.timeout;
    const timer = t > 0 ? setTimeout(() => ac.abort(new TimeoutError(`timeout after ${t} seconds`)), t * 1000) : undefined;
    const res = this.#res!;
    let work: Promise<boolean>;
    try {
      work = Promise.resolve(res.checkApply(apply, ac.signal));
    } catch (e) {
      work = Promise.reject(e); // a checkApply that throws before its first await
    }
    this.#resRun = work;
    this.#interrupted = false;
    let hard: NodeJS.Timeout | undefined;
    try {
      // Aborted (timeout, shutdown, watch restart, removal): the signal asks politely; a resource
      // still running after the grace gets its interrupt().
      const ok = await ac.race(work, () => (hard = setTimeout(() => this.interruptNow(), INTERRUPT_GRACE_MS)));
      if (typeof ok !== "boolean") throw new Error(`checkApply returned ${String(ok)}, want a boolean (resource programming error)`);
      return ok;
    } catch (e) {
      if (ac.signal.aborted && ac.signal.reason instanceof Error) throw ac.signal.reason;
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
      this.#processAbort = undefined;
      if (!ac.signal.aborted) this.#resRun = undefined; // the race ended with `work` settled
      else {
        // the resource's own run may outlive the abort: it stays interruptable until it settles
        const clear = (): void => {
          clearTimeout(hard);
          if (this.#resRun === work) this.#resRun = undefined;
        };
        work.then(clear, clear);
      }
    }
  }

  /** Take the values of incoming send/recv edges; true when one changed. */
  #sendRecv(): boolean {
    let changed = false;
    for (const [from, e] of this.inEdges) {
      for (const { send, recv } of e.pairs) {
        const v = this.#host.worker(from)?.sent?.[send];
        if (v === undefined) throw new Error(`received nil value from ${from}.${send}`);
        const cur = this.recv.get(recv);
        if (!cur || !valueEquals(cur.value, v)) {
          this.recv.set(recv, { value: v, changed: true });
          changed = true;
        }
      }
    }
    if (!changed) return false;
    this.dirty = true;
    this.realized = false;
    const problem = this.hidden ? undefined : this.#res?.validate();
    if (problem !== undefined) throw new Error(`invalid after send/recv: ${problem}`);
    return true;
  }

  /** The pending refreshes (undefined: none), recorded so that only those are cleared after the run. */
  #pendingRefresh(): Map<string, number> | undefined {
    let seen: Map<string, number> | undefined;
    for (const [from, e] of this.inEdges) {
      if (!e.notify) continue;
      const k = `${from}\0${this.id}`;
      const gen = this.#host.refreshPending.get(k);
      if (gen !== undefined) (seen ??= new Map()).set(k, gen);
    }
    return seen;
  }

  #succeeded(ran: boolean, checkOK: boolean, refresh: boolean, seen: ReadonlyMap<string, number> | undefined): void {
    const host = this.#host;
    const noop = this.meta.noop;
    if (ran) for (const [k, r] of this.recv) if (r.changed) this.recv.set(k, { value: r.value, changed: false });
    if (!noop) {
      this.dirty = false;
      // a refresh that arrived while this run was in flight stays pending for the next run
      if (seen) for (const [k, gen] of seen) if (host.refreshPending.get(k) === gen) host.refreshPending.delete(k);
      this.#refreshNow = false;
      if (!checkOK) {
        const gen = host.nextStamp();
        for (const [to, e] of this.outEdges) if (e.notify) host.refreshPending.set(`${this.id}\0${to}`, gen);
      }
    }
    if (this.meta.retryreset) host.retries.set(this.id, this.meta.retry);
    this.#racedRetryUsed = false;
    this.realized = true;
    this.checked = true;
    this.blocked = false;
    this.stamp = host.nextStamp();
    if (ran || refresh || !checkOK) {
      for (const c of this.outEdges.keys()) host.worker(c)?.poke();
    }
    this.#wakeWaiters();
    if (this.reversal && !noop) host.reversalDone(this);
    if (this.meta.realize) host.settled();
  }

  #wakeWaiters(): void {
    const ws = [...this.#waiters];
    this.#waiters.clear();
    for (const w of ws) if (!w.removed) w.poke();
  }

  #errored(err: Error): void {
    const host = this.#host;
    if (err instanceof Interrupt) {
      this.pending = true; // re-run after the watch's next startup event
      return;
    }
    const left = host.retries.get(this.id) ?? 0;
    host.emit({ event: "error", vertex: this.id, message: err.message, retriesLeft: left });
    // The watch reported a change while checkApply ran (e.g. the file was deleted between its
    // stat and its open): the failure may be that race, not the resource. Re-run once for the
    // new event without spending a retry; once per failure streak, so a resource whose failing
    // run triggers its own watch cannot loop.
    if (this.eventQueued && !this.#racedRetryUsed) {
      this.#racedRetryUsed = true;
      return;
    }
    if (left === 0) return this.#fail(err);
    if (left > 0) host.retries.set(this.id, left - 1);
    this.notBefore = Math.max(this.notBefore, performance.now() + this.meta.delay);
    this.poke();
  }

  #watchFailed(err: Error): void {
    if (this.removed || this.failed) return;
    this.#stopWatch();
    this.started = false;
    this.#processAbort?.abort(new Interrupt("watch restarted"));
    const left = this.#watchRetries;
    this.#host.emit({ event: "error", vertex: this.id, message: `watch failed: ${err.message}`, retriesLeft: left });
    if (left === 0) return this.#fail(err, "watch");
    if (left > 0) this.#watchRetries--;
    this.#updateIdle();
    const restart = () => {
      if (!this.removed && !this.failed) this.startWatch();
    };
    if (this.meta.delay > 0) this.#timer = setTimeout(restart, this.meta.delay);
    else queueMicrotask(restart);
  }

  /** Permanent failure: the vertex stays in the graph, dead, until a swap replaces it. */
  #fail(err: Error, what?: string): void {
    if (this.failed) return;
    this.failed = what ? new Error(`${what}: ${err.message}`) : err;
    if (what === "init") this.#host.emit({ event: "error", vertex: this.id, message: `init: ${err.message}`, retriesLeft: 0 });
    this.#stopWatch();
    this.#processAbort?.abort(new Interrupt("failed"));
    this.#wakeWaiters();
    this.#updateIdle();
    this.#host.failed(this);
    this.#host.settled();
  }
}

/** A vertex's log: `log` events of the engine's stream. */
class VertexLog implements ResourceLog {
  constructor(
    private readonly host: WorkerHost,
    private readonly vertex: string,
  ) {}
  debug(message: string): void {
    this.host.emit({ event: "log", vertex: this.vertex, level: "debug", message });
  }
  info(message: string): void {
    this.host.emit({ event: "log", vertex: this.vertex, level: "info", message });
  }
  warn(message: string): void {
    this.host.emit({ event: "log", vertex: this.vertex, level: "warn", message });
  }
}

/**
 * What a resource sees of its worker. Methods on a prototype rather than closures per vertex: a
 * one-shot run of 1,000 files allocated 1.4 MB of context closures, a visible part of its GC.
 */
class WorkerContext implements ResourceContext {
  readonly log: ResourceLog;
  readonly reverse: boolean;
  readonly dbusAddress?: string;

  constructor(
    private readonly w: Worker,
    private readonly host: WorkerHost,
  ) {
    this.log = new VertexLog(host, w.id);
    this.reverse = w.meta.reverse;
    if (host.dbusAddress !== undefined) this.dbusAddress = host.dbusAddress;
  }
  get kind(): string {
    return this.w.kind;
  }
  get name(): string {
    return this.w.name;
  }
  get hostname(): string {
    return this.host.hostname;
  }
  get world(): World {
    return this.host.world;
  }
  get stateDir(): string {
    return this.host.stateDir;
  }
  get signal(): AbortSignal {
    return this.w.lifetimeSignal();
  }
  async varDir(extra?: string): Promise<string> {
    const dir = join(resourceStateDir(this.host.stateDir, this.w.kind, this.w.name), extra ?? "");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir.endsWith("/") ? dir : `${dir}/`;
  }
  refresh(): boolean {
    return this.w.refreshing;
  }
  send(values: Readonly<Record<string, Value>>): void {
    this.w.sent = { ...values };
  }
  recv(): ReadonlyMap<string, { readonly value: Value; readonly changed: boolean }> {
    return this.w.recv;
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function safe(f: () => void): void {
  try {
    f();
  } catch {
    // a throwing stop function must not take the engine down
  }
}

/** Whether `p` settles within `ms`. */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let t: NodeJS.Timeout | undefined;
  const settled = (): boolean => true;
  return Promise.race([p.then(settled, settled), new Promise<boolean>((r) => (t = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(t));
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
