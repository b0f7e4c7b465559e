/**
 * `MemoryWorld`: the embedded World for one host, no server needed. Several MemoryWorlds may
 * share one `MemoryBackend` to simulate a cluster in tests. Every watch emits the current state
 * synchronously on subscribe, then once per change that affects it (no duplicate emissions).
 */
import { BehaviorSubject, Observable, distinctUntilChanged, map } from "rxjs";
import { DeployConflictError, type Deploy, type ExportFilter, type ExportInput, type ExportedResource, type ScheduleOptions, type World } from "./world.js";

/** One exported record as stored: the resource plus its target hosts. */
interface StoredExport extends ExportedResource {
  readonly targets: readonly string[];
}

/** One host's candidacy in a namespace: how many subscriptions hold it, and the `max` they asked for. */
interface Volunteer {
  readonly count: number;
  readonly max: number | undefined;
}

/**
 * The hosts chosen in a namespace: the volunteers in sorted order, at most the smallest `max` any
 * of them asked for (as the etcd scheduler resolves disagreeing candidates), so that every host
 * and every `watchSchedule` reader sees the same choice.
 */
function chosen(all: ReadonlyMap<string, ReadonlyMap<string, Volunteer>>, namespace: string): readonly string[] {
  const ns = all.get(namespace);
  if (!ns) return [];
  const hosts = [...ns.keys()].sort();
  let max = Infinity;
  for (const v of ns.values()) if (v.max !== undefined && v.max >= 0) max = Math.min(max, v.max);
  return max < hosts.length ? hosts.slice(0, max) : hosts;
}

/** The shared state behind one or more MemoryWorlds. */
export class MemoryBackend {
  readonly kv = new BehaviorSubject<ReadonlyMap<string, string>>(new Map());
  /** namespace → host → value */
  readonly hostValues = new BehaviorSubject<ReadonlyMap<string, ReadonlyMap<string, string>>>(new Map());
  /** host → exports */
  readonly exports = new BehaviorSubject<ReadonlyMap<string, readonly StoredExport[]>>(new Map());
  /** namespace → host → its candidacy (a host may subscribe several times) */
  readonly volunteers = new BehaviorSubject<ReadonlyMap<string, ReadonlyMap<string, Volunteer>>>(new Map());
  readonly deploys = new BehaviorSubject<readonly Deploy[]>([]);
  readonly hosts = new BehaviorSubject<readonly string[]>([]);
}

