/**
 * A supervised local etcd server (issue 6 §1, ecosystem.md §3.2–3.3). mgmt embeds etcd in its own
 * process (engine-reference.md §6.1); Node can't, so Steward spawns Debian's `etcd` binary
 * (package `etcd-server`, 3.4) as a child process, waits until it answers `/health`, restarts it
 * with backoff when it dies on its own, and stops it cleanly (SIGTERM, then SIGKILL after a timeout).
 *
 * `startEtcdCluster` starts N members at once on given ports (tests, `docs/cluster.md`): members of
 * a new cluster only become healthy together, so they are spawned first and awaited afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, closeSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { dirname, join } from "node:path";

export interface EtcdServerOptions {
  /** Member name (mgmt: the hostname). */
  readonly name: string;
  /** The member's data directory (created 0700); `steward etcd` uses `<prefix>/etcd/server`. */
  readonly dataDir: string;
  /** URLs the server listens on for clients, e.g. `http://127.0.0.1:2379`. */
  readonly clientUrls: readonly string[];
  /** URLs the server listens on for its peers, e.g. `http://127.0.0.1:2380`. */
  readonly peerUrls: readonly string[];
  /** Advertised client URLs (default: `clientUrls`). */
  readonly advertiseClientUrls?: readonly string[];
  /** Advertised peer URLs (default: `peerUrls`). */
  readonly advertisePeerUrls?: readonly string[];
  /** `name=peerURL,…` of every member (default: this member alone). */
  readonly initialCluster?: string;
  readonly initialClusterState?: "new" | "existing";
  /** Must be identical on every member of one cluster (ecosystem.md §3.3 pitfall). */
  readonly clusterToken?: string;
  /** The etcd binary (default `$STEWARD_ETCD_BINARY` or `etcd` on PATH). */
  readonly binary?: string;
  /** Raft heartbeat and election timeouts in ms (etcd defaults 100/1000; tests use 10/100). */
  readonly heartbeatMs?: number;
  readonly electionMs?: number;
  /** Where etcd logs: a file path, or `"stderr"` to pass its log through (default `<dataDir>.log`). */
  readonly log?: string;
  /** Restart the process when it exits without being asked to (default true). */
  readonly restart?: boolean;
  /** How long `start()` waits for health (default 60 s, as mgmt). */
  readonly startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL (default 15 s, as mgmt). */
  readonly stopTimeoutMs?: number;
  /** Further etcd flags, passed as they are. */
  readonly extraArgs?: readonly string[];
  /** Lifecycle reports (started, healthy, exited, restarting). */
  readonly onEvent?: (e: EtcdServerEvent) => void;
}

export type EtcdServerEvent =
  | { readonly type: "started"; readonly pid: number }
  | { readonly type: "healthy"; readonly ms: number }
  | { readonly type: "exited"; readonly code: number | null; readonly signal: string | null; readonly expected: boolean }
  | { readonly type: "restarting"; readonly delayMs: number }
  | { readonly type: "error"; readonly message: string };

/** The etcd binary to run: `$STEWARD_ETCD_BINARY` or `etcd`. */
export function etcdBinary(): string {
  return process.env["STEWARD_ETCD_BINARY"] || "etcd";
}

const RESTART_MIN_MS = 250;
const RESTART_MAX_MS = 10_000;
/** A process that stayed up this long resets the restart backoff. */
const RESTART_RESET_MS = 30_000;

export class EtcdServer {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #stopping = false;
  #restartTimer: NodeJS.Timeout | undefined;
  #backoffMs = RESTART_MIN_MS;
  #startedAt = 0;

  constructor(readonly opts: EtcdServerOptions) {}

