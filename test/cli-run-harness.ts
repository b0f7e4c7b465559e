/**
 * Test harness for `steward run`: spawns the real command line (`node --import tsx
 * runtime/cli/main.ts run --tmp-prefix --log-format json …`), parses its JSON event stream from
 * stderr, and lets a test wait for events with a deadline. Every child is killed by PID when the
 * test ends (`stop()` in `finally`), so a failing assertion never leaves an agent running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";

export const ROOT = new URL("..", import.meta.url).pathname;

/** A maker of fresh sub-directories of one temp dir, removed when the test file ends. */
export function workdirs(tag: string): () => string {
  const dir = mkdtempSync(join(tmpdir(), `steward-${tag}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return () => {
    const d = join(dir, `t${++n}`);
    mkdirSync(d, { recursive: true });
    return d;
  };
}

/** One line of `run --log-format json`. */
export interface RunEvent {
  readonly t: number;
  readonly level: string;
  readonly event: string;
  readonly vertex?: string;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

export interface RunChild {
  readonly proc: ChildProcess;
  /** every JSON event so far */
  readonly events: RunEvent[];
  /** stderr lines that are not JSON, and stdout */
  readonly text: () => string;
  /** Resolves with the first event (from index `from` on) matching `pred`; rejects after `ms`. */
  waitFor(pred: (e: RunEvent) => boolean, ms?: number, from?: number): Promise<RunEvent>;
  /** exit code (or -1 when killed by a signal) and the wall time at exit */
  readonly exited: Promise<{ code: number; signal: NodeJS.Signals | null; at: number }>;
  /** SIGKILL the child if it is still running. */
  stop(): void;
}

const children = new Set<ChildProcess>();
let cacheHome: string | undefined;
// Belt and braces: a crashed test runner must not leave agents behind.
process.on("exit", () => {
  for (const c of children) if (c.exitCode === null && c.pid !== undefined) process.kill(c.pid, "SIGKILL");
  if (cacheHome !== undefined) rmSync(cacheHome, { recursive: true, force: true });
});

/** A child's environment: unless a test gives its own, `run`'s compile cache goes to a temp dir, not ~/.cache. */
function childEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  if (env) return env;
  cacheHome ??= mkdtempSync(join(tmpdir(), "steward-cache-"));
  return { ...process.env, XDG_CACHE_HOME: cacheHome };
}

/** Spawn `steward run --tmp-prefix --log-format json ...args`. */
export function startRun(
  args: readonly string[],
  opts: {
    readonly json?: boolean;
    readonly tmpPrefix?: boolean;
    readonly env?: NodeJS.ProcessEnv;
    /** A command that runs node, e.g. `["nsenter", "-t", pid, "-a", "--wdns=" + ROOT]` to run inside a container. */
    readonly wrap?: readonly string[];
  } = {},
): RunChild {
  const base = ["--import", "tsx", "runtime/cli/main.ts", "run"];
  if (opts.tmpPrefix !== false) base.push("--tmp-prefix");
  if (opts.json !== false) base.push("--log-format", "json");
  const [cmd, ...pre] = opts.wrap && opts.wrap.length > 0 ? [...opts.wrap, process.execPath] : [process.execPath];
  const proc = spawn(cmd!, [...pre, ...base, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: childEnv(opts.env) });
  children.add(proc);
  const events: RunEvent[] = [];
  let text = "";
  let waiters: { pred: (e: RunEvent) => boolean; from: number; resolve: (e: RunEvent) => void }[] = [];
  let buf = "";
  proc.stderr!.setEncoding("utf8");
  proc.stderr!.on("data", (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let ev: RunEvent | undefined;
      if (line.startsWith("{")) {
        try {
          ev = JSON.parse(line) as RunEvent;
        } catch {
          ev = undefined;
        }
      }
      if (!ev) {
        text += line + "\n";
        continue;
      }
      events.push(ev);
      const idx = events.length - 1;
      waiters = waiters.filter((w) => {
        if (idx >= w.from && w.pred(ev!)) {
          w.resolve(ev!);
          return false;
        }
        return true;
      });
    }
  });
  proc.stdout!.setEncoding("utf8");
  proc.stdout!.on("data", (c: string) => (text += c));
  const exited = new Promise<{ code: number; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    proc.on("exit", (code, signal) => {
      const at = Date.now();
      children.delete(proc);
      // let the pipes drain before anyone reads `events`
      proc.stderr!.once("close", () => resolve({ code: code ?? -1, signal, at }));
      if (proc.stderr!.closed) resolve({ code: code ?? -1, signal, at });
    });
  });
  return {
    proc,
    events,
    text: () => text,
    waitFor(pred, ms = 60_000, from = 0) {
      const found = events.slice(from).find(pred);
      if (found) return Promise.resolve(found);
      return new Promise<RunEvent>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.resolve !== done);
          reject(new Error(`no matching event within ${ms} ms; events:\n${events.map((e) => JSON.stringify(e)).join("\n")}\n${text}`));
        }, ms);
        const done = (e: RunEvent): void => {
          clearTimeout(timer);
          resolve(e);
        };
        waiters.push({ pred, from, resolve: done });
        void exited.then(() => {
          if (!waiters.some((w) => w.resolve === done)) return;
          clearTimeout(timer);
          reject(new Error(`the agent exited first; events:\n${events.map((e) => JSON.stringify(e)).join("\n")}\n${text}`));
        });
      });
    },
    exited,
    stop() {
      if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) {
        try {
          process.kill(proc.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };
}

/**
 * Run `steward ...args` to the end without blocking the event loop (spawnSync would stall every
 * concurrent test's timing). Resolves with the exit code and both streams.
 */
export function steward(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ["--import", "tsx", "runtime/cli/main.ts", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: childEnv(env) });
  children.add(proc);
  let stdout = "";
  let stderr = "";
  proc.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  proc.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return new Promise((resolve) => {
    proc.on("close", (code) => {
      children.delete(proc);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Poll `cond` every 5 ms until it holds; reject after `ms`. */
export async function until(cond: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The file's text, or undefined when it does not exist. */
export function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}
