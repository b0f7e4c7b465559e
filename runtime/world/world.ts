/**
 * The World: state shared between the hosts running one program (architecture.md "World";
 * mgmt's `engine.World`). `MemoryWorld` (memory.ts) is the embedded single-host default; the etcd
 * implementation comes in its own issue and must pass the same tests.
 *
 * Reads that functions turn into sources (`world.getval`, `world.kvlookup`, `world.schedule`,
 * `collect`) are Observables that emit the current state on subscribe and then every change, so
 * an evaluator node loads as soon as it subscribes. Writes are Promises (etcd is remote).
 */
import type { Observable } from "rxjs";

/** A resource another host exported (`Meta:export`), in an encoding owned by interpret/engine. */
export interface ExportedResource {
  readonly kind: string;
  readonly name: string;
  /** The exporting host. */
  readonly host: string;
  /** The serialised resource (params and metaparams); opaque to the World. */
  readonly data: string;
}

/**
 * What a host exports: one record per target host (engine-reference.md §2.10: `Meta:export =>
 * ["host1", "*"]`); `targets` defaults to `["*"]` (every host).
 */
export interface ExportInput {
  readonly kind: string;
  readonly name: string;
  readonly data: string;
  readonly targets?: readonly string[];
}

/** Filter of `collectExported`; absent fields match everything. */
export interface ExportFilter {
  readonly kind?: string;
  readonly name?: string;
  /** The exporting host. */
  readonly host?: string;
}

/** Options of `world.schedule` (mcl-language.md §11 `world.schedule`, engine-reference.md §6.6). */
export interface ScheduleOptions {
  /**
   * Placement strategy: `"rr"` (default: keeps the hosts already chosen, appends newcomers in
   * sorted order) or `"alpha"` (the first `max` hosts alphabetically). MemoryWorld treats both as
   * alpha. When candidates disagree, `"rr"` is used, and the smallest `max`.
   */
  readonly strategy?: string;
  /** At most this many hosts are chosen (default: all). */
  readonly max?: number;
  /** Seconds a host stays a candidate after it dies (etcd lease); ignored in memory. */
  readonly ttl?: number;
  /** The candidacy survives the host's death and unsubscribing (no lease); ignored in memory. */
  readonly persist?: boolean;
}

/** `publishDeploy` with `previous` set found another deploy in the way (strict sequence). */
export class DeployConflictError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`deploy refused: the newest deploy is ${actual}, expected ${expected}`);
    this.name = "DeployConflictError";
  }
}

/** One published program: the entry path and every file it needs. */
export interface Deploy {
  /** 1, 2, 3… assigned by `publishDeploy`. */
  readonly id: number;
  readonly entry: string;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

export interface World {
  /** This host's name. */
  readonly hostname: string;

  // ---- string key/values (global namespace): world.getval, the `kv` resource
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** All keys starting with `prefix`, sorted. */
  list(prefix: string): Promise<ReadonlyMap<string, string>>;
  /** The key's value (`undefined` when absent) now and after each change. */
  watch(key: string): Observable<string | undefined>;
  /** The keys under `prefix` now and after each change below it. */
  watchPrefix(prefix: string): Observable<ReadonlyMap<string, string>>;

  // ---- per-host values in a namespace: world.kvlookup (host → value)
  setHostValue(namespace: string, value: string): Promise<void>;
  deleteHostValue(namespace: string): Promise<void>;
  watchHostValues(namespace: string): Observable<ReadonlyMap<string, string>>;

  // ---- exported resources: `Meta:export` and `collect`
  /** Replace the set of resources this host exports (export each, prune the rest). */
  exportResources(resources: readonly ExportInput[]): Promise<void>;
  /**
   * Export (or update) one resource for its target hosts, withdrawing it from targets no longer
   * listed. Resolves to whether anything was written (an unchanged export writes nothing).
   */
  exportResource(resource: ExportInput): Promise<boolean>;
  /** Withdraw every resource this host exports whose (kind, name) is not in `keep`. */
  pruneExports(keep: readonly { readonly kind: string; readonly name: string }[]): Promise<void>;
  /**
   * The resources exported to this host (targets including it or `"*"`) by every host,
   * optionally of one kind, sorted by kind, name, host; now and after each change.
   */
  watchExported(kind?: string): Observable<readonly ExportedResource[]>;
  /** The resources exported to this host that match `filter`, sorted by kind, name, host. */
  collectExported(filter?: ExportFilter): Promise<readonly ExportedResource[]>;

  // ---- scheduler: world.schedule
  /** Volunteer this host for `namespace` while subscribed; emits the chosen hosts, sorted. */
  schedule(namespace: string, opts?: ScheduleOptions): Observable<readonly string[]>;
  /** The hosts chosen in `namespace`, sorted, without volunteering (`[]` when none). */
  watchSchedule(namespace: string): Observable<readonly string[]>;
  /**
   * Withdraw this host from `namespace` (the `schedule` resource's `withdraw`): its subscribers
   * stop volunteering and a candidacy kept by `persist` is deleted. Resolves to whether this host
   * was a candidate; with `check`, only looks.
   */
  withdrawSchedule(namespace: string, opts?: { readonly check?: boolean }): Promise<boolean>;

  // ---- deploys
  /**
   * Store a new deploy as the next in the sequence; returns its id. With `previous`, refuse
   * (DeployConflictError) unless the newest deploy is exactly `previous` (0: none yet);
   * without, retry on races so that concurrent publishers each get their own id.
   */
  publishDeploy(entry: string, files: ReadonlyMap<string, Uint8Array>, opts?: { readonly previous?: number }): Promise<number>;
  /** The latest deploy (`undefined` before the first) now and after each publish. */
  watchDeploy(): Observable<Deploy | undefined>;
  /** Deploy `id`, or the newest one when `id` is omitted. */
  getDeploy(id?: number): Promise<Deploy | undefined>;
  readDeployFile(id: number, path: string): Promise<Uint8Array | undefined>;

  // ---- membership
  /** The hosts currently in the cluster, sorted. */
  watchHosts(): Observable<readonly string[]>;

  /** Leave the cluster and release everything this host holds (host values, exports, schedules). */
  close(): Promise<void>;
}
