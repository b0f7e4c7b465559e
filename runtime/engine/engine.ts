/**
 * The resource engine (engine-reference.md §4): runs a resource graph, one {@link Worker} per
 * vertex, and swaps in each new graph touching only what changed. `steward run` drives it:
 *
 * ```ts
 * const engine = new Engine({ hostname, world, stateDir, noop: false, autoedges: true, autogroup: true });
 * engine.events$.subscribe(log);
 * graphs$.subscribe((g) => engine.apply(g).catch(report)); // a rejected graph leaves the old one running
 * engine.convergedFor(5000).subscribe((c) => c && exit(0));
 * ```
 *
 * A swap (§4.7): prepare the new graph (swap.ts: autoedges, autogroup, reversals, DAG check) and
 * create + validate the resources of new or changed vertices — any failure rejects and nothing
 * was touched; wait for `Meta:realize` vertices that would go; close the gate (no new Process
 * starts); stop and clean up removed/replaced vertices (all removals before any addition); rewire
 * the edges of the kept ones; init the added ones; start their watches in reverse topological
 * order; open the gate. Kept vertices are never paused, stopped or re-checked by a swap. The cost
 * is O(graph) map lookups plus work proportional to the change (autoedge answers are cached by
 * vertex key).
 */
import { Observable, Subject } from "rxjs";
import { vertexName, type ResourceGraph, type Vertex } from "../../lang/resource-graph.js";
import type { World } from "../world/world.js";
import type { AutoEdgeCache } from "./autoedge.js";
import { Converger } from "./converger.js";
import type { EngineEvent, TraceEvent } from "./events.js";
import { metaProblem, Semaphores } from "./metaparams.js";
import type { PlanEdge, PlanGraph, PlanVertex } from "./plan-graph.js";
import { getKindImpl, loadKinds, type KindImpl, type Resource } from "./resource.js";
import { deleteReversal, loadReversals, saveReversal } from "./reverse.js";
import { fastDiff, planGraph, type Reversal } from "./swap.js";
import { INTERRUPT_GRACE_MS, Worker, type WorkerHost } from "./worker.js";
import { Exporter } from "./exporter.js";

/** How long a swap lets the in-flight checkApply of a removed or replaced vertex finish before aborting it. */
const REMOVE_DRAIN_MS = 10_000;

export type { EngineEvent, TraceEvent } from "./events.js";

export interface EngineOptions {
  readonly hostname: string;
  readonly world: World;
  readonly stateDir: string;
  /** global --noop */
  readonly noop: boolean;
  /** --sema N: at most N checkApply running at once, globally (0/undefined = unlimited) */
  readonly sema?: number;
  readonly autoedges: boolean;
  readonly autogroup: boolean;
  readonly dbusAddress?: string;
  /** Override of how long a swap waits for in-flight runs of removed vertices (default 10 s; tests use less). */
  readonly removeDrainMs?: number;
  /** Scheduling trace for tests and debugging (not part of the event stream). */
  readonly trace?: (e: TraceEvent) => void;
  /**
   * Every event, as a plain call before `events$` sees it: `steward run`'s reporter. A one-shot run
   * of 1,000 vertices makes 5,000 events, and an rxjs Subject's delivery (error context, observer
   * wrappers) was a visible part of it; `events$` is delivered to only when subscribed.
   */
  readonly onEvent?: (e: EngineEvent) => void;
}

/** The running graph as the engine sees it (after autoedges, grouping and reversals), e.g. for `--graphviz`. */
export interface RunningGraph {
  readonly vertices: readonly { readonly id: string; readonly kind: string; readonly name: string; readonly members: readonly Vertex[]; readonly hidden: boolean; readonly reversal: boolean; readonly failed?: string }[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly notify: boolean; readonly auto: boolean; readonly sendrecv: readonly { send: string; recv: string }[] }[];
}

