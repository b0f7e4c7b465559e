/**
 * The dpkg side of the `pkg` kind, shared by every `pkg` resource of the process:
 *
 * - {@link dpkgSnapshot}: the state of every package from ONE `dpkg-query -W` for the whole graph
 *   (200 resources checking at once share one in-flight query). The snapshot is cached until the
 *   dpkg database changes: the dpkg watch drops it, and a `stat` of the status file and of the
 *   `updates/` journal guards against changes the watch has not reported yet.
 * - {@link onDpkgChange}: one inotify watch of `/var/lib/dpkg/status` for the process (through
 *   runtime/watch). A dpkg run rewrites the status file several times; listeners hear once, after
 *   the run, when the dpkg locks are free again (the "lock cycle"), so a checkApply that follows sees
 *   the final state and does not queue behind the other program's lock.
 * - {@link dpkgLockHolder}: who holds `/var/lib/dpkg/lock-frontend` or `lock`, read from
 *   `/proc/locks`. dpkg and apt take fcntl (POSIX) locks, which `flock -n` can't see.
 * - {@link packageFiles}: the files a package ships, for autoedges (what `dpkg -L` prints: dpkg's
 *   own `info/<pkg>.list`, read directly so 200 packages don't cost 200 processes).
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { watchPath } from "../../runtime/watch/index.js";
import { sleep } from "./param-fields.js";

export const DPKG_DIR = "/var/lib/dpkg";
const STATUS = `${DPKG_DIR}/status`;
const LOCKS = [`${DPKG_DIR}/lock-frontend`, `${DPKG_DIR}/lock`];

/** One package as dpkg knows it. */
export interface DpkgPackage {
  readonly name: string;
  readonly arch: string;
  /** Selection state: `install`, `hold`, `deinstall`, `purge`, `unknown`. */
  readonly want: string;
  /** `installed`, `config-files`, `not-installed`, `half-installed`, `unpacked`, … */
  readonly status: string;
  /** Installed version ("" when not installed). */
  readonly version: string;
}

export interface DpkgSnapshot {
  /** By `name` and by `name:arch`. */
  readonly packages: ReadonlyMap<string, DpkgPackage>;
  readonly takenAt: number;
}

/** Whether dpkg considers the package installed (`config-files` left after a remove does not count). */
export function isInstalled(p: DpkgPackage | undefined): boolean {
  return p !== undefined && p.status === "installed";
}

const FORMAT = "${Package}\\t${Architecture}\\t${Status}\\t${Version}\\n";

function parseDpkgQuery(out: string): Map<string, DpkgPackage> {
  const m = new Map<string, DpkgPackage>();
  for (const line of out.split("\n")) {
    if (line === "") continue;
    const [name = "", arch = "", status = "", version = ""] = line.split("\t");
    const words = status.split(" ");
    const p: DpkgPackage = { name, arch, want: words[0] ?? "", status: words[2] ?? "", version };
    m.set(`${name}:${arch}`, p);
    // the plain name means the installed one when several architectures are known
    const prev = m.get(name);
    if (!prev || (!isInstalled(prev) && isInstalled(p))) m.set(name, p);
  }
  return m;
}

