/**
 * The apt side of the `pkg` kind: package transactions with `apt-get`, never prompting, one at a
 * time per process, waiting for other programs' dpkg locks instead of failing.
 *
 * - Serialised in-process ({@link serialise}): ungrouped `pkg` vertices run concurrently in the
 *   engine, but apt/dpkg never do. A transaction is never killed half-way (an interrupted dpkg
 *   leaves the database needing `dpkg --configure -a`): when the resource's signal aborts, the
 *   checkApply returns at once and the running `apt-get` finishes in the background, still holding
 *   the serialiser.
 * - Other programs: before `apt-get` starts we wait while /proc/locks shows a dpkg lock held (up to
 *   {@link lockWaitMs}), and apt itself waits a while more (`DPkg::Lock::Timeout`) for the race
 *   in between; a lock error from apt is retried with backoff until the same deadline.
 * - The package index is refreshed (`apt-get update`) only when apt does not know a package, at
 *   most once per {@link UPDATE_EVERY_MS}.
 * - apt's errors become one-line messages ({@link classifyAptError}).
 * - apt reports its progress on fd 3 (`APT::Status-Fd`); each transaction's time is cut into
 *   phases (pkg-phases.ts) for the debug log and {@link aptTransactions}.
 */
import { spawn } from "node:child_process";
import { raceAbort, sleep } from "./param-fields.js";
import { dpkgLockHolder, firstLine, invalidateSnapshot, waitDpkgUnlocked } from "./pkg-dpkg.js";
import { aptPhases, formatPhases, type AptPhases, type StatusLine } from "./pkg-phases.js";

/** apt flags a transaction may carry (the `allow*` params that mean something to apt). */
export interface AptFlags {
  /** `--allow-downgrades` */
  readonly allowdowngrade: boolean;
  /** `--allow-unauthenticated` */
  readonly allowuntrusted: boolean;
}

export interface AptLog {
  info(msg: string): void;
  debug(msg: string): void;
}

export interface AptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Where the time went (apt-get runs only; from its status fd). */
  readonly phases?: AptPhases;
}

const ENV: NodeJS.ProcessEnv = {
  PATH: process.env["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  LC_ALL: "C",
  DEBIAN_FRONTEND: "noninteractive",
  APT_LISTCHANGES_FRONTEND: "none",
  NEEDRESTART_MODE: "a",
};

/** The progress report goes to fd 3 ({@link runApt}); the terminal output stays as it was, so /var/log/apt/term.log keeps dpkg's output. */
const STATUS_FD = 3;
/** Options of every transaction; bench/pkg-apt-bound.ts runs bare `apt-get` with the same. */
export const BASE_OPTS = ["-q", "-y", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold", "-o", "DPkg::Lock::Timeout=30", "-o", `APT::Status-Fd=${STATUS_FD}`];

/** How long a transaction waits for a dpkg lock held by another program before it fails (ms). */
export let lockWaitMs = 10 * 60_000;
/** Minimum time between two `apt-get update` runs for unknown packages (ms). */
export const UPDATE_EVERY_MS = 10 * 60_000;

/** Tests: shorten the lock wait. */
export function setLockWaitMs(ms: number): void {
  lockWaitMs = ms;
}

/** Every apt-get command line this process ran, in order (tests and benchmarks count them). */
export const aptInvocations: string[] = [];

/** Every successful install/remove transaction of this process with where its time went (the benchmark tables them). */
export const aptTransactions: { readonly command: string; readonly phases: AptPhases }[] = [];

let chain: Promise<unknown> = Promise.resolve();

/** Run `fn` when no other package operation of this process is running. */
export function serialise<T>(fn: () => Promise<T>): Promise<T> {
  const run = chain.then(fn, fn);
  chain = run.catch(() => {});
  return run;
}

/** One `apt-get` run with Steward's environment, its phases read from the status fd; no lock wait or serialiser (the benchmark runs it bare). */
export function runApt(args: readonly string[]): Promise<AptResult> {
  aptInvocations.push(["apt-get", ...args].join(" "));
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn("apt-get", args, { env: ENV, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const status: StatusLine[] = [];
    let partial = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    // timestamped as they arrive: apt writes each line when the step starts
    (child.stdio[STATUS_FD] as NodeJS.ReadableStream).on("data", (d: Buffer) => {
      const at = performance.now();
      const parts = (partial + d.toString()).split("\n");
      partial = parts.pop()!;
      for (const line of parts) status.push({ at, line });
    });
    child.on("error", (e) => resolve({ code: 127, stdout, stderr: `${stderr}E: ${e.message}\n` }));
    child.on("close", (code, sig) => resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr, phases: aptPhases(start, performance.now(), status) }));
  });
}

export type AptErrorKind = "unknown" | "locked" | "held" | "version" | "downgrade" | "untrusted" | "interrupted" | "other";