export class Engine {
  readonly #opts: EngineOptions;
  readonly #events = new Subject<EngineEvent>();
  readonly events$: Observable<EngineEvent> = this.#events.asObservable();
  readonly #workers = new Map<string, Worker>();
  #plan: PlanGraph | undefined;
  #order: readonly string[] = [];
  #orderIndex: Map<string, number> | undefined;
  #prevInput: ResourceGraph | undefined;
  /** Bumped whenever the pending reversals change; the fast path needs the set the plan was built with. */
  #reversalsVersion = 0;
  #plannedReversals = -1;
  readonly #deadRewatch = new Set<Worker>();
  #aeCache: AutoEdgeCache = new Map();
  readonly #reversals: Map<string, Reversal>;
  readonly #converger = new Converger();
  readonly #host: WorkerHost;
  #gate = false;
  readonly #deferred = new Set<Worker>();
  #stamp = 0;
  #chain: Promise<void> = Promise.resolve();
  #closing = false;
  #shutdown: Promise<void> | undefined;
  readonly #settledWaiters = new Set<() => void>();
  /** Meta:export: written after each swap, pruned to the running graph (exporter.ts) */
  readonly #exporter: Exporter;

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.#reversals = loadReversals(opts.stateDir);
    this.#exporter = new Exporter(opts.world, (level, message) => this.#emit({ event: "log", vertex: "Meta:export", level, message }));
    const self = this;
    this.#host = {
      hostname: opts.hostname,
      world: opts.world,
      stateDir: opts.stateDir,
      dbusAddress: opts.dbusAddress,
      semas: new Semaphores(),
      converger: this.#converger,
      refreshPending: new Map(),
      retries: new Map(),
      emit: (e) => this.#emit(e),
      trace: opts.trace,
      worker: (id) => this.#workers.get(id),
      gateOpen: () => this.#gate,
      defer: (w) => this.#deferred.add(w),
      nextStamp: () => ++this.#stamp,
      failed: (w) => {
        if (w.meta.rewatch) this.#deadRewatch.add(w);
      },
      settled: () => {
        for (const f of [...self.#settledWaiters]) f();
      },
      exportReceived: (w) => this.#exporter.received(w.plan.vertex, w.recv),
      reversalDone: (w) => {
        if (this.#reversals.delete(w.id)) {
          this.#reversalsVersion++;
          deleteReversal(opts.stateDir, w.kind, w.name);
        }
      },
    };
  }

  /**
   * Swap in a new graph (the first call starts the engine). Resolves when the new graph is
   * running; rejects (and the old graph keeps running untouched) when the new graph can't be
   * built: cycle, unknown kind, invalid params or metaparams, autoedge/autogroup failure.
   * Calls are serialised.
   */
  apply(graph: ResourceGraph): Promise<void> {
    const p = this.#chain.then(() => this.#swap(graph));
    this.#chain = p.catch(() => {});
    return p;
  }

  /** Emits `true` once every vertex has been converged (idle) for `timeoutMs`, `false` when that stops being so (transitions only). Also echoed as `converged` events. */
  convergedFor(timeoutMs: number): Observable<boolean> {
    const inner = this.#converger.convergedFor(timeoutMs);
    return new Observable<boolean>((sub) => {
      const s = inner.subscribe({
        next: (c) => {
          this.#emit({ event: "converged", converged: c });
          sub.next(c);
        },
        complete: () => sub.complete(),
      });
      return () => s.unsubscribe();
    });
  }

  /** The running graph (after autoedges, grouping and reversals). */
  runningGraph(): RunningGraph {
    const g = this.#plan;
    if (!g) return { vertices: [], edges: [] };
    const vertices = [...g.vertices.values()].map((v) => {
      const f = this.#workers.get(v.id)?.failed;
      return { id: v.id, kind: v.kind, name: v.name, members: v.members, hidden: v.hidden, reversal: v.reversal, ...(f ? { failed: f.message } : {}) };
    });
    const edges = [...g.out.values()].flatMap((m) => [...m.values()].map((e) => ({ from: e.from, to: e.to, notify: e.notify, auto: e.auto === true, sendrecv: e.pairs })));
    return { vertices, edges };
  }

