/**
 * The scheduler on etcd (engine-reference.md §6.6): hosts volunteer for a namespace, a leader per
 * namespace is elected through etcd, and the leader alone computes and publishes the chosen hosts.
 *
 * Keys (below the World's namespace):
 * - `schedule/candidates/<ns>/<host>` = JSON options; on a lease of the candidate's `ttl` (default:
 *   the session TTL) unless `persist`, so a dead host stops being a candidate after its TTL.
 * - `schedule/election/<ns>/<host>`, on the same `ttl` lease (also with `persist`: a dead host must
 *   not lead forever): the leader is the key with the lowest create revision (etcd's election
 *   recipe; etcd3's `Election` is avoided because its observers do not resume from a revision).
 *   When the leader dies, its key expires with its candidacy and the next one leads, so a dead
 *   host's slot moves within its `ttl`.
 * - `schedule/result/<ns>` = the chosen hosts in strategy order, joined by `,` (deleted when empty).
 *   The leader writes it in a transaction guarded by its own election key, so a deposed leader that
 *   has not noticed yet cannot overwrite its successor's result.
 */
import { Observable, Subscription, combineLatest, distinctUntilChanged, map } from "rxjs";
import type { EtcdKv, KvEntry } from "./etcd-client.js";
import type { LeaseKeeper } from "./etcd-lease.js";
import type { ScheduleOptions } from "./world.js";

const CANDIDATES = "schedule/candidates/";
const ELECTION = "schedule/election/";
const RESULT = "schedule/result/";

export const candidateKey = (ns: string, host: string) => `${CANDIDATES}${ns}/${host}`;
export const electionKey = (ns: string, host: string) => `${ELECTION}${ns}/${host}`;
export const resultKey = (ns: string) => `${RESULT}${ns}`;

/** The hosts in a stored result, in strategy order. */
export function parseResult(v: Buffer | undefined): string[] {
  const s = v?.toString() ?? "";
  return s === "" ? [] : s.split(",");
}

/** Only the direct children of `prefix` (namespaces may contain `/`; hostnames may not). */
export function childrenOf(entries: ReadonlyMap<string, KvEntry>, prefix: string): Map<string, KvEntry> {
  const out = new Map<string, KvEntry>();
  for (const [k, e] of entries) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    if (rest !== "" && !rest.includes("/")) out.set(rest, e);
  }
  return out;
}

/** The leader among election entries: lowest create revision (ties cannot happen in etcd). */
export function electedLeader(election: ReadonlyMap<string, KvEntry>): { host: string; createRev: number } | undefined {
  let best: { host: string; createRev: number } | undefined;
  for (const [host, e] of election) if (!best || e.createRev < best.createRev) best = { host, createRev: e.createRev };
  return best;
}

/**
 * The strategies (mgmt scheduler/): `rr` keeps the previous choice (minus departed hosts) and
 * appends newcomers in sorted order; `alpha` sorts. Both keep the first `max`. Candidates that
 * disagree get `rr` and the smallest `max` any of them asked for (never more hosts than one of
 * them wanted: a host joining with a larger `max` during a rollout does not widen the choice).
 */
export function computeSchedule(previous: readonly string[], candidates: ReadonlyMap<string, ScheduleOptions>): string[] {
  const hosts = [...candidates.keys()].sort();
  const opts = [...candidates.values()];
  const first = opts[0]?.strategy;
  const strategy = (opts.every((o) => o.strategy === first) ? first : undefined) ?? "rr";
  const maxes = opts.flatMap((o) => (o.max !== undefined ? [o.max] : []));
  const max = maxes.length > 0 ? Math.min(...maxes) : undefined;
  let order: string[];
  if (strategy === "alpha") order = hosts;
  else {
    const set = new Set(hosts);
    const kept = previous.filter((h) => set.has(h));
    order = [...kept, ...hosts.filter((h) => !kept.includes(h))];
  }
  return max !== undefined && max >= 0 ? order.slice(0, max) : order;
}

/** Parse a candidate's stored options (bad JSON counts as defaults). */
export function parseOptions(v: Buffer): ScheduleOptions {
  try {
    const o = JSON.parse(v.toString()) as Record<string, unknown>;
    return {
      ...(typeof o["strategy"] === "string" ? { strategy: o["strategy"] } : {}),
      ...(typeof o["max"] === "number" ? { max: o["max"] } : {}),
    };
  } catch {
    return {};
  }
}

export interface ScheduleDeps {
  readonly kv: EtcdKv;
  readonly hostname: string;
  /** Shared watch of a prefix (entries by key without the namespace). */
  readonly watchPrefix: (prefix: string) => Observable<ReadonlyMap<string, KvEntry>>;
  /** Shared watch of one key. */
  readonly watchKey: (key: string) => Observable<KvEntry | undefined>;
  /** Report a background failure (logged by the World's owner). */
  readonly report: (err: unknown) => void;
}

/**
 * If this host leads `ns`, make the published result the strategy's choice among the candidates.
 * Inputs are whole prefixes/keys as watched (or read); returns whether it wrote.
 */