  /** The running process's PID (undefined while stopped or between restarts). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }
  get name(): string {
    return this.opts.name;
  }
  get clientUrls(): readonly string[] {
    return this.opts.advertiseClientUrls ?? this.opts.clientUrls;
  }
  get peerUrl(): string {
    return (this.opts.advertisePeerUrls ?? this.opts.peerUrls)[0] ?? "";
  }

  /** The etcd command line (without the binary). */
  args(): string[] {
    const o = this.opts;
    const adC = o.advertiseClientUrls ?? o.clientUrls;
    const adP = o.advertisePeerUrls ?? o.peerUrls;
    const log = o.log ?? `${o.dataDir}.log`;
    const a = [
      "--name", o.name,
      "--data-dir", o.dataDir,
      "--listen-client-urls", o.clientUrls.join(","),
      "--advertise-client-urls", adC.join(","),
      "--listen-peer-urls", o.peerUrls.join(","),
      "--initial-advertise-peer-urls", adP.join(","),
      "--initial-cluster", o.initialCluster ?? `${o.name}=${adP[0] ?? ""}`,
      "--initial-cluster-state", o.initialClusterState ?? "new",
      "--initial-cluster-token", o.clusterToken ?? "steward",
      "--logger", "zap",
      "--log-outputs", log === "stderr" ? "stderr" : log,
    ];
    if (o.heartbeatMs !== undefined) a.push("--heartbeat-interval", String(o.heartbeatMs));
    if (o.electionMs !== undefined) a.push("--election-timeout", String(o.electionMs));
    return [...a, ...(o.extraArgs ?? [])];
  }

