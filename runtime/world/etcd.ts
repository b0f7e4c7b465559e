/**
 * `EtcdWorld`: the World of a cluster of hosts sharing an etcd cluster (issue 6 §1,
 * engine-reference.md §6). Every key is below `/steward/`:
 *
 * | key | what |
 * |---|---|
 * | `kv/<key>` | `get`/`set`/`watch` (mgmt `/strings/<key>`: `world.getval`, `kv` resource) |
 * | `hostvalues/<ns>/<host>` | per-host values (mgmt `/strings/<key>/<host>`: `world.kvlookup`) |
 * | `hosts/<host>` | membership, on the host's session lease (gone TTL seconds after it dies) |
 * | `exported/<to>/<from>/<kind>/<name>` | exported resources (etcd-exports.ts) |
 * | `schedule/…` | candidates, elections and results (etcd-schedule.ts) |
 * | `deploy/…`, `storage/…` | deploys (etcd-deploy.ts) |
 *
 * Writes are compare-and-put transactions (etcd-client.ts): an unchanged write creates no event.
 * Reads are Observables that emit the current state once it has been read and then each change;
 * each watch resumes from the last revision it applied after a reconnect (etcd-watch.ts). Watches
 * of the same key or prefix share one etcd watch.
 */
import { BehaviorSubject, Observable, ReplaySubject, asyncScheduler, combineLatest, distinctUntilChanged, filter, from, map, share, switchMap, throttleTime } from "rxjs";
import type { Etcd3, IRequestOp } from "etcd3";
import { EtcdKv, createEtcdClient, type EtcdConnectOptions, type KvEntry } from "./etcd-client.js";
import { readDeploy, readDeployFile, publishDeploy, maxDeploy, DEPLOY_MAX_KEY } from "./etcd-deploy.js";
import { EXPORTED, exportDiff, exportKey, parseExportKey, sameExports, visibleExports } from "./etcd-exports.js";
import { LeaseKeeper } from "./etcd-lease.js";
import { Volunteering, childrenOf, watchResult } from "./etcd-schedule.js";
import { watchRange } from "./etcd-watch.js";
import type { Deploy, ExportFilter, ExportInput, ExportedResource, ScheduleOptions, World } from "./world.js";

export interface EtcdWorldOptions extends EtcdConnectOptions {
  /** This host's name (no `/`). */
  readonly hostname: string;
  /** TTL in seconds of the session lease: membership and scheduler elections (default 10, as mgmt). */
  readonly sessionTtl?: number;
  /** What a clean `close()` does with this host's exports (default "delete"; "keep" is mgmt's). */
  readonly exportsOnClose?: "delete" | "keep";
  /** How long `connect` waits for etcd to answer (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Connection changes and background errors; the owner logs them. */
  readonly onEvent?: (e: EtcdWorldEvent) => void;
}

export type EtcdWorldEvent =
  | { readonly type: "connected" }
  | { readonly type: "disconnected"; readonly error: string }
  | { readonly type: "lease-lost"; readonly error: string }
  | { readonly type: "error"; readonly error: string };

const HOSTS = "hosts/";
/** Writes per transaction of `exportResources` (etcd's default --max-txn-ops is 128). */
const EXPORT_TXN_OPS = 100;
const KV = "kv/";
/**
 * Coalescing window of the collect and host-value sources: the first change after a quiet spell
 * goes out at once, the changes that follow within the window (the other transactions of one
 * host's exports, arriving over several I/O turns, or all that queued up while the program was
 * re-evaluated) become one value, so a burst costs one re-evaluation and one swap instead of one
 * per watch response (issue 6 §4: 5 agents × 200 exports). Short, because a change that follows
 * another within the window waits for its end: 40 ms raised the back-to-back export → apply
 * median from ~7 to 42 ms (bench/cluster-export.bench.ts).
 */
