/**
 * Real etcd servers for tests: free loopback ports, data on tmpfs (/dev/shm, no fsync cost), short
 * raft timeouts, SIGKILL teardown by PID (ecosystem.md §3.3: SIGTERM on a whole cluster takes
 * seconds) and removal of the data directory. Every server started here is also SIGKILLed when the
 * test process exits, whatever happens to the test.
 *
 * `npm test` installs Debian's etcd-server when it can (scripts/ensure-etcd.sh); without an etcd
 * binary, `etcdAvailable()` is false and the etcd tests skip with a reason.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EtcdServer, etcdBinary, startEtcdCluster } from "../../runtime/etcd/server.js";

let available: boolean | undefined;
/** Is an etcd binary there to run? */
export function etcdAvailable(): boolean {
  available ??= spawnSync(etcdBinary(), ["--version"], { stdio: "ignore" }).status === 0;
  return available;
}
/** The `skip` option for node:test when etcd is missing. */
export const skipWithoutEtcd = (): string | false => (etcdAvailable() ? false : "no etcd binary (install Debian's etcd-server)");

const live = new Set<EtcdServer>();
process.on("exit", () => {
  for (const s of live) {
    const pid = s.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
});

/** `n` distinct free TCP ports on 127.0.0.1 (held open together so they differ). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = createServer();
      servers.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => resolve());
      });
      const a = s.address();
      if (a === null || typeof a === "string") throw new Error("no port");
      ports.push(a.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

export function tmpBase(tag: string): string {
  const base = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  return mkdtempSync(join(base, `steward-${tag}-`));
}

export interface TestEtcd {
  readonly servers: readonly EtcdServer[];
  /** Client URLs of every member. */
  readonly endpoints: string[];
  readonly dir: string;
  /** SIGKILL every member and remove the data directory. */
  stop(): Promise<void>;
}

/**
 * Start `members` etcd members (default 1) on free loopback ports. Supervision restarts are off:
 * tests stop and start members themselves.
 */
export async function startTestEtcd(opts: { members?: number; extraArgs?: readonly string[]; tag?: string } = {}): Promise<TestEtcd> {
  const n = opts.members ?? 1;
  const dir = tmpBase(opts.tag ?? "etcd");
  try {
    const ports = await freePorts(2 * n);
    const servers = await startEtcdCluster({
      baseDir: dir,
      ports: Array.from({ length: n }, (_, i) => ({ client: ports[2 * i]!, peer: ports[2 * i + 1]! })),
      // Short raft timeouts start a member in ~0.1 s; a cluster on a busy 2-core machine needs a
      // little more slack than the single member to avoid needless leader elections.
      heartbeatMs: n === 1 ? 10 : 25,
      electionMs: n === 1 ? 100 : 250,
      restart: false,
      startTimeoutMs: 20_000,
      ...(opts.extraArgs ? { extraArgs: opts.extraArgs } : {}),
    });
    for (const s of servers) live.add(s);
    return {
      servers,
      endpoints: servers.map((s) => s.clientUrls[0]!),
      dir,
      stop: async () => {
        await Promise.all(servers.map((s) => s.kill()));
        for (const s of servers) live.delete(s);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Poll `f` until it returns true (or a value that is not false/undefined); throws after `ms`. */
export async function until<T>(what: string, f: () => T | false | undefined | Promise<T | false | undefined>, ms = 5000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== false && v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Subscribe and keep every emission. */
export function record<T>(obs: import("rxjs").Observable<T>): { seen: T[]; last: () => T | undefined; stop: () => void } {
  const seen: T[] = [];
  const sub = obs.subscribe((v) => seen.push(v));
  return { seen, last: () => seen.at(-1), stop: () => sub.unsubscribe() };
}
