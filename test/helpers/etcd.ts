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
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** Is openssl there to make a test CA? */
export const haveOpenssl = (): boolean => spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;

export interface TlsEtcd {
  /** the `https://127.0.0.1:PORT` client URL */
  readonly endpoint: string;
  /** PEM file of the CA that signed the server's certificate */
  readonly caFile: string;
  readonly ca: Buffer;
  stop(): Promise<void>;
}

/** One etcd member serving clients over TLS only, with a fresh CA and certificate made by openssl. */
export async function startTlsEtcd(tag: string): Promise<TlsEtcd> {
  const dir = tmpBase(tag);
  const ssl = (...args: string[]): void => {
    const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=steward-test-ca");
  ssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(join(dir, "ext"), "subjectAltName=IP:127.0.0.1\n");
  ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "ext");
  const [client, peer] = (await freePorts(2)) as [number, number];
  const s = new EtcdServer({
    name: tag,
    dataDir: join(dir, "data"),
    clientUrls: [`https://127.0.0.1:${client}`],
    peerUrls: [`http://127.0.0.1:${peer}`],
    heartbeatMs: 10,
    electionMs: 100,
    restart: false,
    extraArgs: ["--cert-file", join(dir, "server.crt"), "--key-file", join(dir, "server.key")],
  });
  try {
    await s.start();
  } catch (e) {
    await s.kill();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  live.add(s);
  return {
    endpoint: `https://127.0.0.1:${client}`,
    caFile: join(dir, "ca.crt"),
    ca: readFileSync(join(dir, "ca.crt")),
    stop: async () => {
      await s.kill();
      live.delete(s);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Turn on etcd authentication with one `root` user holding the root role. */
export async function enableEtcdAuth(endpoints: readonly string[], rootPassword: string): Promise<void> {
  const { Etcd3 } = await import("etcd3");
  const admin = new Etcd3({ hosts: [...endpoints] });
  try {
    await admin.role("root").create();
    await admin.user("root").create(rootPassword);
    await admin.user("root").addRole("root");
    await admin.auth.authEnable({});
  } finally {
    admin.close();
  }
}