  /**
   * Stop: cancel in-flight checkApply (AbortSignal), stop watches, clean up every resource.
   * Resolves within about a second even when a resource ignores its signal. `force`: don't wait.
   */
  shutdown(force = false): Promise<void> {
    if (this.#shutdown) return force ? Promise.resolve() : this.#shutdown;
    this.#closing = true;
    this.#gate = false;
    this.#exporter.close();
    for (const f of [...this.#settledWaiters]) f();
    const ws = [...this.#workers.values()];
    for (const w of ws) w.stop(true);
    if (force) for (const w of ws) w.interruptNow();
    this.#converger.stop();
    const done = (async () => {
      await Promise.all(ws.map((w) => w.drained()));
      // a checkApply that ignores its signal is interrupted before its resource is cleaned up
      await Promise.all(ws.map((w) => w.settleOrInterrupt(INTERRUPT_GRACE_MS)));
      await Promise.all(ws.map((w) => w.cleanup()));
    })();
    const deadline = new Promise<void>((r) => setTimeout(r, 900).unref());
    this.#shutdown = Promise.race([done, deadline]).then(() => {
      this.#workers.clear();
      this.#events.complete();
    });
    return force ? Promise.resolve() : this.#shutdown;
  }

  // ---------------------------------------------------------------------------------------------

  #emit(e: EngineEvent): void {
    this.#opts.onEvent?.(e);
    if (this.#events.observed) this.#events.next(e);
  }

  /** Load the implementations of the graph's kinds and of the pending reversals' (lazily registered kinds: see registerKindLoader). */
  async #loadKinds(rg: ResourceGraph): Promise<void> {
    const names = new Set<string>();
    for (const v of rg.vertices) names.add(v.kind);
    for (const r of this.#reversals.values()) names.add(r.kind);
    await loadKinds(names);
  }

  async #swap(rg: ResourceGraph): Promise<void> {
    if (this.#closing) throw new Error("engine is shut down");
    await this.#loadKinds(rg);
    const t0 = performance.now();

    // 1. prepare: the fast path when only some vertices changed in place, else the full plan
    let g: PlanGraph;
    let order: readonly string[];
    let full: { autoedgeCache: AutoEdgeCache } | undefined;
    const added: PlanVertex[] = [];
    const replaced: string[] = [];
    const removed: string[] = [];
    let kept = 0;
    const fast =
      this.#plan && this.#reversalsVersion === this.#plannedReversals && !this.#hasDeadRewatch()
        ? fastDiff(this.#prevInput, rg, this.#plan, this.#opts, this.#aeCache)
        : undefined;
    if (fast) {
      g = this.#plan!;
      order = this.#order;
      for (const pv of fast) {
        added.push(pv);
        replaced.push(pv.id);
      }
      kept = g.vertices.size - fast.length;
    } else {
      const plan = planGraph(rg, this.#opts, this.#aeCache, this.#reversals);
      g = plan.graph;
      order = plan.order;
      full = plan;
      for (const [id, pv] of g.vertices) {
        const old = this.#workers.get(id);
        if (old && old.key === pv.key && !(old.failed && old.meta.rewatch)) kept++;
        else {
          added.push(pv);
          if (old) replaced.push(id);
        }
      }
      for (const id of this.#workers.keys()) if (!g.vertices.has(id)) removed.push(id);
    }

    // 2. create and validate the new resources before touching anything
    const problems: string[] = [];
    const fresh: { pv: PlanVertex; impl: KindImpl | undefined; res: Resource | undefined }[] = [];
    for (const pv of added) {
      const r = this.#create(pv);
      if (typeof r === "string") problems.push(`${pv.id}: ${r}`);
      else fresh.push({ pv, ...r });
    }
    if (problems.length > 0) throw new Error(problems.join("; "));

    // 3. Meta:realize: a vertex that would go stays until it has applied since its last event
    const going = [...removed, ...replaced].map((id) => this.#workers.get(id)!);
    await this.#waitRealized(going.filter((w) => w.meta.realize));
    if (this.#closing) throw new Error("engine is shut down");

    // 4. pause (no new Process starts); all removals before any addition
    this.#gate = false;
    this.#converger.pause();
    for (const w of going) w.stop(false);
    await this.#drain(going);
    await Promise.all(going.map((w) => w.cleanup()));
    for (const w of going) this.#workers.delete(w.id);

    // 5. additions and rewiring (kept vertices keep their state, watches and stamps)
    const newWorkers: Worker[] = [];
    const goingById = new Map(going.map((w) => [w.id, w]));
    for (const { pv, impl, res } of fresh) {
      const prev = goingById.get(pv.id);
      const w = new Worker(this.#host, pv, impl, res);
      if (prev) for (const [k, r] of prev.recv) w.recv.set(k, { value: r.value, changed: false });
      this.#workers.set(pv.id, w);
      newWorkers.push(w);
    }
    const empty: ReadonlyMap<string, PlanEdge> = new Map();
    const rewire = (w: Worker): void => {
      w.inEdges = g.in.get(w.id) ?? empty;
      w.outEdges = g.out.get(w.id) ?? empty;
    };
    if (full) {
      for (const w of this.#workers.values()) rewire(w);
      const rp = this.#host.refreshPending;
      for (const k of [...rp.keys()]) {
        const [from, to] = k.split("\0") as [string, string];
        if (!g.out.get(from)?.get(to)?.notify) rp.delete(k);
      }
      for (const id of this.#host.retries.keys()) if (!g.vertices.has(id)) this.#host.retries.delete(id);
      for (const v of g.vertices.values()) this.#dropReversal(v);
      this.#plan = g;
      this.#order = order;
      this.#orderIndex = undefined;
      this.#aeCache = full.autoedgeCache;
      this.#plannedReversals = this.#reversalsVersion;
    } else {
      for (const w of newWorkers) {
        g.vertices.set(w.id, w.plan);
        rewire(w);
        this.#dropReversal(w.plan);
      }
    }
    this.#prevInput = rg;
    const inits: Promise<void>[] = [];
    for (const w of newWorkers) {
      const p = this.#initWorker(w);
      if (p) inits.push(p);
    }
    if (inits.length > 0) await Promise.all(inits);

    // 6. resume: new watches in reverse topological order, then let work flow
    if (newWorkers.length > 0) {
      if (!this.#orderIndex) this.#orderIndex = new Map(order.map((id, i) => [id, i]));
      const idx = this.#orderIndex;
      newWorkers.sort((a, b) => idx.get(b.id)! - idx.get(a.id)!);
      for (const w of newWorkers) w.startWatch();
    }
    if (this.#closing) return;
    this.#gate = true;
    const deferred = [...this.#deferred];
    this.#deferred.clear();
    for (const w of deferred) w.kick();
    this.#converger.resume(added.length > 0 || removed.length > 0);
    const replacedSet = new Set(replaced);
    this.#emit({
      event: "swap",
      added: added.filter((v) => !replacedSet.has(v.id)).map((v) => v.id),
      removed,
      replaced,
      kept,
      ms: Math.round((performance.now() - t0) * 1000) / 1000,
    });
    this.#exporter.sync(rg.vertices, this.#opts.noop);
  }

  /** A vertex present without Meta:reverse cancels its pending reversal. */
  #dropReversal(v: PlanVertex): void {
    if (!v.reversal && !v.meta.reverse && this.#reversals.delete(v.id)) {
      this.#reversalsVersion++;
      this.#plannedReversals = this.#reversalsVersion;
      deleteReversal(this.#opts.stateDir, v.kind, v.name);
    }
  }

  #hasDeadRewatch(): boolean {
    for (const w of this.#deadRewatch) if (this.#workers.get(w.id) === w) return true;
    this.#deadRewatch.clear();
    return false;
  }

  /** Init `w`, then capture its reversal (Meta:reverse); undefined when all of it finished synchronously. */
  #initWorker(w: Worker): Promise<void> | undefined {
    const p = w.init();
    if (!w.meta.reverse) return p; // nothing else to do, and most vertices are here
    return (async () => {
      await p;
      await this.#captureReversal(w);
    })();
  }

  async #captureReversal(w: Worker): Promise<void> {
    const impl = getKindImpl(w.kind);
    const res = w.resource;
    if (w.failed || !res || !w.meta.reverse || !impl?.reversible || !res.reversal || this.#reversals.has(w.id)) return;
    try {
      const r = await res.reversal();
      if (!r) return;
      const rev: Reversal = { kind: w.kind, name: w.name, params: r.params };
      this.#reversals.set(w.id, rev);
      this.#reversalsVersion++;
      saveReversal(this.#opts.stateDir, rev);
    } catch (e) {
      this.#emit({ event: "error", vertex: w.id, message: `reversal: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Build the resource of a new vertex; a reason when it can't be built or is invalid. */
  #create(pv: PlanVertex): { impl: KindImpl | undefined; res: Resource | undefined } | string {
    if (pv.name === "") return "empty name";
    if (pv.name.startsWith("$") && !pv.vertex.meta.dollar) return "name starts with `$` (set Meta:dollar to allow it)";
    const mp = metaProblem(pv.meta);
    if (mp) return mp;
    const impl = getKindImpl(pv.kind);
    if (pv.hidden) return { impl, res: undefined };
    if (!impl) return `unknown resource kind \`${pv.kind}\``;
    let res: Resource;
    try {
      if (pv.members.length > 1) {
        if (!impl.createGroup) return "kind can't group";
        res = impl.createGroup(pv.members.map((m) => ({ name: m.name, params: m.params })));
      } else res = impl.create(pv.name, pv.vertex.params);
      const p = res.validate();
      if (p !== undefined) return `invalid: ${p}`;
    } catch (e) {
      return `invalid: ${e instanceof Error ? e.message : String(e)}`;
    }
    return { impl, res };
  }

  /**
   * In-flight runs of vertices that go may finish (as in mgmt: a package transaction is not cut
   * short by an edit of the program), but only for `removeDrainMs`: then they are aborted and,
   * past the grace, interrupted, so a hung checkApply can't block every later swap.
   */
  async #drain(going: readonly Worker[]): Promise<void> {
    const all = Promise.all(going.map((w) => w.drained()));
    let t: NodeJS.Timeout | undefined;
    const drained = await Promise.race([all.then(() => true), new Promise<boolean>((r) => (t = setTimeout(() => r(false), this.#opts.removeDrainMs ?? REMOVE_DRAIN_MS)))]);
    clearTimeout(t);
    if (drained) return;
    for (const w of going) if (w.busy) w.cancelRun("vertex removed while its checkApply ran");
    await all;
    await Promise.all(going.map((w) => w.settleOrInterrupt(INTERRUPT_GRACE_MS)));
  }

  #waitRealized(ws: readonly Worker[]): Promise<void> {
    const pending = () => !this.#closing && ws.some((w) => !w.realized && !w.failed && !w.removed);
    if (!pending()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (pending()) return;
        this.#settledWaiters.delete(check);
        resolve();
      };
      this.#settledWaiters.add(check);
    });
  }
}

/** `kind[name]` of a graph vertex (re-exported for callers matching events to vertices). */
export { vertexName };
