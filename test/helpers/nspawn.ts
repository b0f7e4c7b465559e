/**
 * A real systemd for tests: boots the host's own root read-only with a tmpfs overlay in
 * systemd-nspawn, with systemd as PID 1 (testing-real-systems.md §1, variant B), and exposes its
 * system bus on a host path. Every boot starts clean; writes (through {@link Container.root})
 * land in the overlay and vanish with the container. The host's /etc is never touched.
 *
 * ```ts
 * const c = await bootContainer();        // 0.3 s idle (recipe); 1.1–2 s measured on the loaded 2-core machine
 * const m = await SystemdManager.connect(c.busAddress);
 * writeFileSync(`${c.root}/etc/systemd/system/x.service`, unit);
 * await c.exec(["systemctl", "stop", "x"]);
 * await c.stop();                          // SIGTERM → orderly halt, umount, rm, cgroups removed
 * ```
 *
 * Deviations from the recipe, and why:
 * - The nspawn process is first moved into its own cgroup (`steward-<name>` in every mounted
 *   hierarchy). Without a host systemd, `--keep-unit` makes nspawn put the container in
 *   `<own cgroup>/payload`; two containers started from the same cgroup would then share
 *   `/payload` and both systemds would manage the same `system.slice/*.service` cgroups (seen
 *   on this machine: two containers both at `/payload/init.scope`). Tests run files in parallel.
 * - Readiness is polled over D-Bus from this process instead of spawning `busctl` every 25 ms.
 * - nspawn is spawned directly (no `setsid` wrapper process), so the test owns and reaps it;
 *   teardown kills by PID only.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { SystemdManager } from "../../runtime/systemd/manager.js";

export interface Container {
  readonly name: string;
  /** Host folder holding the root bind mount, the bus folder and nspawn's log. */
  readonly work: string;
  /** PID of systemd-nspawn (our child). */
  readonly pid: number;
  /** Host PID of the container's PID 1 (systemd). */
  readonly leader: number;
  /** The container's system bus, reachable from the host. */
  readonly busAddress: string;
  /** The container's root as the host sees it (`/proc/<leader>/root`): write unit files under it. */
  readonly root: string;
  /** Milliseconds from spawn to `SystemState=running`. */
  readonly bootMs: number;
  /** Run a command inside the container (all namespaces of PID 1), e.g. `["systemctl", "stop", "x"]`. */
  exec(cmd: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Start `user@0.service` (a `systemd --user` for root, with its user bus) and return that bus's address. */
  startUserManager(): Promise<string>;
  /** Halt the container and remove everything it left (mount, folder, cgroups). Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<{ child: ChildProcess; root: string }>();
let exitHook = false;

/** Whether this machine can boot a test container (root, systemd-nspawn, systemd). */
export function canBootContainer(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root";
  for (const bin of ["/usr/bin/systemd-nspawn", "/lib/systemd/systemd", "/usr/bin/dbus-daemon"]) if (!existsSync(bin)) return `${bin} is missing (apt-get install systemd systemd-container dbus dbus-user-session)`;
  return undefined;
}

let counter = 0;

export interface BootOptions {
  readonly timeoutMs?: number;
  /**
   * Host directories the container sees live, read-only, at the same path: nspawn puts a fresh
   * tmpfs on /tmp, and the overlay caches what it looked up, so a directory under /tmp or one
   * that changes after boot (e.g. the checkout a test runs from) must be bound.
   */
  readonly bindRo?: readonly string[];
  /** Read-write binds, as nspawn's `--bind=SRC[:DST]`. */
  readonly bind?: readonly string[];
}

export async function bootContainer(opts: BootOptions = {}): Promise<Container> {
  const name = `steward-${process.pid}-${++counter}`;
  const work = mkdtempSync("/tmp/steward-nspawn-");
  const rootMount = join(work, "root");
  const busDir = join(work, "bus");
  mkdirSync(rootMount);
  mkdirSync(busDir);
  const cgroups = cgroupDirs(name);
  const t0 = performance.now();
  // nspawn refuses `-D /`, so the host root is bind-mounted (read-only) elsewhere first.
  run("mount", ["--bind", "/", rootMount]);
  run("mount", ["-o", "remount,bind,ro", rootMount]);
  const log = openSync(join(work, "nspawn.log"), "w");
  const args = [
    "-q",
    "-D",
    rootMount,
    "--volatile=overlay",
    // essential: without these the container boots the host's multi-user.target (etcd,
    // postgresql, ssh…) on the host's network
    "--private-network",
    "--register=no", // no host systemd/machined to register with
    "--keep-unit",
    "-M",
    name,
    "--console=pipe",
    `--bind=${busDir}:/run/dbus`,
    ...(opts.bindRo ?? []).map((d) => `--bind-ro=${d}`),
    ...(opts.bind ?? []).map((d) => `--bind=${d}`),
    "-b",
    "systemd.unit=basic.target",
  ];
  // The shell moves itself into the container's own cgroups, then becomes nspawn (same PID).
  const script = 'IFS=:; for d in $STEWARD_CGROUPS; do mkdir -p "$d" && echo $$ > "$d/cgroup.procs" || exit 1; done; exec systemd-nspawn "$@"';
  const child = spawn("sh", ["-c", script, "sh", ...args], {
    stdio: ["ignore", log, log],
    env: { ...process.env, STEWARD_CGROUPS: cgroups.join(":") },
  });
  closeSync(log);
  const entry = { child, root: rootMount };
  live.add(entry);
  if (!exitHook) {
    exitHook = true;
    // last resort if a test process dies without stopping its containers
    process.on("exit", () => {
      for (const e of live) {
        try {
          e.child.kill("SIGKILL");
        } catch {
          // gone
        }
        spawnSync("umount", ["-l", e.root]);
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped: Promise<void> | undefined;
  const busAddress = `unix:path=${busDir}/system_bus_socket`;
  const pid = child.pid!;

  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM"); // orderly halt, 1.5–2 s
        let timer: NodeJS.Timeout | undefined;
        const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 15_000)))]);
        clearTimeout(timer);
        if (!killed) {
          const leader = leaderOf(pid);
          if (leader) process.kill(leader, "SIGKILL");
          child.kill("SIGKILL");
          await exited;
        }
      }
      live.delete(entry);
      for (let i = 0; i < 50 && isMountpoint(rootMount); i++) {
        if (run("umount", [rootMount], true) === 0) break;
        await delay(100);
      }
      if (isMountpoint(rootMount)) run("umount", ["-l", rootMount], true);
      rmSync(work, { recursive: true, force: true });
      for (const d of cgroups) await removeCgroupTree(d);
    })());

  try {
    await waitRunning(busAddress, busDir, child, opts.timeoutMs ?? 60_000, join(work, "nspawn.log"));
  } catch (e) {
    await stop();
    throw e;
  }
  const bootMs = performance.now() - t0;
  const leader = leaderOf(pid);
  if (!leader) {
    await stop();
    throw new Error("container has no leader process");
  }
  const root = `/proc/${leader}/root`;
  freezeAccounts(root);
  const exec = (cmd: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile("nsenter", ["-t", String(leader), "-a", ...cmd], { encoding: "utf8" }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  return {
    name,
    work,
    pid,
    leader,
    busAddress,
    root,
    bootMs,
    exec,
    async startUserManager() {
      const m = await SystemdManager.connect(busAddress);
      try {
        const r = await m.start("user@0.service");
        if (r !== "done") throw new Error(`user@0.service: ${r}`);
      } finally {
        m.close();
      }
      const sock = `${root}/run/user/0/bus`;
      const addr = `unix:path=${sock}`;
      // dbus.socket of the user manager is up once user@0 is; poll for its socket and the manager
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (existsSync(sock)) {
          const um = await SystemdManager.connect(addr).catch(() => undefined);
          const state = await um?.systemState().catch(() => "");
          um?.close();
          if (state === "running" || state === "degraded") return addr;
        }
        if (Date.now() > deadline) throw new Error("the user manager's bus did not come up");
        await delay(20);
      }
    },
    stop,
  };
}