export async function reconcile(
  d: Pick<ScheduleDeps, "kv" | "hostname">,
  ns: string,
  electionAll: ReadonlyMap<string, KvEntry>,
  candAll: ReadonlyMap<string, KvEntry>,
  result: KvEntry | undefined,
): Promise<boolean> {
  const leader = electedLeader(childrenOf(electionAll, `${ELECTION}${ns}/`));
  if (!leader || leader.host !== d.hostname) return false;
  const cands = new Map([...childrenOf(candAll, `${CANDIDATES}${ns}/`)].map(([h, e]) => [h, parseOptions(e.value)] as const));
  const previous = parseResult(result?.value);
  const next = computeSchedule(previous, cands).join(",");
  if (next === previous.join(",")) return false;
  const k = d.kv.full(resultKey(ns));
  // Only while this host's election key is the one it won with.
  const guard = { key: d.kv.full(electionKey(ns, d.hostname)), target: "Create" as const, result: "Equal" as const, create_revision: leader.createRev };
  const r = await d.kv.client.kv.txn({
    compare: [guard],
    success: [next === "" ? { request_delete_range: { key: k } } : { request_put: { key: k, value: Buffer.from(next) } }],
    failure: [],
  });
  return r.succeeded;
}

/** `reconcile` on freshly read state (a withdrawing leader's last duty). */
export async function reconcileNow(d: Pick<ScheduleDeps, "kv" | "hostname">, ns: string): Promise<boolean> {
  const [el, ca, re] = await Promise.all([d.kv.range(`${ELECTION}${ns}/`), d.kv.range(`${CANDIDATES}${ns}/`), d.kv.get(resultKey(ns))]);
  const m = (es: readonly KvEntry[]) => new Map(es.map((e) => [e.key, e]));
  return reconcile(d, ns, m(el.entries), m(ca.entries), re.entry);
}

/**
 * Leader duty for one namespace while this host is a candidate: whenever it leads, keep the
 * published result equal to the strategy's choice among the current candidates.
 */
export function leadNamespace(d: ScheduleDeps, ns: string): Subscription {
  let busy = false;
  let again = false;
  let stopped = false;
  let latest: [ReadonlyMap<string, KvEntry>, ReadonlyMap<string, KvEntry>, KvEntry | undefined] | undefined;
  /** A failure streak is reported once (an outage would otherwise log every retry). */
  let failing = false;
  let retry: NodeJS.Timeout | undefined;

  const step = async (): Promise<void> => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        if (!latest || stopped) break;
        await reconcile(d, ns, ...latest);
      } while (again);
      failing = false;
    } catch (e) {
      if (stopped || d.kv.closed) return;
      if (!failing) d.report(e);
      failing = true;
      // The watches fire again once etcd is back; retry meanwhile in case nothing changes.
      clearTimeout(retry);
      retry = setTimeout(() => void step(), 500);
    } finally {
      busy = false;
    }
  };

  const sub = combineLatest([d.watchPrefix(`${ELECTION}${ns}/`), d.watchPrefix(`${CANDIDATES}${ns}/`), d.watchKey(resultKey(ns))]).subscribe((v) => {
    latest = v;
    void step();
  });
  sub.add(() => {
    stopped = true;
    clearTimeout(retry);
  });
  return sub;
}

/** The published hosts of a namespace, sorted. */
export function watchResult(d: Pick<ScheduleDeps, "watchKey">, ns: string): Observable<readonly string[]> {
  return d.watchKey(resultKey(ns)).pipe(
    map((e) => parseResult(e?.value).sort()),
    distinctUntilChanged((a, b) => a.length === b.length && a.every((h, i) => h === b[i])),
  );
}

/** What `Volunteering` needs from its World besides the scheduler deps. */
export interface VolunteerDeps extends ScheduleDeps {
  /** The shared lease keeper of a TTL (seconds). */
  readonly lease: (ttl: number) => LeaseKeeper;
  /** TTL of candidacies that set none. */
  readonly defaultTtl: number;
}

interface Volunteer {
  count: number;
  readonly opts: ScheduleOptions;
  readonly lead: Subscription;
}

/**
 * This host's candidacies, one per namespace however many subscribers volunteer for it. Joining
 * and leaving a namespace write and delete keys asynchronously; the writes of one namespace run in
 * order (a queue per namespace), so a quick leave-then-join (a graph swap replacing a `schedule`
 * resource) never ends with a candidacy whose election key was deleted after it was written.
 */
export class Volunteering {
  readonly #entries = new Map<string, Volunteer>();
  readonly #queues = new Map<string, Promise<unknown>>();
  /** The TTLs (hence lease keepers) each namespace's keys have been put on. */
  readonly #ttlsUsed = new Map<string, Set<number>>();

  constructor(private readonly d: VolunteerDeps) {}

