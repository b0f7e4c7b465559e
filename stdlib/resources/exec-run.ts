/**
 * Child processes for the `exec` kind. Every command runs in its own process group (a new session,
 * `detached`), so a timeout or an abort can signal the whole tree: the stop signal (default
 * SIGTERM) first, SIGKILL for whatever is left once the leader exits or the grace period ends.
 * Commands run with exactly the environment given (mgmt: empty unless `env` is set); the program
 * is looked up on the env's PATH, or a default one, by us, so an empty env still finds `/bin/sh`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";

/** Used when the command's env has no PATH (mgmt runs commands with an empty environment). */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Grace between the stop signal and SIGKILL. */
const KILL_GRACE_MS = 500;
/** After the leader exits, how long to wait for stragglers holding stdout/stderr open. */
const PIPE_GRACE_MS = 100;

export interface RunSpec {
  /** The program (absolute, or looked up on PATH) and its arguments: no shell involved. */
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly uid?: number;
  readonly gid?: number;
  readonly stopSignal: NodeJS.Signals;
}

export interface RunResult {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved in arrival order. */
  readonly output: string;
  readonly ms: number;
}

/** The absolute program path for `file`: as is when it contains a slash, else the first executable on PATH. */
export function resolveProgram(file: string, pathVar: string | undefined): string | undefined {
  if (file.includes("/")) return file;
  for (const dir of (pathVar ?? DEFAULT_PATH).split(":")) {
    if (!dir) continue;
    const p = join(dir, file);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Signal the process group led by `pid` (every command runs in its own); a gone group is fine. */
export function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // ESRCH: the group is gone already
  }
}

function spawnIn(spec: RunSpec, stdin: "ignore"): ChildProcess {
  const program = resolveProgram(spec.file, spec.env["PATH"]);
  if (!program) throw new Error(`command not found: ${spec.file}`);
  return spawn(program, spec.args, {
    cwd: spec.cwd || undefined,
    env: { ...spec.env },
    uid: spec.uid,
    gid: spec.gid,
    detached: true, // setsid: own session and process group
    stdio: [stdin, "pipe", "pipe"],
  });
}

/**
 * Run a command to completion, capturing its output. Rejects on spawn failure, on timeout
 * ("timed out after …") and on abort (with the signal's reason); the process group is killed in
 * both cases. A non-zero exit resolves (the caller decides).
 */
export function runCommand(spec: RunSpec, opts: { readonly timeoutMs?: number; readonly signal?: AbortSignal; readonly onSpawn?: (pid: number) => void } = {}): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const t0 = performance.now();
    if (opts.signal?.aborted) {
      reject(opts.signal.reason);
      return;
    }
    let child: ChildProcess;
    try {
      child = spawnIn(spec, "ignore");
    } catch (e) {
      reject(e);
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const all: Buffer[] = [];
    child.stdout?.on("data", (b: Buffer) => (out.push(b), all.push(b)));
    child.stderr?.on("data", (b: Buffer) => (err.push(b), all.push(b)));
    let failure: unknown;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: unknown): void => {
      if (failure !== undefined) return;
      failure = why;
      killGroup(child.pid, spec.stopSignal);
      killTimer = setTimeout(() => killGroup(child.pid, "SIGKILL"), KILL_GRACE_MS);
    };
    const timer = opts.timeoutMs ? setTimeout(() => stop(new Error(`timed out after ${opts.timeoutMs! / 1000} s`)), opts.timeoutMs) : undefined;
    const onAbort = (): void => stop(opts.signal?.reason ?? new Error("aborted"));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);

    let settled = false;
    const finish = (code: number | null, sig: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      opts.signal?.removeEventListener("abort", onAbort);
      if (failure !== undefined) {
        killGroup(child.pid, "SIGKILL"); // the leader is gone; stragglers in its group go too
        reject(failure);
        return;
      }
      resolve({
        pid: child.pid ?? -1,
        code,
        signal: sig,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        output: Buffer.concat(all).toString("utf8"),
        ms: performance.now() - t0,
      });
    };
    child.on("error", (e) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      opts.signal?.removeEventListener("abort", onAbort);
      if (!settled) {
        settled = true;
        reject(e);
      }
    });
    child.on("close", (code, sig) => finish(code, sig));
    child.on("exit", (code, sig) => {
      // A background grandchild may keep the pipes open forever (Go's cmd.Wait blocks there);
      // give the pipes a moment, then stop reading.
      setTimeout(() => {
        if (settled) return;
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, sig);
      }, PIPE_GRACE_MS).unref();
    });
  });
}

export interface LongRunning {
  readonly pid: number | undefined;
  /** Stop signal to the group, SIGKILL after the grace period; resolves when the leader has exited. */
  stop(): Promise<void>;
}

/**
 * Start a long-running command (`watchcmd`): `onLine` for each non-empty stdout line, `onExit`
 * if it exits by itself (not after `stop`). stderr lines go to `onStderr`.
 */
export function startLongRunning(
  spec: RunSpec,
  onLine: (line: string) => void,
  onExit: (code: number | null, sig: NodeJS.Signals | null) => void,
  onStderr: (line: string) => void,
): LongRunning {
  const child = spawnIn(spec, "ignore");
  let stopping = false;
  let exited = false;
  const exitedP = new Promise<void>((r) => child.on("exit", () => ((exited = true), r())));
  const lines = (cb: (l: string) => void) => {
    let buf = "";
    return (b: Buffer): void => {
      buf += b.toString("utf8");
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const l = buf.slice(0, i).replace(/\r$/, "");
        buf = buf.slice(i + 1);
        if (l.trim() !== "") cb(l);
      }
    };
  };
  child.stdout?.on("data", lines(onLine));
  child.stderr?.on("data", lines(onStderr));
  child.on("error", () => {
    if (!stopping) onExit(null, null);
  });
  child.on("exit", (code, sig) => {
    if (!stopping) onExit(code, sig);
  });
  return {
    pid: child.pid,
    async stop() {
      stopping = true;
      if (exited || child.pid === undefined) return;
      killGroup(child.pid, spec.stopSignal);
      const t = setTimeout(() => killGroup(child.pid, "SIGKILL"), KILL_GRACE_MS);
      await exitedP;
      clearTimeout(t);
      killGroup(child.pid, "SIGKILL");
    },
  };
}