async function waitRunning(address: string, busDir: string, child: ChildProcess, timeoutMs: number, logPath: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const failed = (): Error => new Error(`systemd-nspawn exited (${child.exitCode ?? child.signalCode}): ${readFileSync(logPath, "utf8").trim()}`);
  let m: SystemdManager | undefined;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw failed();
      if (Date.now() > deadline) throw new Error(`container did not reach SystemState=running within ${timeoutMs} ms: ${readFileSync(logPath, "utf8").trim()}`);
      if (!m && existsSync(join(busDir, "system_bus_socket"))) m = await SystemdManager.connect(address).catch(() => undefined);
      if (m) {
        const s = await m.systemState().catch(() => {
          m?.close();
          m = undefined;
          return "";
        });
        if (s === "running" || s === "degraded") return;
      }
      await delay(10);
    }
  } finally {
    m?.close();
  }
}

/** The one child of the nspawn process: the container's PID 1. */
function leaderOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

/** One cgroup folder per mounted hierarchy that systemd uses: hybrid (name=systemd + unified) or pure cgroup2. */
function cgroupDirs(name: string): string[] {
  const base = "/sys/fs/cgroup";
  if (existsSync(`${base}/cgroup.controllers`)) return [`${base}/${name}`];
  return ["systemd", "unified"].filter((h) => existsSync(`${base}/${h}/cgroup.procs`)).map((h) => `${base}/${h}/${name}`);
}

/** rmdir a cgroup and its (empty) children, deepest first; retried briefly while the last processes exit. */
async function removeCgroupTree(dir: string): Promise<void> {
  const rm = (d: string): void => {
    let entries: string[] = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      try {
        if (statSync(p).isDirectory()) rm(p);
      } catch {
        // raced with the kernel
      }
    }
    rmdirSync(d);
  };
  for (let i = 0; i < 50; i++) {
    try {
      rm(dir);
      return;
    } catch {
      await delay(100);
    }
  }
}

function isMountpoint(p: string): boolean {
  return spawnSync("mountpoint", ["-q", p]).status === 0;
}

function run(cmd: string, args: string[], allowFail = false): number {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.error?.message || `exit ${r.status}`}`);
  return r.status ?? 1;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The overlay's lower layer is the live host root, so accounts that host tests create while the
 * container runs (`stwtest…` users, with the first free uid) would appear inside it and collide
 * with what a test applies there. Copying the account files up into the overlay now, without the
 * test accounts, gives the container its own database that no longer follows the host.
 */
function freezeAccounts(root: string): void {
  for (const f of ["passwd", "group", "shadow", "gshadow"]) {
    const host = `/etc/${f}`;
    if (!existsSync(host)) continue;
    const kept = readFileSync(host, "utf8")
      .split("\n")
      .filter((l) => !l.startsWith("stwtest"))
      .join("\n");
    writeFileSync(`${root}/etc/${f}`, kept);
  }
}