  #ttl(o: ScheduleOptions): number {
    return Math.max(1, Math.round(o.ttl ?? this.d.defaultTtl));
  }

  /** Run `f` after every earlier write of `ns`; its failure goes to the caller only (who reports it). */
  #enqueue<T>(ns: string, f: () => Promise<T>): Promise<T> {
    const prev = this.#queues.get(ns) ?? Promise.resolve();
    const next = prev.then(f, f);
    const tail = next.catch(() => undefined);
    this.#queues.set(ns, tail);
    void tail.then(() => {
      if (this.#queues.get(ns) === tail) this.#queues.delete(ns);
    });
    return next;
  }

  /** Volunteer for `ns` (counted); returns the matching leave. */
  join(ns: string, opts: ScheduleOptions): () => void {
    let entry = this.#entries.get(ns);
    if (entry) entry.count++;
    else {
      entry = { count: 1, opts, lead: leadNamespace(this.d, ns) };
      this.#entries.set(ns, entry);
      const e = entry;
      void this.#enqueue(ns, () => this.#persist(() => this.#candidate(ns, opts), () => this.#entries.get(ns) === e)).catch(() => undefined);
    }
    const mine = entry;
    let left = false;
    return () => {
      // Once only, and not for an entry that a withdraw (or close) already ended.
      if (left || this.#entries.get(ns) !== mine) return;
      left = true;
      if (--mine.count > 0) return;
      this.#entries.delete(ns);
      mine.lead.unsubscribe();
      // Unless it volunteers again meanwhile (that join's candidacy then wins).
      void this.#enqueue(ns, () => this.#persist(() => this.#leave(ns, mine.opts), () => !this.#entries.has(ns))).catch(() => undefined);
    };
  }

  /**
   * Run `f` until it succeeds (etcd may be away for a while), while `wanted()` holds; the first
   * failure is reported, the retries are not (one line per outage, not one per retry).
   */
  async #persist(f: () => Promise<void>, wanted: () => boolean): Promise<void> {
    for (let delay = 50, first = true; wanted() && !this.d.kv.closed; delay = Math.min(1000, delay * 2), first = false) {
      try {
        return await f();
      } catch (e) {
        if (first) this.d.report(e);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async #candidate(ns: string, opts: ScheduleOptions): Promise<void> {
    const value = JSON.stringify({ ...(opts.strategy ? { strategy: opts.strategy } : {}), ...(opts.max !== undefined ? { max: opts.max } : {}) });
    const ck = candidateKey(ns, this.d.hostname);
    const ek = electionKey(ns, this.d.hostname);
    const ttl = this.#ttl(opts);
    // A new `ttl` (a swapped resource) moves the keys to another lease: the old keeper must not
    // put them back after its lease is lost.
    const used = this.#ttlsUsed.get(ns) ?? new Set<number>();
    this.#ttlsUsed.set(ns, used);
    for (const other of used) if (other !== ttl || opts.persist) this.d.lease(other).forget(ck);
    for (const other of used) if (other !== ttl) this.d.lease(other).forget(ek);
    used.add(ttl);
    const lease = this.d.lease(ttl);
    if (opts.persist) await this.d.kv.putIfChanged(ck, value);
    else await lease.put(ck, value);
    await lease.put(ek, this.d.hostname);
  }

  async #leave(ns: string, opts: ScheduleOptions): Promise<void> {
    const lease = this.d.lease(this.#ttl(opts));
    if (!opts.persist) await lease.delete(candidateKey(ns, this.d.hostname));
    // Still the leader? Publish the choice without this host before handing over.
    await reconcileNow(this.d, ns);
    await lease.delete(electionKey(ns, this.d.hostname));
  }

  /**
   * Withdraw this host from `ns` whatever holds it: the subscribers of this process (they stop
   * volunteering) and a candidacy stored by an earlier run (`persist`). Returns whether there was
   * a candidacy; with `check`, only looks.
   */
  async withdraw(ns: string, check = false): Promise<boolean> {
    const ck = candidateKey(ns, this.d.hostname);
    const local = this.#entries.get(ns);
    if (check) return local !== undefined || (await this.d.kv.get(ck)).entry !== undefined;
    if (local) {
      this.#entries.delete(ns);
      local.lead.unsubscribe();
    }
    return this.#enqueue(ns, async () => {
      const stored = (await this.d.kv.get(ck)).entry !== undefined;
      const ek = electionKey(ns, this.d.hostname);
      // The keepers forget the keys too, so that a re-grant after a lost lease does not put them back.
      for (const t of this.#ttlsUsed.get(ns) ?? []) {
        this.d.lease(t).forget(ck);
        this.d.lease(t).forget(ek);
      }
      await this.d.kv.delete(ck);
      await reconcileNow(this.d, ns);
      await this.d.kv.delete(ek);
      return stored || local !== undefined;
    });
  }

  /** Leave every namespace (a clean close). */
  async leaveAll(): Promise<void> {
    const all = [...this.#entries];
    this.#entries.clear();
    await Promise.all(
      all.map(([ns, v]) => {
        v.lead.unsubscribe();
        return this.#enqueue(ns, () => this.#leave(ns, v.opts)).catch(() => undefined);
      }),
    );
  }

  /** Stop leading without touching etcd (a crash, as far as the cluster can tell). */
  drop(): void {
    for (const v of this.#entries.values()) v.lead.unsubscribe();
    this.#entries.clear();
  }
}
