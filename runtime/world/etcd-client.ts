/**
 * The thin layer over the `etcd3` client that EtcdWorld uses (ecosystem.md §3.1: the client is
 * frozen, so it is wrapped here and nowhere else): connection options (endpoints, TLS,
 * user/password), fault handling tuned for short outages, and the raw KV calls with Steward's key
 * namespace applied. Keys and values are bytes on the wire; Steward's keys are UTF-8 strings.
 *
 * Writes are "compare value (and lease), else put" transactions (engine-reference.md §6.2): an
 * unchanged write creates no revision, so no watcher — the writer's own included — wakes up.
 */
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Etcd3, type IOptions, type IKeyValue, type IRequestOp, type ICompare, type Watcher } from "etcd3";

/** All of Steward's keys live below this prefix (mgmt: `/_mgmt`). */
export const STEWARD_NAMESPACE = "/steward/";

export interface EtcdTlsOptions {
  /** PEM CA certificate(s) to trust (default: Node's roots and NODE_EXTRA_CA_CERTS). */
  readonly ca?: Buffer;
  /** PEM client certificate and key, for servers that require client certificates. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

export interface EtcdConnectOptions {
  /** Client URLs (`http://…` or `https://…`) of one or more members. */
  readonly endpoints: readonly string[];
  /** Key prefix (default `/steward/`). */
  readonly namespace?: string;
  /** TLS settings for `https://` endpoints. */
  readonly tls?: EtcdTlsOptions;
  /** etcd user/password authentication. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Deadline of each unary call (default 5 s). */
  readonly callTimeoutMs?: number;
  /** How long to wait for a connection (default 5 s, as mgmt's client). */
  readonly dialTimeoutMs?: number;
}

export { parseEndpoints } from "./endpoints.js";

type FaultHandling = NonNullable<IOptions["faultHandling"]>;
type HostPolicy = ReturnType<NonNullable<FaultHandling["host"]>>;
type Backoff = NonNullable<FaultHandling["watchBackoff"]>;

const noEvent = () => ({ dispose: () => undefined });

/**
 * etcd3's default per-host circuit breaker blocks a host for 5 s after 3 failures, which turns a
 * 2 s outage of a single member into 5 s of refused calls. Steward retries on its own, so a host
 * is always tried (the global policy still retries up to 3 times on another host).
 */
