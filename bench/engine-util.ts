/**
 * Shared helpers of the resource-engine benchmarks (bench/engine-*.bench.ts, issue 4 §5): the
 * bundled bin run as a child (`node dist/runtime/cli/main.js run …`, never tsx), its JSON event
 * stream, CPU time and RSS read from /proc, percentiles and the result table. Each benchmark
 * prints a table and, last, one JSON line (`{"bench": …}`) that bench/run.mjs collects.
 * A benchmark exits non-zero only on a real error (the agent failed, a file never came back), never
 * because a target was missed: the table says MET / MISSED.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = new URL("..", import.meta.url).pathname;
export const BIN = join(ROOT, "dist/runtime/cli/main.js");

/** Exit with a one-line reason (a real error, not a missed target). */
export function fail(msg: string): never {
  console.error(`bench: ${msg}`);
  process.exit(1);
}

export function requireBin(): void {
  if (!existsSync(BIN)) fail(`${BIN} is missing: run \`npm run build\` first`);
}

const tmps: string[] = [];
/** A temp directory on the default disk, removed by {@link cleanupTmp}. */
export function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tmps.push(d);
  return d;
}
export function cleanupTmp(): void {
  for (const d of tmps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The file system type of `dir` (to show that "the default disk" is not a tmpfs). */
export function fsType(dir: string): string {
  const r = spawnSync("stat", ["-f", "-c", "%T", dir], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "?";
}

export interface Machine {
  readonly date: string;
  readonly cpus: string;
  readonly node: string;
  /** 1-minute load average when the measurement started and ended */
  load: string;
}

export function machine(): Machine {
  const c = cpus();
  return { date: new Date().toISOString(), cpus: `${c.length}× ${c[0]?.model ?? "?"}`, node: process.version, load: loadavg()[0]!.toFixed(2) };
}

export function endLoad(m: Machine): void {
  m.load = `${m.load} → ${loadavg()[0]!.toFixed(2)}`;
}

export interface Stats {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { n: s.length, min: s[0] ?? NaN, median: q(0.5), p90: q(0.9), p99: q(0.99), max: s[s.length - 1] ?? NaN };
}

export const r2 = (x: number): number => Math.round(x * 100) / 100;

/** CPU time (user + system) of a live process in ms, from /proc/PID/stat. */
export function cpuMs(pid: number): number {
  const st = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
  const tick = 100; // USER_HZ on Linux
  return ((Number(f[11]) + Number(f[12])) * 1000) / tick;
}

/** Current and peak RSS of a live process in MB, from /proc/PID/status. */
export function rssMb(pid: number): { rss: number; peak: number } {
  const st = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(st)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

export interface Timed {
  readonly wallMs: number;
  /** user + system CPU of the child, from /usr/bin/time when present */
  readonly cpuMs: number | undefined;
  readonly maxRssMb: number | undefined;
  readonly code: number;
  readonly stderr: string;
}

/** Run a command to its exit and time it (wall clock from spawn to exit, CPU and peak RSS through /usr/bin/time). */
export function timed(cmd: string, args: readonly string[], opts: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): Promise<Timed> {
  const useTime = existsSync("/usr/bin/time");
  const argv = useTime ? ["-f", "STEWARD_BENCH_TIME %U %S %M", cmd, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(useTime ? "/usr/bin/time" : cmd, argv, { cwd: opts.cwd ?? ROOT, stdio: ["ignore", "ignore", "pipe"], env: opts.env ?? process.env });
    let err = "";
    p.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    p.on("error", reject);
    p.on("close", (code) => {
      const wallMs = performance.now() - t0;
      const m = /STEWARD_BENCH_TIME ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      resolve({
        wallMs,
        cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined,
        maxRssMb: m ? Number(m[3]) / 1024 : undefined,
        code: code ?? -1,
        stderr: err.replace(/STEWARD_BENCH_TIME.*\n?/, ""),
      });
    });
  });
}

/**
 * `dist/runtime/cli/main.js run …` executed as users run the bin (its sh lines exec Node), to its
 * exit; `viaNode`: `node dist/runtime/cli/main.js run …`, which skips the sh lines.
 */
export function runBin(args: readonly string[], env?: NodeJS.ProcessEnv, viaNode = false): Promise<Timed> {
  return viaNode ? timed(process.execPath, [BIN, "run", ...args], env ? { env } : {}) : timed(BIN, ["run", ...args], env ? { env } : {});
}

/** One line of `run --log-format json`. */
export interface RunEvent {
  readonly t: number;
  readonly event: string;
  readonly vertex?: string;
  readonly [k: string]: unknown;
}

/** A long-running agent (`steward run --log-format json …`) and its event stream. */
export interface Agent {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly events: RunEvent[];
  /** Resolves with the first event from index `from` on that matches; rejects after `ms` or when the agent exits. */
  waitFor(pred: (e: RunEvent) => boolean, ms: number, from?: number): Promise<RunEvent>;
  /** SIGTERM, then SIGKILL after 2 s; resolves when it exited. */
  stop(): Promise<void>;
}

const agents = new Set<ChildProcess>();
process.on("exit", () => {
  for (const a of agents) if (a.exitCode === null && a.pid !== undefined) process.kill(a.pid, "SIGKILL");
});

/** `dist/runtime/cli/main.js run --log-format json …` executed as users run the bin (its sh lines exec Node: the same pid). */
export function startAgent(args: readonly string[]): Agent {
  const proc = spawn(BIN, ["run", "--log-format", "json", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  agents.add(proc);
  const events: RunEvent[] = [];
  let waiters: { pred: (e: RunEvent) => boolean; from: number; done: (e: RunEvent) => void }[] = [];
  let buf = "";
  let text = "";
  proc.stderr!.setEncoding("utf8").on("data", (c: string) => {
    buf += c;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let ev: RunEvent;
      try {
        ev = JSON.parse(line) as RunEvent;
      } catch {
        text += line + "\n";
        continue;
      }
      events.push(ev);
      const i = events.length - 1;
      waiters = waiters.filter((w) => !(i >= w.from && w.pred(ev) && (w.done(ev), true)));
    }
  });
  const exited = new Promise<void>((r) => proc.on("exit", () => (agents.delete(proc), r())));
  return {
    proc,
    pid: proc.pid!,
    events,
    waitFor(pred, ms, from = 0) {
      const found = events.slice(from).find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching event within ${ms} ms${text ? `; agent said: ${text.trim().split("\n").pop()}` : ""}`)), ms);
        const done = (e: RunEvent): void => (clearTimeout(t), resolve(e));
        waiters.push({ pred, from, done });
        void exited.then(() => {
          clearTimeout(t);
          reject(new Error(`the agent exited${text ? `: ${text.trim().split("\n").pop()}` : ""}`));
        });
      });
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 2000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** `n` file resources under `dir`, named f0…f(n-1), each with its own content and mode. */
export function filesProgram(dir: string, n: number, content = (i: number) => `content of file ${i}\\n`): string {
  let s = "";
  for (let i = 0; i < n; i++) s += `file "${dir}/f${i}" {\n\tstate => "exists",\n\tcontent => "${content(i)}",\n\tmode => "0644",\n}\n`;
  return s;
}

export interface Row {
  readonly what: string;
  readonly result: string;
  readonly target?: string;
  /** undefined: informative row */
  readonly met?: boolean;
}

/** Print the result table (markdown, so it can be pasted into docs/benchmarks.md) and the JSON line. */
export function report(bench: string, m: Machine, rows: readonly Row[], data: Record<string, unknown>): void {
  console.log(`\n${bench} — ${m.date}, ${m.cpus}, Node ${m.node}, load ${m.load}\n`);
  console.log("| what | result | target | |");
  console.log("|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.what} | ${r.result} | ${r.target ?? ""} | ${r.met === undefined ? "" : r.met ? "met" : "**MISSED**"} |`);
  console.log(JSON.stringify({ bench, machine: m, ...data }));
}