  /**
   * Spawn etcd (if not running) and, unless `wait` is false, wait until it is healthy.
   * Throws when the binary is missing or health does not come within `startTimeoutMs`.
   */
  async start(wait = true): Promise<void> {
    this.#stopping = false;
    if (!this.#child) await this.#spawn();
    if (wait) await this.waitHealthy();
  }

  async #spawn(): Promise<void> {
    const o = this.opts;
    mkdirSync(dirname(o.dataDir), { recursive: true, mode: 0o700 });
    const log = o.log ?? `${o.dataDir}.log`;
    // etcd writes its zap log itself; its own stdout/stderr (panics before the logger is up) go to
    // the same file, or are passed through.
    let fd: number | undefined;
    if (log !== "stderr") fd = openSync(log, "a", 0o600);
    const child = spawn(o.binary ?? etcdBinary(), this.args(), {
      stdio: ["ignore", fd ?? "inherit", fd ?? "inherit"],
      env: { ...process.env, ETCD_UNSUPPORTED_ARCH: process.env["ETCD_UNSUPPORTED_ARCH"] ?? "" },
    });
    if (fd !== undefined) closeSync(fd);
    this.#child = child;
    this.#startedAt = Date.now();
    const spawned = new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (e) => reject(new Error(`cannot run '${o.binary ?? etcdBinary()}': ${e.message}`)));
    });
    this.#exited = new Promise<void>((resolve) => {
      child.once("exit", (code, signal) => {
        if (this.#child === child) this.#child = undefined;
        const expected = this.#stopping;
        o.onEvent?.({ type: "exited", code, signal, expected });
        resolve();
        if (!expected && o.restart !== false) this.#scheduleRestart();
      });
    });
    await spawned;
    o.onEvent?.({ type: "started", pid: child.pid ?? -1 });
  }

  #scheduleRestart(): void {
    if (Date.now() - this.#startedAt > RESTART_RESET_MS) this.#backoffMs = RESTART_MIN_MS;
    const delayMs = this.#backoffMs;
    this.#backoffMs = Math.min(RESTART_MAX_MS, this.#backoffMs * 2);
    this.opts.onEvent?.({ type: "restarting", delayMs });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#stopping || this.#child) return;
      this.#spawn().catch((e: unknown) => {
        this.opts.onEvent?.({ type: "error", message: e instanceof Error ? e.message : String(e) });
        this.#scheduleRestart();
      });
    }, delayMs);
  }

  /** Resolves once the server reports `{"health":"true"}` (or, for https, accepts connections). */
  async waitHealthy(timeoutMs = this.opts.startTimeoutMs ?? 60_000): Promise<void> {
    const t0 = Date.now();
    const url = this.opts.clientUrls[0] ?? "";
    for (;;) {
      if (await checkHealth(url)) {
        this.opts.onEvent?.({ type: "healthy", ms: Date.now() - t0 });
        return;
      }
      if (!this.#child && !this.#restartTimer) throw new Error(`etcd '${this.opts.name}' is not running (see its log: ${this.opts.log ?? `${this.opts.dataDir}.log`})`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`etcd '${this.opts.name}' not healthy after ${timeoutMs} ms at ${url}`);
      await sleep(20);
    }
  }

  /** Stop: SIGTERM, wait, SIGKILL after `stopTimeoutMs`. No restart afterwards. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const child = this.#child;
    if (!child) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), this.opts.stopTimeoutMs ?? 15_000);
    await this.#exited;
    clearTimeout(timer);
  }

  /** SIGKILL at once and wait for the exit; no restart afterwards (throw-away test clusters). */
  async kill(): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const child = this.#child;
    if (!child) return;
    child.kill("SIGKILL");
    await this.#exited;
  }

  /** Simulate a crash: SIGKILL without stopping supervision, so the server is restarted. */
  crash(): void {
    this.#child?.kill("SIGKILL");
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** One health probe: GET /health for http URLs, a TCP connect for https ones. */
export function checkHealth(url: string, timeoutMs = 1000): Promise<boolean> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 2379));
  if (u.protocol !== "http:") {
    return new Promise((resolve) => {
      const s = connect({ host: u.hostname, port, timeout: timeoutMs }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
      s.on("timeout", () => {
        s.destroy();
        resolve(false);
      });
    });
  }
  return new Promise((resolve) => {
    const req = request({ host: u.hostname, port, path: "/health", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => {
        try {
          resolve((JSON.parse(body) as { health?: unknown }).health === "true");
        } catch {
          resolve(false);
        }
      });
      res.on("error", () => resolve(false));
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

export interface EtcdClusterOptions {
  /** Base directory: member i keeps its data in `<baseDir>/<name>` and logs to `<baseDir>/<name>.log`. */
  readonly baseDir: string;
  /** One `{client, peer}` port pair per member, on `host` (default 127.0.0.1). */
  readonly ports: readonly { readonly client: number; readonly peer: number }[];
  readonly host?: string;
  /** Member names (default `n0`, `n1`, …). */
  readonly names?: readonly string[];
  readonly clusterToken?: string;
  readonly heartbeatMs?: number;
  readonly electionMs?: number;
  readonly restart?: boolean;
  readonly binary?: string;
  readonly startTimeoutMs?: number;
  readonly extraArgs?: readonly string[];
}

/**
 * Start an N-member cluster: every member is spawned, then all are awaited (a member of a new
 * multi-member cluster is healthy only once a quorum is up). Returns the servers, in order.
 */
export async function startEtcdCluster(o: EtcdClusterOptions): Promise<EtcdServer[]> {
  const host = o.host ?? "127.0.0.1";
  const names = o.ports.map((_, i) => o.names?.[i] ?? `n${i}`);
  const initialCluster = o.ports.map((p, i) => `${names[i]!}=http://${host}:${p.peer}`).join(",");
  const servers = o.ports.map(
    (p, i) =>
      new EtcdServer({
        name: names[i]!,
        dataDir: join(o.baseDir, names[i]!),
        clientUrls: [`http://${host}:${p.client}`],
        peerUrls: [`http://${host}:${p.peer}`],
        initialCluster,
        clusterToken: o.clusterToken ?? "steward-test",
        ...(o.heartbeatMs === undefined ? {} : { heartbeatMs: o.heartbeatMs }),
        ...(o.electionMs === undefined ? {} : { electionMs: o.electionMs }),
        ...(o.restart === undefined ? {} : { restart: o.restart }),
        ...(o.binary === undefined ? {} : { binary: o.binary }),
        ...(o.startTimeoutMs === undefined ? {} : { startTimeoutMs: o.startTimeoutMs }),
        ...(o.extraArgs === undefined ? {} : { extraArgs: o.extraArgs }),
      }),
  );
  try {
    for (const s of servers) await s.start(false);
    await Promise.all(servers.map((s) => s.waitHealthy()));
  } catch (e) {
    await Promise.all(servers.map((s) => s.kill()));
    throw e;
  }
  return servers;
}