/** Sort apt's stderr into a kind and a one-line message (without the `E: ` prefix). */
export function classifyAptError(r: AptResult, held: readonly string[] = []): { kind: AptErrorKind; message: string } {
  const err = r.stderr;
  let m: RegExpMatchArray | null;
  if ((m = err.match(/Unable to locate package (\S+)/))) return { kind: "unknown", message: `unknown package ${m[1]}: apt has no such package` };
  if ((m = err.match(/Package '?([^'\s]+)'? has no installation candidate/))) return { kind: "unknown", message: `package ${m[1]} has no installation candidate` };
  if ((m = err.match(/Version '([^']+)' for '([^']+)' was not found/))) return { kind: "version", message: `version ${m[1]} of ${m[2]} is not available` };
  if (/Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock (the )?(administration )?directory/.test(err)) {
    const holder = err.match(/held by process (\d+) \(([^)]+)\)/);
    return { kind: "locked", message: `the dpkg database is locked${holder ? ` by ${holder[2]} (pid ${holder[1]})` : ""}` };
  }
  if (/Held packages were changed|held packages/i.test(err)) {
    const names = held.length > 0 ? held.join(" ") : "some package";
    return { kind: "held", message: `held package ${names}: apt won't change it (apt-mark unhold ${names})` };
  }
  if (/dpkg was interrupted/.test(err)) return { kind: "interrupted", message: "dpkg was interrupted: run `dpkg --configure -a`" };
  if (/downgraded and -y was used without --allow-downgrades/.test(err)) return { kind: "downgrade", message: "this would downgrade a package: set allowdowngrade => true" };
  if (/unauthenticated packages and -y was used without --allow-unauthenticated|cannot be authenticated/.test(err)) {
    return { kind: "untrusted", message: "packages cannot be authenticated: set allowuntrusted => true" };
  }
  const lines = err.split("\n").map((l) => l.trim());
  const e = lines.filter((l) => l.startsWith("E: ")).map((l) => l.slice(3));
  return { kind: "other", message: e[0] ?? (firstLine(err) || `apt-get exited with code ${r.code}`) };
}

let lastUpdate = 0;

/** `apt-get update`, unless one ran in the last {@link UPDATE_EVERY_MS}; returns whether it ran. Call inside {@link serialise}. */
async function updateIndexOnce(log: AptLog, signal: AbortSignal): Promise<boolean> {
  if (lastUpdate !== 0 && Date.now() - lastUpdate < UPDATE_EVERY_MS) return false;
  lastUpdate = Date.now();
  log.info("apt does not know a package: apt-get update");
  const r = await runLocked(["update", "-q"], log, signal);
  if (r.code !== 0) throw new Error(`apt-get update failed: ${classifyAptError(r).message}`);
  return true;
}

/** Run apt-get once the dpkg locks are free, retrying lock errors with backoff until {@link lockWaitMs}. */
async function runLocked(args: readonly string[], log: AptLog, signal: AbortSignal): Promise<AptResult> {
  const deadline = Date.now() + lockWaitMs;
  const wait = AbortSignal.any([signal, AbortSignal.timeout(lockWaitMs)]);
  let backoff = 100;
  for (;;) {
    try {
      await waitDpkgUnlocked(wait, (holder) => log.info(`waiting for the dpkg lock held by ${holder}`));
    } catch {
      if (signal.aborted) throw new Error("aborted while waiting for the dpkg lock");
      throw new Error(`the dpkg database is locked by ${dpkgLockHolder() ?? "another program"} (waited ${Math.round(lockWaitMs / 1000)} s)`);
    }
    // never killed half-way: the checkApply returns and apt-get finishes (serialised) in the background
    const r = await raceAbort(runApt(args), signal, "aborted (the apt transaction finishes in the background)");
    if (r.code === 0 || classifyAptError(r).kind !== "locked" || Date.now() + backoff > deadline) return r;
    log.debug(`apt-get: ${classifyAptError(r).message}; retrying in ${backoff} ms`);
    await sleep(backoff, signal);
    backoff = Math.min(backoff * 2, 5000);
  }
}

/**
 * One apt transaction: `apt-get install -y a b=1.2 c` or `apt-get remove -y a b`, serialised with
 * every other package operation of the process. Unknown packages trigger one `apt-get update` and
 * a second try. Throws a one-line error.
 */
export function aptTransaction(
  op: "install" | "remove",
  targets: readonly string[],
  flags: AptFlags,
  opts: { readonly log: AptLog; readonly signal: AbortSignal; readonly held?: () => Promise<readonly string[]> },
): Promise<void> {
  const args = [op, ...BASE_OPTS];
  if (flags.allowdowngrade) args.push("--allow-downgrades");
  if (flags.allowuntrusted) args.push("--allow-unauthenticated");
  args.push(...targets);
  return serialise(async () => {
    opts.log.info(`apt-get ${op} -y ${targets.join(" ")}`);
    try {
      let r = await runLocked(args, opts.log, opts.signal);
      if (r.code !== 0 && op === "install" && classifyAptError(r).kind === "unknown" && (await updateIndexOnce(opts.log, opts.signal))) {
        r = await runLocked(args, opts.log, opts.signal);
      }
      if (r.code !== 0) {
        const held = /held packages/i.test(r.stderr) && opts.held ? await opts.held() : [];
        throw new Error(`apt-get ${op}: ${classifyAptError(r, held).message}`);
      }
      if (r.phases) {
        opts.log.debug(`apt-get ${op} took ${formatPhases(r.phases)}`);
        aptTransactions.push({ command: aptInvocations[aptInvocations.length - 1]!, phases: r.phases });
      }
    } finally {
      invalidateSnapshot();
    }
  });
}

/** Candidate (newest installable) versions from one `apt-cache policy a b c`; a package apt does not know is absent. */
export async function candidates(names: readonly string[], signal: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  const r = await new Promise<AptResult>((resolve) => {
    const child = spawn("apt-cache", ["policy", ...names], { env: ENV, stdio: ["ignore", "pipe", "pipe"], signal });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => resolve({ code: 127, stdout, stderr: e.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
  if (r.code !== 0) throw new Error(`apt-cache policy: ${classifyAptError(r).message}`);
  let cur: string | undefined;
  for (const line of r.stdout.split("\n")) {
    const head = line.match(/^(\S+):$/);
    if (head) cur = head[1];
    const cand = line.match(/^\s+Candidate:\s+(\S+)/);
    if (cur !== undefined && cand && cand[1] !== "(none)") out.set(cur, cand[1]!);
  }
  return out;
}