export const COALESCE_MS = 10;
const coalesce = <T>() => throttleTime<T>(COALESCE_MS, asyncScheduler, { leading: true, trailing: true });
const HOSTVALUES = "hostvalues/";

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
function sameStrMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export class EtcdWorld implements World {
  readonly hostname: string;
  readonly #kv: EtcdKv;
  readonly #opts: EtcdWorldOptions;
  readonly #sessionTtl: number;
  readonly #leases = new Map<number, LeaseKeeper>();
  readonly #shared = new Map<string, Observable<ReadonlyMap<string, KvEntry>>>();
  readonly #connected = new BehaviorSubject<boolean>(true);
  readonly #volunteering: Volunteering;
  /** This host's exports: kind\0name → data and targets (loaded from etcd on first use). */
  #exports: Promise<Map<string, { data: string; targets: readonly string[]; kind: string; name: string }>> | undefined;
  #closed = false;

  private constructor(client: Etcd3, opts: EtcdWorldOptions) {
    if (opts.hostname === "" || opts.hostname.includes("/")) throw new Error(`etcd world: invalid hostname '${opts.hostname}'`);
    this.hostname = opts.hostname;
    this.#opts = opts;
    this.#kv = new EtcdKv(client, opts.namespace);
    this.#sessionTtl = Math.max(1, Math.round(opts.sessionTtl ?? 10));
    this.#volunteering = new Volunteering({ ...this.#scheduleDeps(), lease: (ttl) => this.#lease(ttl), defaultTtl: this.#sessionTtl });
  }

  /**
   * Connect to the cluster and join it (membership key on the session lease). Throws when etcd
   * does not answer within `connectTimeoutMs`, or refuses the credentials.
   */
  static async connect(opts: EtcdWorldOptions): Promise<EtcdWorld> {
    const client = createEtcdClient(opts);
    const w = new EtcdWorld(client, opts);
    const deadline = Date.now() + (opts.connectTimeoutMs ?? 10_000);
    for (let delay = 50; ; delay = Math.min(1000, delay * 2)) {
      try {
        await w.#kv.get(`${HOSTS}${w.hostname}`);
        break;
      } catch (e) {
        // Refused credentials won't get better by waiting (etcd3 error classes don't set `name`).
        const name = e instanceof Error ? `${e.name} ${e.constructor.name}` : "";
        if (/Auth|Permission|UserNotFound/.test(name) || Date.now() + delay > deadline) {
          w.#kv.shutdown();
          throw new Error(`etcd: cannot reach ${opts.endpoints.join(",")}: ${msg(e)}`);
        }
        await sleep(delay);
      }
    }
    await w.#session().put(`${HOSTS}${w.hostname}`, JSON.stringify({ since: new Date().toISOString(), pid: process.pid }));
    return w;
  }

  /** true while etcd is reachable (as seen by the watches), false during an outage. */
  get connection(): Observable<boolean> {
    return this.#connected.pipe(distinctUntilChanged());
  }

  /** The raw client (tests, `steward etcd` status). */
  get client(): Etcd3 {
    return this.#kv.client;
  }

  #event(e: EtcdWorldEvent): void {
    this.#opts.onEvent?.(e);
  }

  #status = (up: boolean, err?: unknown): void => {
    if (this.#closed || up === this.#connected.value) return;
    this.#connected.next(up);
    this.#event(up ? { type: "connected" } : { type: "disconnected", error: msg(err) });
  };

  #lease(ttl: number): LeaseKeeper {
    let l = this.#leases.get(ttl);
    if (!l) {
      l = new LeaseKeeper(this.#kv, ttl, (err) => this.#event({ type: "lease-lost", error: msg(err) }));
      this.#leases.set(ttl, l);
    }
    return l;
  }
  #session(): LeaseKeeper {
    return this.#lease(this.#sessionTtl);
  }

  /** One shared etcd watch per prefix; late subscribers get the latest state at once. */
  #watchPrefixRaw(prefix: string): Observable<ReadonlyMap<string, KvEntry>> {
    let o = this.#shared.get(`p:${prefix}`);
    if (!o) {
      o = watchRange(this.#kv, { prefix }, this.#status).pipe(share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: true }));
      this.#shared.set(`p:${prefix}`, o);
    }
    return o;
  }
  #watchKeyRaw(key: string): Observable<KvEntry | undefined> {
    let o = this.#shared.get(`k:${key}`);
    if (!o) {
      o = watchRange(this.#kv, { key }, this.#status).pipe(share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: true }));
      this.#shared.set(`k:${key}`, o);
    }
    return o.pipe(map((m) => m.get(key)));
  }

  // ---- key/values

  async get(key: string): Promise<string | undefined> {
    return (await this.#kv.get(KV + key)).entry?.value.toString();
  }
  async set(key: string, value: string): Promise<void> {
    await this.#kv.putIfChanged(KV + key, value);
  }
  async delete(key: string): Promise<void> {
    await this.#kv.delete(KV + key);
  }
  async list(prefix: string): Promise<ReadonlyMap<string, string>> {
    const r = await this.#kv.range(KV + prefix);
    return new Map(r.entries.map((e) => [e.key.slice(KV.length), e.value.toString()]));
  }
  watch(key: string): Observable<string | undefined> {
    return this.#watchKeyRaw(KV + key).pipe(
      map((e) => e?.value.toString()),
      distinctUntilChanged(),
    );
  }
  watchPrefix(prefix: string): Observable<ReadonlyMap<string, string>> {
    return this.#watchPrefixRaw(KV + prefix).pipe(
      map((m) => new Map([...m].map(([k, e]) => [k.slice(KV.length), e.value.toString()]))),
      distinctUntilChanged(sameStrMap),
    );
  }

  // ---- per-host values

  async setHostValue(namespace: string, value: string): Promise<void> {
    await this.#kv.putIfChanged(`${HOSTVALUES}${namespace}/${this.hostname}`, value);
  }
  async deleteHostValue(namespace: string): Promise<void> {
    await this.#kv.delete(`${HOSTVALUES}${namespace}/${this.hostname}`);
  }
  watchHostValues(namespace: string): Observable<ReadonlyMap<string, string>> {
    const prefix = `${HOSTVALUES}${namespace}/`;
    return this.#watchPrefixRaw(prefix).pipe(
      coalesce(),
      map((m) => new Map([...childrenOf(m, prefix)].map(([h, e]) => [h, e.value.toString()]))),
      distinctUntilChanged(sameStrMap),
    );
  }

  // ---- exported resources

  #exportIndex(): Promise<Map<string, { data: string; targets: readonly string[]; kind: string; name: string }>> {
    this.#exports ??= (async () => {
      // Records left by an earlier run of this host (crash) are adopted, so that prune removes them.
      const idx = new Map<string, { data: string; targets: string[]; kind: string; name: string }>();
      for (const e of (await this.#kv.range(EXPORTED)).entries) {
        const p = parseExportKey(e.key);
        if (!p || p.from !== this.hostname) continue;
        const id = `${p.kind}\0${p.name}`;
        const cur = idx.get(id) ?? { data: e.value.toString(), targets: [], kind: p.kind, name: p.name };
        cur.targets.push(p.to);
        idx.set(id, cur);
      }
      return idx;
    })().catch((e: unknown) => {
      this.#exports = undefined;
      throw e;
    });
    return this.#exports;
  }

  /**
   * Replace this host's exports with `resources` in as few transactions as possible (at most
   * EXPORT_TXN_OPS writes each, under etcd's default --max-txn-ops of 128): collectors see a
   * whole graph's exports in a few watch events instead of one per record.
   */
  async exportResources(resources: readonly ExportInput[]): Promise<void> {
    const idx = await this.#exportIndex();
    const want = resources.map((r) => ({ kind: r.kind, name: r.name, data: r.data, targets: [...new Set(r.targets ?? ["*"])].sort() }));
    const { puts, deletes, next } = exportDiff(this.hostname, idx, want);
    const ops: IRequestOp[] = [
      ...puts.map(([k, v]): IRequestOp => ({ request_put: { key: this.#kv.full(k), value: Buffer.from(v) } })),
      ...deletes.map((k): IRequestOp => ({ request_delete_range: { key: this.#kv.full(k) } })),
    ];
    // All transactions at once (each key is in one of them only): collectors get them in one
    // burst of watch responses, which their coalescing window turns into one update.
    const txns: Promise<unknown>[] = [];
    for (let i = 0; i < ops.length; i += EXPORT_TXN_OPS) {
      txns.push(this.#kv.client.kv.txn({ compare: [], success: ops.slice(i, i + EXPORT_TXN_OPS), failure: [] }));
    }
    await Promise.all(txns);
    idx.clear();
    for (const [id, r] of next) idx.set(id, { ...r, targets: [...r.targets] });
  }

  async exportResource(r: ExportInput): Promise<boolean> {
    const idx = await this.#exportIndex();
    const targets = [...new Set(r.targets ?? ["*"])].sort();
    const id = `${r.kind}\0${r.name}`;
    const prev = idx.get(id);
    let changed = false;
    for (const t of targets) if (await this.#kv.putIfChanged(exportKey(t, this.hostname, r.kind, r.name), r.data)) changed = true;
    for (const t of prev?.targets ?? []) {
      if (targets.includes(t)) continue;
      await this.#kv.delete(exportKey(t, this.hostname, r.kind, r.name));
      changed = true;
    }
    idx.set(id, { data: r.data, targets, kind: r.kind, name: r.name });
    return changed;
  }

  async pruneExports(keep: readonly { readonly kind: string; readonly name: string }[]): Promise<void> {
    const idx = await this.#exportIndex();
    const k = new Set(keep.map((r) => `${r.kind}\0${r.name}`));
    for (const [id, rec] of [...idx]) {
      if (k.has(id)) continue;
      for (const t of rec.targets) await this.#kv.delete(exportKey(t, this.hostname, rec.kind, rec.name));
      idx.delete(id);
    }
  }

  watchExported(kind?: string): Observable<readonly ExportedResource[]> {
    const f = kind === undefined ? {} : { kind };
    return combineLatest([this.#watchPrefixRaw(`${EXPORTED}${this.hostname}/`), this.#watchPrefixRaw(`${EXPORTED}*/`)]).pipe(
      coalesce(),
      map(([mine, all]) => visibleExports(this.hostname, [...mine.values(), ...all.values()], f)),
      distinctUntilChanged(sameExports),
    );
  }

  async collectExported(f: ExportFilter = {}): Promise<readonly ExportedResource[]> {
    const [mine, all] = await Promise.all([this.#kv.range(`${EXPORTED}${this.hostname}/`), this.#kv.range(`${EXPORTED}*/`)]);
    return visibleExports(this.hostname, [...mine.entries, ...all.entries], f);
  }

  // ---- scheduler

  #scheduleDeps() {
    return {
      kv: this.#kv,
      hostname: this.hostname,
      watchPrefix: (p: string) => this.#watchPrefixRaw(p),
      watchKey: (k: string) => this.#watchKeyRaw(k),
      report: (e: unknown) => this.#event({ type: "error", error: `scheduler: ${msg(e)}` }),
    };
  }

  schedule(namespace: string, opts: ScheduleOptions = {}): Observable<readonly string[]> {
    return new Observable<readonly string[]>((subscriber) => {
      const sub = this.watchSchedule(namespace).subscribe(subscriber);
      const leave = this.#volunteering.join(namespace, opts);
      return () => {
        sub.unsubscribe();
        leave();
      };
    });
  }

  withdrawSchedule(namespace: string, opts: { readonly check?: boolean } = {}): Promise<boolean> {
    return this.#volunteering.withdraw(namespace, opts.check === true);
  }

  watchSchedule(namespace: string): Observable<readonly string[]> {
    return watchResult(this.#scheduleDeps(), namespace);
  }

  // ---- deploys

  async publishDeploy(entry: string, files: ReadonlyMap<string, Uint8Array>, opts: { readonly previous?: number } = {}): Promise<number> {
    return publishDeploy(this.#kv, this.hostname, entry, files, opts.previous);
  }

  watchDeploy(): Observable<Deploy | undefined> {
    return this.#watchKeyRaw(DEPLOY_MAX_KEY).pipe(
      map((e) => (e ? Number(e.value.toString()) : 0)),
      distinctUntilChanged(),
      switchMap((id) => from(this.#readDeployRetrying(id))),
      filter((d): d is Deploy | undefined => d !== null),
      distinctUntilChanged((a, b) => a?.id === b?.id),
    );
  }

  /** Read a deploy, retrying through outages; null if the World closes first. */
  async #readDeployRetrying(id: number): Promise<Deploy | undefined | null> {
    if (id === 0) return undefined;
    for (let delay = 50; !this.#closed; delay = Math.min(1000, delay * 2)) {
      try {
        return await readDeploy(this.#kv, id);
      } catch (e) {
        this.#event({ type: "error", error: `deploy ${id}: ${msg(e)}` });
        await sleep(delay);
      }
    }
    return null;
  }

  async getDeploy(id?: number): Promise<Deploy | undefined> {
    return readDeploy(this.#kv, id ?? (await maxDeploy(this.#kv)).id);
  }

  async readDeployFile(id: number, path: string): Promise<Uint8Array | undefined> {
    return readDeployFile(this.#kv, id, path);
  }

  // ---- membership

  watchHosts(): Observable<readonly string[]> {
    return this.#watchPrefixRaw(HOSTS).pipe(
      map((m) => [...childrenOf(m, HOSTS).keys()].sort()),
      distinctUntilChanged(sameList),
    );
  }

  /**
   * Leave cleanly: withdraw candidacies, delete this host's values (and exports, unless
   * `exportsOnClose: "keep"`), revoke the leases (membership ends at once), close the client.
   * Gives up on etcd after `timeoutMs` (the leases then expire by themselves).
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#closed) return;
    const release = async () => {
      await this.#volunteering.leaveAll();
      const hv = await this.#kv.range(HOSTVALUES);
      for (const e of hv.entries) if (e.key.endsWith(`/${this.hostname}`)) await this.#kv.delete(e.key);
      if (this.#opts.exportsOnClose !== "keep") await this.pruneExports([]);
      await Promise.all([...this.#leases.values()].map((l) => l.revoke()));
    };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([release().catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.#closed = true;
    for (const l of this.#leases.values()) l.abandon();
    this.#connected.complete();
    this.#kv.shutdown();
  }

  /**
   * Drop the connection without releasing anything, as if the process died: keepalives stop, so
   * the cluster forgets this host after the session TTL. For tests.
   */
  disconnect(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const l of this.#leases.values()) l.abandon();
    this.#volunteering.drop();
    this.#connected.complete();
    this.#kv.shutdown();
  }
}