function dbStamp(): string {
  const s = (p: string): string => {
    try {
      const st = statSync(p, { bigint: true });
      return `${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch {
      return "-";
    }
  };
  return `${s(STATUS)}|${s(`${DPKG_DIR}/updates`)}`;
}

let cached: { stamp: string; snap: Promise<DpkgSnapshot> } | undefined;
let queries = 0;

/** How many `dpkg-query` processes this process has run (tests and benchmarks count them). */
export function dpkgQueryCount(): number {
  return queries;
}

/** Drop the cached snapshot (after an apt transaction, or when the dpkg watch fires). */
export function invalidateSnapshot(): void {
  cached = undefined;
}

/** The state of every package, from one shared `dpkg-query -W` (cached until the database changes). */
export function dpkgSnapshot(): Promise<DpkgSnapshot> {
  const stamp = dbStamp();
  if (cached && cached.stamp === stamp) return cached.snap;
  queries++;
  const snap = new Promise<DpkgSnapshot>((resolve, reject) => {
    execFile("dpkg-query", ["-W", `-f=${FORMAT}`], { maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: "C" } }, (err, stdout, stderr) => {
      // exit 1 with output just means some pattern matched nothing; with no pattern it is a real error
      if (err && stdout === "") reject(new Error(`dpkg-query failed: ${firstLine(stderr) || err.message}`));
      else resolve({ packages: parseDpkgQuery(stdout), takenAt: Date.now() });
    });
  });
  const entry = { stamp, snap };
  cached = entry;
  snap.catch(() => {
    if (cached === entry) cached = undefined;
  });
  return snap;
}

/** Which of `names` are on hold (`apt-mark hold`), installed or not; the snapshot lists installed packages only. */
export function heldPackages(names: readonly string[]): Promise<string[]> {
  return new Promise((resolve) => {
    execFile("dpkg-query", ["-W", "-f=${Package} ${Status}\\n", ...names], { env: { ...process.env, LC_ALL: "C" } }, (_err, stdout) => {
      resolve(
        stdout
          .split("\n")
          .filter((l) => l.split(" ")[1] === "hold")
          .map((l) => l.split(" ")[0]!),
      );
    });
  });
}

export function firstLine(s: string): string {
  return s.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
}

// ---------------------------------------------------------------------------------------------
// locks

/** `maj:min:ino` as /proc/locks prints it (hex major and minor). */
function lockId(path: string): string | undefined {
  try {
    const st = statSync(path);
    const major = (st.dev >> 8) & 0xfff;
    const minor = (st.dev & 0xff) | ((st.dev >> 12) & 0xfff00);
    return `${major.toString(16).padStart(2, "0")}:${minor.toString(16).padStart(2, "0")}:${st.ino}`;
  } catch {
    return undefined;
  }
}

function procName(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

/** The process holding a dpkg lock (`lock-frontend` or `lock`), e.g. `"apt-get (pid 1234)"`; undefined when both are free. */
export function dpkgLockHolder(): string | undefined {
  const ids = new Map<string, string>();
  for (const p of LOCKS) {
    const id = lockId(p);
    if (id) ids.set(id, p);
  }
  if (ids.size === 0) return undefined;
  let text: string;
  try {
    text = readFileSync("/proc/locks", "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    // "5: POSIX  ADVISORY  WRITE 2016 fe:00:402117 0 EOF" (OFD locks show pid -1)
    const f = line.trim().split(/\s+/);
    const id = f[5];
    if (id === undefined || !ids.has(id) || f[1] === "->") continue;
    const pid = f[4] ?? "-1";
    return pid === "-1" ? `an unknown process (${ids.get(id)})` : `${procName(pid)} (pid ${pid})`;
  }
  return undefined;
}

/** Resolve once no other process holds a dpkg lock (polling /proc/locks), or reject when `signal` aborts. */
export async function waitDpkgUnlocked(signal: AbortSignal | undefined, onWait?: (holder: string) => void): Promise<void> {
  let holder = dpkgLockHolder();
  if (holder === undefined) return;
  onWait?.(holder);
  let delay = 50;
  while (holder !== undefined) {
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 500);
    holder = dpkgLockHolder();
  }
}

// ---------------------------------------------------------------------------------------------
// the dpkg watch, one per process

const listeners = new Set<() => void>();
let stopWatch: (() => void) | undefined;
let pending: ReturnType<typeof setTimeout> | undefined;
let lockPoll: AbortController | undefined;

/** Coalesce a burst of status rewrites, then wait for the dpkg locks to be released, then notify. */
function onStatusEvent(): void {
  invalidateSnapshot();
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = undefined;
    if (lockPoll) return; // already waiting for the lock to go; it notifies when it does
    const ac = (lockPoll = new AbortController());
    waitDpkgUnlocked(ac.signal).then(
      () => {
        lockPoll = undefined;
        invalidateSnapshot();
        for (const l of [...listeners]) l();
      },
      () => {
        if (lockPoll === ac) lockPoll = undefined;
      },
    );
  }, 30);
}

/**
 * Call `cb` after each change of the dpkg database (a package installed, removed or upgraded by
 * anyone), once the change is complete. Returns the unsubscribe function. All subscribers share
 * one inotify watch.
 */
export function onDpkgChange(cb: () => void): () => void {
  listeners.add(cb);
  if (!stopWatch) stopWatch = watchPath(STATUS, onStatusEvent);
  return () => {
    if (!listeners.delete(cb) || listeners.size > 0) return;
    stopWatch?.();
    stopWatch = undefined;
    if (pending) clearTimeout(pending);
    pending = undefined;
    lockPoll?.abort();
    lockPoll = undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// the files of a package (autoedges)

let infoDir: { at: number; names: readonly string[] } | undefined;

function listFile(name: string): string | undefined {
  const plain = `${DPKG_DIR}/info/${name}.list`;
  try {
    statSync(plain);
    return plain;
  } catch {
    // multi-arch "same" packages: info/<name>:<arch>.list
  }
  if (!infoDir || Date.now() - infoDir.at > 1000) {
    try {
      infoDir = { at: Date.now(), names: readdirSync(`${DPKG_DIR}/info`).filter((n) => n.endsWith(".list")) };
    } catch {
      infoDir = { at: Date.now(), names: [] };
    }
  }
  const prefix = name.includes(":") ? `${name}.list` : `${name}:`;
  const hit = infoDir.names.find((n) => n.startsWith(prefix));
  return hit === undefined ? undefined : `${DPKG_DIR}/info/${hit}`;
}

/**
 * The paths a package ships (files and directories, as `dpkg -L` lists them), or [] when it is
 * not installed. Directories (the entries that are a parent of another entry) get a trailing `/`,
 * the `file` kind's convention for directories.
 */
export function packageFiles(name: string): readonly string[] {
  const f = listFile(name);
  if (f === undefined) return [];
  let text: string;
  try {
    text = readFileSync(f, "utf8");
  } catch {
    return [];
  }
  const paths = text.split("\n").filter((l) => l.startsWith("/") && l !== "/.");
  const parents = new Set<string>();
  for (const p of paths) parents.add(p.slice(0, p.lastIndexOf("/")));
  return paths.map((p) => (parents.has(p) ? `${p}/` : p));
}