function passThroughPolicy(): HostPolicy {
  const policy = {
    _altReturn: undefined as never,
    onSuccess: noEvent,
    onFailure: noEvent,
    execute: async <T>(fn: (ctx: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> => fn({ signal: new AbortController().signal }),
  };
  return policy as unknown as HostPolicy;
}

/** Watch stream reconnects: 50 ms, then doubling to at most 1 s (etcd3's default goes to 30 s). */
function watchBackoff(ms: number): Backoff {
  return { duration: ms, next: () => watchBackoff(Math.min(1000, ms * 2)) } as Backoff;
}

/**
 * The roots Node would trust by default, when the bin started Node without NODE_EXTRA_CA_CERTS
 * (runtime/cli/bin-loader.ts: Node 20 parses that file at every start, for nothing unless a TLS
 * connection is made): Node's bundled roots plus the file's certificates. Undefined when Node
 * loaded the file itself (`node main.js`, tests), when gRPC's own roots file is set, or when the
 * file can't be read (Node would have ignored it too, with a warning at start).
 */
export function deferredExtraCaRoots(): Buffer | undefined {
  const file = (process as unknown as Record<symbol, unknown>)[Symbol.for("steward.deferredExtraCaCerts")];
  if (typeof file !== "string" || file === "" || process.env["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"]) return undefined;
  let extra: string;
  try {
    extra = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return Buffer.from(`${rootCertificates.join("\n")}\n${extra}`);
}

/** Create an `etcd3` client for the options. */
export function createEtcdClient(o: EtcdConnectOptions): Etcd3 {
  if (o.endpoints.length === 0) throw new Error("etcd: no endpoints");
  const callTimeout = o.callTimeoutMs ?? 5000;
  const opts: IOptions = {
    hosts: [...o.endpoints],
    dialTimeout: o.dialTimeoutMs ?? 5000,
    // Half-open TCP connections are only noticed through gRPC keepalives (etcd3 issue #110).
    grpcOptions: { "grpc.keepalive_time_ms": 5000, "grpc.keepalive_timeout_ms": 2000, "grpc.keepalive_permit_without_calls": 1 },
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + callTimeout }),
    faultHandling: { host: () => passThroughPolicy(), watchBackoff: { duration: 0, next: () => watchBackoff(50) } as Backoff },
  };
  // Without --etcd-ca, gRPC trusts Node's default roots; credentials are needed only to add the
  // roots Node did not load (deferredExtraCaRoots) or a client certificate (which then takes the
  // roots Node would have used).
  const https = o.endpoints.some((e) => e.startsWith("https://"));
  const ca = o.tls?.ca ?? (https ? deferredExtraCaRoots() : undefined);
  if (ca !== undefined || o.tls?.cert !== undefined) {
    opts.credentials = {
      rootCertificate: ca ?? Buffer.from(rootCertificates.join("\n")),
      ...(o.tls?.key ? { privateKey: o.tls.key } : {}),
      ...(o.tls?.cert ? { certChain: o.tls.cert } : {}),
    };
  }
  if (o.auth) opts.auth = { username: o.auth.username, password: o.auth.password };
  return new Etcd3(opts);
}

/** A key/value as Steward sees it: key without the namespace, numeric revisions. */
export interface KvEntry {
  readonly key: string;
  readonly value: Buffer;
  readonly createRev: number;
  readonly modRev: number;
  /** Lease id ("0" when none). */
  readonly lease: string;
}

/** The smallest key greater than every key with this prefix (etcd's `range_end` for a prefix). */
export function prefixEnd(b: Buffer): Buffer {
  const e = Buffer.from(b);
  for (let i = e.length - 1; i >= 0; i--) {
    if (e[i]! < 0xff) {
      e[i] = e[i]! + 1;
      return e.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // every key
}

/** Namespaced raw KV calls with numeric revisions. */
export class EtcdKv {
  readonly ns: Buffer;
  /** Set by `shutdown`: retry loops built on this object stop. */
  closed = false;
  /** Live watchers, cancelled by `shutdown` (etcd3 would otherwise retry them forever). */
  readonly watchers = new Set<Watcher>();
  constructor(
    readonly client: Etcd3,
    namespace: string = STEWARD_NAMESPACE,
  ) {
    this.ns = Buffer.from(namespace);
  }

  /** Cancel every watcher and close the client. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.watchers) void w.cancel().catch(() => undefined);
    this.watchers.clear();
    this.client.close();
  }

  full(key: string): Buffer {
    return Buffer.concat([this.ns, Buffer.from(key)]);
  }
  strip(key: Buffer): string {
    return key.subarray(this.ns.length).toString();
  }
  entry(kv: IKeyValue): KvEntry {
    return { key: this.strip(kv.key), value: kv.value, createRev: Number(kv.create_revision), modRev: Number(kv.mod_revision), lease: String(kv.lease ?? "0") };
  }

  /** One key, and the store revision the answer is from. */
  async get(key: string): Promise<{ entry: KvEntry | undefined; rev: number }> {
    const r = await this.client.kv.range({ key: this.full(key) });
    const kv = r.kvs[0];
    return { entry: kv ? this.entry(kv) : undefined, rev: Number(r.header.revision) };
  }

  /** Every key with the prefix (sorted by key), and the store revision the answer is from. */
  async range(prefix: string): Promise<{ entries: KvEntry[]; rev: number }> {
    const k = this.full(prefix);
    const r = await this.client.kv.range({ key: k, range_end: prefixEnd(k) });
    return { entries: r.kvs.map((kv) => this.entry(kv)), rev: Number(r.header.revision) };
  }

  /** The ops of a compare-and-put: compare the value (and lease), put in the failure branch. */
  casOps(key: string, value: string | Buffer, lease?: string): { compare: ICompare[]; put: IRequestOp } {
    const k = this.full(key);
    const v = typeof value === "string" ? Buffer.from(value) : value;
    const compare: ICompare[] = [{ key: k, target: "Value", result: "Equal", value: v }];
    compare.push({ key: k, target: "Lease", result: "Equal", lease: lease ?? "0" });
    return { compare, put: { request_put: { key: k, value: v, ...(lease ? { lease } : {}) } } };
  }

  /** Put unless the key already holds exactly this value (and lease). Returns whether it wrote. */
  async putIfChanged(key: string, value: string | Buffer, lease?: string): Promise<boolean> {
    const { compare, put } = this.casOps(key, value, lease);
    const r = await this.client.kv.txn({ compare, success: [], failure: [put] });
    return !r.succeeded;
  }

  /** Create the key only if it does not exist. Returns whether it was created. */
  async create(key: string, value: string | Buffer, lease?: string): Promise<boolean> {
    const k = this.full(key);
    const v = typeof value === "string" ? Buffer.from(value) : value;
    const r = await this.client.kv.txn({
      compare: [{ key: k, target: "Create", result: "Equal", create_revision: 0 }],
      success: [{ request_put: { key: k, value: v, ...(lease ? { lease } : {}) } }],
      failure: [],
    });
    return r.succeeded;
  }

  /** Delete one key; returns whether it existed. */
  async delete(key: string): Promise<boolean> {
    const r = await this.client.kv.deleteRange({ key: this.full(key) });
    return Number(r.deleted) > 0;
  }

  async deletePrefix(prefix: string): Promise<number> {
    const k = this.full(prefix);
    const r = await this.client.kv.deleteRange({ key: k, range_end: prefixEnd(k) });
    return Number(r.deleted);
  }
}
