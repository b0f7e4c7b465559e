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

/** Options of `world.schedule` (mcl-language.md §11 `world.schedule`). */
export interface ScheduleOptions {
  /** Placement strategy; only `"rr"` (first `max` hosts in sorted order) is implemented in memory. */
  readonly strategy?: string;
  /** At most this many hosts are chosen (default: all). */
  readonly max?: number;
  /** Seconds a host stays scheduled after it leaves (etcd lease); ignored in memory. */
  readonly ttl?: number;
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
  /** Replace the set of resources this host exports. */
  exportResources(resources: readonly Omit<ExportedResource, "host">[]): Promise<void>;
  /** Every host's exported resources (optionally of one kind), sorted by kind, name, host. */
  watchExported(kind?: string): Observable<readonly ExportedResource[]>;

  // ---- scheduler: world.schedule
  /** Volunteer this host for `namespace` while subscribed; emits the chosen hosts, sorted. */
  schedule(namespace: string, opts?: ScheduleOptions): Observable<readonly string[]>;

  // ---- deploys
  /** Store a new deploy; returns its id. */
  publishDeploy(entry: string, files: ReadonlyMap<string, Uint8Array>): Promise<number>;
  /** The latest deploy (`undefined` before the first) now and after each publish. */
  watchDeploy(): Observable<Deploy | undefined>;
  readDeployFile(id: number, path: string): Promise<Uint8Array | undefined>;

  // ---- membership
  /** The hosts currently in the cluster, sorted. */
  watchHosts(): Observable<readonly string[]>;

  /** Leave the cluster and release everything this host holds (host values, exports, schedules). */
  close(): Promise<void>;
}
