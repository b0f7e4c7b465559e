/**
 * One etcd lease kept alive for as long as its owner lives, with the keys attached to it.
 *
 * etcd3's `Lease` sends keepalives every TTL/3 and emits `lost` when the lease is gone (expired
 * while etcd was unreachable, or revoked). Then every attached key has been deleted by etcd, so
 * the keeper grants a new lease and puts the keys again (ecosystem.md §3.1: "re-grant and re-put on
 * lost"). A host whose process dies stops sending keepalives, and etcd deletes its keys after TTL:
 * that is how other hosts learn it is gone.
 */
import type { Etcd3, Lease } from "etcd3";
import type { EtcdKv } from "./etcd-client.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class LeaseKeeper {
  #lease: Lease | undefined;
  #id: Promise<string> | undefined;
  #closedSelf = false;
  /** Keys attached to the lease, with their values: put again after a re-grant. */
  readonly #keys = new Map<string, string>();

  constructor(
    private readonly kv: EtcdKv,
    /** Seconds (≥ 1). */
    readonly ttl: number,
    private readonly onLost?: (err: unknown) => void,
  ) {}

  /** Closed itself, or its client is gone. */
  get #closed(): boolean {
    return this.#closedSelf || this.kv.closed;
  }

  private get client(): Etcd3 {
    return this.kv.client;
  }

  /** The current lease id, granting one (and retrying until etcd answers) when needed. */
  id(): Promise<string> {
    if (this.#closed) return Promise.reject(new Error("lease closed"));
    this.#id ??= this.#grant();
    return this.#id;
  }

  async #grant(): Promise<string> {
    for (let delay = 50; ; delay = Math.min(1000, delay * 2)) {
      if (this.#closed) throw new Error("lease closed");
      const lease = this.client.lease(this.ttl, { autoKeepAlive: true });
      try {
        const id = await lease.grant();
        if (this.#closed) {
          void lease.revoke().catch(() => undefined);
          throw new Error("lease closed");
        }
        this.#lease = lease;
        lease.on("lost", (err) => {
          if (this.#lease !== lease || this.#closed) return;
          this.#lease = undefined;
          this.#id = undefined;
          this.onLost?.(err);
          void this.#reattach();
        });
        return id;
      } catch (e) {
        lease.release();
        if (this.#closed) throw e;
        await sleep(delay);
      }
    }
  }

  async #reattach(): Promise<void> {
    try {
      const id = await this.id();
      for (const [k, v] of [...this.#keys]) {
        if (this.#keys.get(k) !== v) continue;
        await this.#retry(() => this.kv.putIfChanged(k, v, id));
      }
    } catch {
      // closed meanwhile
    }
  }

  async #retry<T>(f: () => Promise<T>): Promise<T | undefined> {
    for (let delay = 50; !this.#closed; delay = Math.min(1000, delay * 2)) {
      try {
        return await f();
      } catch {
        await sleep(delay);
      }
    }
    return undefined;
  }

  /** Put `key` = `value` on this lease (unless it holds exactly that already); remembered for re-grants. */
  async put(key: string, value: string): Promise<boolean> {
    this.#keys.set(key, value);
    const id = await this.id();
    return this.kv.putIfChanged(key, value, id);
  }

  /** Forget and delete `key`. */
  async delete(key: string): Promise<void> {
    this.#keys.delete(key);
    await this.kv.delete(key);
  }

  /** Stop re-putting `key` after a re-grant, leaving it in etcd (it moved to another lease). */
  forget(key: string): void {
    this.#keys.delete(key);
  }

  /** Is `key` attached? */
  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Revoke the lease: etcd deletes every attached key at once. */
  async revoke(): Promise<void> {
    this.#closedSelf = true;
    const lease = this.#lease;
    this.#lease = undefined;
    this.#keys.clear();
    if (lease) await lease.revoke().catch(() => undefined);
  }

  /** Stop the keepalives without revoking (a crash, as far as the cluster can tell). */
  abandon(): void {
    this.#closedSelf = true;
    this.#lease?.release();
    this.#lease = undefined;
  }
}
