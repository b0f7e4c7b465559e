/**
 * The engine's part of `Meta:export` (engine-reference.md §2.10, §1 step 8 "Exporter.Prune"):
 * after each swap, every vertex of the new graph with a non-empty `Meta:export` is written to the
 * World for its target hosts, and whatever this host exported before that is no longer in the
 * graph is withdrawn (pruned). Hidden vertices export too (the usual pattern: export a resource
 * without applying it locally); noop vertices, and everything under `--noop`, do not.
 *
 * Only what changed is written: the World compares with what it holds, so a swap that touches one
 * exported vertex costs one write, and a graph's worth of exports lands in a few transactions. The writes run in the background and never delay
 * or fail a swap: while etcd is unreachable the latest desired set waits and is retried with
 * backoff (one report per outage), so the exports converge to the newest graph once etcd is back.
 *
 * Values a vertex receives along send/recv are part of what it exports (§2.10: "re-exports … if a
 * recv field Changed"): the worker hands them over in the run that received them (`received`), and
 * they stay in the export across swaps while the vertex stays in the graph.
 */
import { encodeExport } from "../../lang/export-codec.js";
import type { Vertex } from "../../lang/resource-graph.js";
import type { Value } from "../../lang/values.js";
import type { ExportInput, World } from "../world/world.js";

interface Desired {
  readonly input: ExportInput;
  /** identity of what is written: targets and data */
  readonly sig: string;
}

/**
 * What each vertex exports. Vertices are immutable and interpret hands the same object back for
 * a resource whose inputs did not change, so a swap that adds 200 exported vertices to 800 kept
 * ones encodes 200 (issue 6 §4: a collector's graph grows by one exporter's share per swap).
 */
const desiredOf = new WeakMap<Vertex, Desired | string>();

const exported = (v: Vertex): boolean => v.export !== undefined && v.export.length > 0 && !v.meta.noop;
const idOf = (v: Vertex): string => `${v.kind}\0${v.name}`;

/** The record of `v`, with received values over its params; or why it can't be encoded. */
function desire(v: Vertex, recv?: ReadonlyMap<string, { readonly value: Value }>): Desired | string {
  try {
    const params = recv && recv.size > 0 ? { ...v.params, ...Object.fromEntries([...recv].map(([k, r]) => [k, r.value])) } : v.params;
    const data = encodeExport(params);
    const targets = [...new Set(v.export)].sort();
    return { input: { kind: v.kind, name: v.name, data, targets }, sig: `${targets.join(",")}\0${data}` };
  } catch (e) {
    return (e as Error).message; // the reason, reported on every swap that still has it
  }
}

function cachedDesire(v: Vertex): Desired | string {
  let d = desiredOf.get(v);
  if (d === undefined) desiredOf.set(v, (d = desire(v)));
  return d;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;

export class Exporter {
  /** what the World holds for this host, by kind\0name (undefined before the first prune) */
  readonly #written = new Map<string, string>();
  #desired = new Map<string, Desired>();
  #pruned = false;
  #running: Promise<void> | undefined;
  #again = false;
  #retryMs = RETRY_MIN_MS;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;
  #closed = false;
  #noop = false;
  /** Values received along send/recv by exported vertices, by kind\0name. */
  readonly #received = new Map<string, ReadonlyMap<string, { readonly value: Value }>>();

  constructor(
    private readonly world: World,
    /** one-line problems (first failure of an outage) and recoveries */
    private readonly report: (level: "warn" | "info", message: string) => void,
  ) {}

  /** The exports of a new graph (`noop`: the global --noop). Returns at once; the writes follow. */
  sync(vertices: readonly Vertex[], noop: boolean): void {
    if (this.#closed) return;
    this.#noop = noop;
    const next = new Map<string, Desired>();
    if (!noop) {
      for (const v of vertices) {
        if (!exported(v)) continue;
        const id = idOf(v);
        const recv = this.#received.get(id);
        const d = recv ? desire(v, recv) : cachedDesire(v);
        if (typeof d === "string") this.report("warn", `${v.kind}[${v.name}]: not exported: ${d}`);
        else next.set(id, d);
      }
    }
    for (const id of this.#received.keys()) if (!next.has(id)) this.#received.delete(id);
    this.#desired = next;
    this.#kick();
  }

  /**
   * Vertex `v` of the running graph received `recv` (its worker's send/recv values): export it
   * with them. True when that changes what is exported.
   */
  received(v: Vertex, recv: ReadonlyMap<string, { readonly value: Value }>): boolean {
    if (this.#closed || this.#noop || !exported(v)) return false;
    const id = idOf(v);
    this.#received.set(id, new Map(recv));
    const d = desire(v, recv);
    if (typeof d === "string") {
      this.report("warn", `${v.kind}[${v.name}]: not exported: ${d}`);
      return false;
    }
    if (this.#desired.get(id)?.sig === d.sig) return false;
    this.#desired = new Map(this.#desired).set(id, d);
    this.#kick();
    return true;
  }

  /** Resolves when the World holds the latest desired exports (tests, benchmarks). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Stop writing (the World's own close withdraws or keeps the exports). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #kick(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#flush().finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#closed) {
        this.#again = false;
        this.#kick();
      }
    });
  }

  async #flush(): Promise<void> {
    const desired = this.#desired;
    try {
      const same = this.#pruned && desired.size === this.#written.size && [...desired].every(([id, d]) => this.#written.get(id) === d.sig);
      if (!same) {
        // One call replaces the whole set: changed records are written, the rest pruned (the
        // first call also withdraws what an earlier run of this host left behind, e.g. a crash).
        await this.world.exportResources([...desired.values()].map((d) => d.input));
        this.#written.clear();
        for (const [id, d] of desired) this.#written.set(id, d.sig);
        this.#pruned = true;
      }
      if (this.#failing) this.report("info", "exports written again");
      this.#failing = false;
      this.#retryMs = RETRY_MIN_MS;
    } catch (e) {
      if (this.#closed) return;
      if (!this.#failing) this.report("warn", `exports not written (${(e as Error).message.split("\n")[0]}): retrying`);
      this.#failing = true;
      const ms = this.#retryMs;
      this.#retryMs = Math.min(RETRY_MAX_MS, ms * 2);
      this.#timer = setTimeout(() => this.#kick(), ms);
      this.#timer.unref();
    }
  }
}