function withEntry<K, V>(m: ReadonlyMap<K, V>, k: K, v: V | undefined): ReadonlyMap<K, V> {
  const n = new Map(m);
  if (v === undefined) n.delete(k);
  else n.set(k, v);
  return n;
}

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
const sameList = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function sortedMap(entries: Iterable<[string, string]>): ReadonlyMap<string, string> {
  return new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class MemoryWorld implements World {
  private closed = false;

  constructor(
    readonly hostname: string,
    private readonly backend: MemoryBackend = new MemoryBackend(),
  ) {
    const hs = backend.hosts.value;
    if (!hs.includes(hostname)) backend.hosts.next([...hs, hostname].sort());
  }

  // ---- key/values

  async get(key: string): Promise<string | undefined> {
    return this.backend.kv.value.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    const kv = this.backend.kv.value;
    if (kv.get(key) !== value) this.backend.kv.next(withEntry(kv, key, value));
  }
  async delete(key: string): Promise<void> {
    const kv = this.backend.kv.value;
    if (kv.has(key)) this.backend.kv.next(withEntry(kv, key, undefined));
  }
  async list(prefix: string): Promise<ReadonlyMap<string, string>> {
    return sortedMap([...this.backend.kv.value].filter(([k]) => k.startsWith(prefix)));
  }
  watch(key: string): Observable<string | undefined> {
    return this.backend.kv.pipe(
      map((kv) => kv.get(key)),
      distinctUntilChanged(),
    );
  }
  watchPrefix(prefix: string): Observable<ReadonlyMap<string, string>> {
    return this.backend.kv.pipe(
      map((kv) => sortedMap([...kv].filter(([k]) => k.startsWith(prefix)))),
      distinctUntilChanged(sameMap),
    );
  }

  // ---- per-host values

  async setHostValue(namespace: string, value: string): Promise<void> {
    const all = this.backend.hostValues.value;
    const ns = all.get(namespace) ?? new Map<string, string>();
    if (ns.get(this.hostname) === value) return;
    this.backend.hostValues.next(withEntry(all, namespace, withEntry(ns, this.hostname, value)));
  }
  async deleteHostValue(namespace: string): Promise<void> {
    const all = this.backend.hostValues.value;
    const ns = all.get(namespace);
    if (!ns || !ns.has(this.hostname)) return;
    this.backend.hostValues.next(withEntry(all, namespace, withEntry(ns, this.hostname, undefined)));
  }
  watchHostValues(namespace: string): Observable<ReadonlyMap<string, string>> {
    return this.backend.hostValues.pipe(
      map((all) => sortedMap(all.get(namespace) ?? [])),
      distinctUntilChanged(sameMap),
    );
  }

  // ---- exported resources

  async exportResources(resources: readonly ExportInput[]): Promise<void> {
    for (const r of resources) await this.exportResource(r);
    await this.pruneExports(resources);
  }
  async exportResource(r: ExportInput): Promise<boolean> {
    const all = this.backend.exports.value;
    const old = all.get(this.hostname) ?? [];
    const rec: StoredExport = { kind: r.kind, name: r.name, host: this.hostname, data: r.data, targets: [...new Set(r.targets ?? ["*"])].sort() };
    const i = old.findIndex((o) => o.kind === r.kind && o.name === r.name);
    const prev = i >= 0 ? old[i] : undefined;
    if (prev && prev.data === rec.data && sameList(prev.targets, rec.targets)) return false;
    const next = [...old];
    if (i >= 0) next[i] = rec;
    else next.push(rec);
    this.backend.exports.next(withEntry(all, this.hostname, next));
    return true;
  }
  async pruneExports(keep: readonly { readonly kind: string; readonly name: string }[]): Promise<void> {
    const all = this.backend.exports.value;
    const old = all.get(this.hostname) ?? [];
    const k = new Set(keep.map((r) => `${r.kind}\0${r.name}`));
    const next = old.filter((r) => k.has(`${r.kind}\0${r.name}`));
    if (next.length !== old.length) this.backend.exports.next(withEntry(all, this.hostname, next.length ? next : undefined));
  }
  private visible(all: ReadonlyMap<string, readonly StoredExport[]>, f: ExportFilter): ExportedResource[] {
    const key = (r: ExportedResource) => `${r.kind}\0${r.name}\0${r.host}`;
    return [...all.values()]
      .flat()
      .filter((r) => r.targets.includes("*") || r.targets.includes(this.hostname))
      .filter((r) => (f.kind === undefined || r.kind === f.kind) && (f.name === undefined || r.name === f.name) && (f.host === undefined || r.host === f.host))
      .map((r) => ({ kind: r.kind, name: r.name, host: r.host, data: r.data }))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
  watchExported(kind?: string): Observable<readonly ExportedResource[]> {
    const key = (r: ExportedResource) => `${r.kind}\0${r.name}\0${r.host}`;
    return this.backend.exports.pipe(
      map((all) => this.visible(all, kind === undefined ? {} : { kind })),
      distinctUntilChanged((a, b) => a.length === b.length && a.every((r, i) => key(r) === key(b[i]!) && r.data === b[i]!.data)),
    );
  }
  async collectExported(filter: ExportFilter = {}): Promise<readonly ExportedResource[]> {
    return this.visible(this.backend.exports.value, filter);
  }

  // ---- scheduler

  schedule(namespace: string, opts: ScheduleOptions = {}): Observable<readonly string[]> {
    return new Observable<readonly string[]>((subscriber) => {
      this.volunteer(namespace, +1, opts.max);
      const sub = this.watchSchedule(namespace).subscribe(subscriber);
      return () => {
        sub.unsubscribe();
        this.volunteer(namespace, -1);
      };
    });
  }

  watchSchedule(namespace: string): Observable<readonly string[]> {
    return this.backend.volunteers.pipe(
      map((all) => chosen(all, namespace)),
      distinctUntilChanged<readonly string[]>(sameList),
    );
  }

  async withdrawSchedule(namespace: string, opts: { readonly check?: boolean } = {}): Promise<boolean> {
    const was = (this.backend.volunteers.value.get(namespace)?.get(this.hostname)?.count ?? 0) > 0;
    if (was && opts.check !== true) this.volunteer(namespace, -Infinity);
    return was;
  }

  /** Add `delta` subscriptions to this host's candidacy; a subscription's `max` is kept while the candidacy lasts. */
  private volunteer(namespace: string, delta: number, max?: number): void {
    const all = this.backend.volunteers.value;
    const ns = all.get(namespace) ?? new Map<string, Volunteer>();
    const cur = ns.get(this.hostname);
    const count = (cur?.count ?? 0) + delta;
    const v: Volunteer | undefined = count > 0 ? { count, max: max ?? cur?.max } : undefined;
    this.backend.volunteers.next(withEntry(all, namespace, withEntry(ns, this.hostname, v)));
  }

  // ---- deploys

  async publishDeploy(entry: string, files: ReadonlyMap<string, Uint8Array>, opts: { readonly previous?: number } = {}): Promise<number> {
    const ds = this.backend.deploys.value;
    if (opts.previous !== undefined && opts.previous !== ds.length) throw new DeployConflictError(opts.previous, ds.length);
    const id = ds.length + 1;
    this.backend.deploys.next([...ds, { id, entry, files: new Map(files) }]);
    return id;
  }
  watchDeploy(): Observable<Deploy | undefined> {
    return this.backend.deploys.pipe(
      map((ds) => ds.at(-1)),
      distinctUntilChanged(),
    );
  }
  async getDeploy(id?: number): Promise<Deploy | undefined> {
    const ds = this.backend.deploys.value;
    return id === undefined ? ds.at(-1) : ds[id - 1];
  }
  async readDeployFile(id: number, path: string): Promise<Uint8Array | undefined> {
    return this.backend.deploys.value[id - 1]?.files.get(path);
  }

  // ---- membership

  watchHosts(): Observable<readonly string[]> {
    return this.backend.hosts.pipe(distinctUntilChanged<readonly string[]>(sameList));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const b = this.backend;
    b.hosts.next(b.hosts.value.filter((h) => h !== this.hostname));
    const hv = new Map<string, ReadonlyMap<string, string>>();
    for (const [ns, m] of b.hostValues.value) hv.set(ns, withEntry(m, this.hostname, undefined));
    b.hostValues.next(hv);
    if (b.exports.value.has(this.hostname)) b.exports.next(withEntry(b.exports.value, this.hostname, undefined));
    const vol = new Map<string, ReadonlyMap<string, Volunteer>>();
    for (const [ns, m] of b.volunteers.value) vol.set(ns, withEntry(m, this.hostname, undefined));
    b.volunteers.next(vol);
  }
}
