/**
 * The `exec` kind (engine-reference.md §10 "exec"; mgmt engine/resources/exec.go): run a command
 * when its guards say so, send its output along send/recv edges.
 *
 * checkApply: load the output cache (VarDir) → if an `mtimes` file is newer than the last run,
 * run regardless of guards; else `ifcmd` (non-zero exit ⇒ skip; zero with `ifequals` /
 * `ifequals_stdout` matching ⇒ skip), `nifcmd` (zero ⇒ skip), `creates` (exists ⇒ skip). A skip
 * is `true` after sending the cached output. Otherwise (`apply`) run `cmd` (non-zero ⇒ error),
 * then `donecmd`, write the cache, send `{output, stdout, stderr}` and return `false`. With no
 * guard it runs on every checkApply: at startup and after every watch event.
 *
 * No shell unless `shell` is set: `cmd` + `args` are the argv (without `args`, `cmd` is split on
 * whitespace, as mgmt does). Each command has its own process group; `timeout`, the resource's
 * abort signal and watch stop kill the whole group (stop signal, SIGKILL after a grace), and
 * `interrupt()` (the engine's hard stop) SIGKILLs it at once.
 */
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import type { Value } from "../../lang/values.js";
import { registerKind, type AutoEdgeUid, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { watchPath } from "../../runtime/watch/index.js";
import { DEFAULT_PATH, killGroup, resolveProgram, runCommand, startLongRunning, type LongRunning, type RunResult, type RunSpec } from "./exec-run.js";
import { parentDirUids } from "./file-spec.js";
import { int, lookupGroup, lookupUser, optStr, str, strList, strMap, type Params } from "./file-params.js";

interface ExecSpec {
  readonly cmd: string;
  readonly args: readonly string[] | undefined;
  readonly cwd: string;
  readonly shell: string;
  readonly env: ReadonlyMap<string, string> | undefined;
  readonly sig: string;
  readonly timeout: bigint | undefined;
  readonly watchcmd: string;
  readonly watchcwd: string;
  readonly watchshell: string;
  readonly watchfiles: readonly string[];
  readonly ifcmd: string;
  readonly ifcwd: string;
  readonly ifshell: string;
  readonly ifequals: string | undefined;
  readonly ifequalsStdout: string | undefined;
  readonly nifcmd: string;
  readonly nifcwd: string;
  readonly nifshell: string;
  readonly creates: string;
  readonly mtimes: readonly string[];
  readonly donecmd: string;
  readonly donecwd: string;
  readonly doneshell: string;
  readonly user: string;
  readonly group: string;
  readonly sendOutput: string | undefined;
  readonly sendStdout: string | undefined;
  readonly sendStderr: string | undefined;
}

function parseExecSpec(name: string, p: Params): ExecSpec {
  const cwd = str(p, "cwd");
  return {
    cmd: str(p, "cmd") || name,
    args: p["args"] === undefined ? undefined : strList(p, "args"),
    cwd,
    shell: str(p, "shell"),
    env: strMap(p, "env"),
    sig: str(p, "sig", "SIGTERM"),
    timeout: int(p, "timeout"),
    watchcmd: str(p, "watchcmd"),
    watchcwd: str(p, "watchcwd") || cwd,
    watchshell: str(p, "watchshell"),
    watchfiles: strList(p, "watchfiles"),
    ifcmd: str(p, "ifcmd"),
    ifcwd: str(p, "ifcwd") || cwd,
    ifshell: str(p, "ifshell"),
    ifequals: optStr(p, "ifequals"),
    ifequalsStdout: optStr(p, "ifequals_stdout"),
    nifcmd: str(p, "nifcmd"),
    nifcwd: str(p, "nifcwd") || cwd,
    nifshell: str(p, "nifshell"),
    creates: str(p, "creates"),
    mtimes: strList(p, "mtimes"),
    donecmd: str(p, "donecmd"),
    donecwd: str(p, "donecwd") || cwd,
    doneshell: str(p, "doneshell"),
    user: str(p, "user"),
    group: str(p, "group"),
    sendOutput: optStr(p, "send_output"),
    sendStdout: optStr(p, "send_stdout"),
    sendStderr: optStr(p, "send_stderr"),
  };
}

/** `SIGTERM`, `TERM` or `term` → `SIGTERM`; undefined when unknown. */
function signalName(s: string): NodeJS.Signals | undefined {
  const n = (s.toUpperCase().startsWith("SIG") ? s.toUpperCase() : "SIG" + s.toUpperCase()) as NodeJS.Signals;
  return n in osConstants.signals ? n : undefined;
}

function validateExecSpec(s: ExecSpec): string | undefined {
  if (s.cmd.trim() === "") return "cmd is empty";
  if (s.args !== undefined && s.shell) return "args can't be combined with shell (the shell parses cmd)";
  if (!signalName(s.sig)) return `unknown signal ${JSON.stringify(s.sig)}`;
  if (s.timeout !== undefined && s.timeout < 0n) return "timeout must not be negative";
  if ((s.ifequals !== undefined || s.ifequalsStdout !== undefined) && !s.ifcmd) return "ifequals and ifequals_stdout need ifcmd";
  for (const [what, p] of [["creates", s.creates], ...s.watchfiles.map((f) => ["watchfiles", f]), ...s.mtimes.map((f) => ["mtimes", f])] as const) {
    if (p && !p.startsWith("/")) return `${what} path ${JSON.stringify(p)} must be absolute`;
  }
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0 && (s.user || s.group)) {
    // run-as needs root unless it names ourselves (mgmt's rule); numeric ids can be checked purely
    if (/^\d+$/.test(s.user) && Number(s.user) !== uid) return "running as another user needs root";
  }
  return undefined;
}

/** The argv for one of exec's commands: `shell -c cmd`, `cmd args…`, or `cmd` split on whitespace. */
function argv(cmd: string, shell: string, args?: readonly string[]): [string, string[]] {
  if (shell) return [shell, ["-c", cmd]];
  if (args !== undefined) return [cmd, [...args]];
  const words = cmd.trim().split(/\s+/);
  return [words[0]!, words.slice(1)];
}

interface Cache {
  readonly output: string;
  readonly stdout: string;
  readonly stderr: string;
  /** Date.now() after the last successful run (for `mtimes`). */
  readonly stamp: number;
}

const CACHE_FILE = "exec-output.json";

class ExecResource implements Resource {
  private ctx: ResourceContext | undefined;
  private cache: Cache | undefined;
  private cacheLoaded = false;
  private watcher: LongRunning | undefined;
  /** Process groups of the commands checkApply is running (cmd, a guard or donecmd). */
  private readonly running = new Set<number>();

  constructor(private readonly s: ExecSpec) {}

  validate(): string | undefined {
    return validateExecSpec(this.s);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.ctx = ctx;
  }

  async cleanup(): Promise<void> {
    await this.watcher?.stop();
    this.watcher = undefined;
  }

  private base(cmd: string, shell: string, cwd: string, args?: readonly string[]): RunSpec {
    const s = this.s;
    const [file, a] = argv(cmd, shell, args);
    const env: Record<string, string> = {};
    for (const [k, v] of s.env ?? []) env[k] = v;
    const spec: { -readonly [K in keyof RunSpec]: RunSpec[K] } = { file, args: a, env, stopSignal: signalName(s.sig) ?? "SIGTERM" };
    if (cwd) spec.cwd = cwd;
    if (s.user) {
      const u = lookupUser(s.user);
      spec.uid = u.uid;
      // mgmt leaves gid 0 when only `user` is set; we use the user's primary group instead
      if (!s.group && u.gid !== undefined) spec.gid = u.gid;
    }
    if (s.group) spec.gid = lookupGroup(s.group);
    return spec;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const s = this.s;
    const stops: (() => void)[] = [];
    for (const p of [...s.watchfiles, ...(s.creates ? [s.creates] : []), ...s.mtimes]) stops.push(watchPath(p, () => sink.event()));
    if (s.watchcmd) {
      const log = this.ctx?.log;
      const w = startLongRunning(
        this.base(s.watchcmd, s.watchshell, s.watchcwd),
        () => sink.event(),
        (code, sig) => sink.error(new Error(`watchcmd exited (${sig ?? `code ${code}`})`)),
        (line) => log?.warn(`watchcmd: ${line}`),
      );
      this.watcher = w;
      stops.push(() => {
        void w.stop();
        if (this.watcher === w) this.watcher = undefined;
      });
    }
    sink.event();
    return () => {
      for (const stop of stops) stop();
    };
  }

  private async varFile(): Promise<string | undefined> {
    return this.ctx ? join(await this.ctx.varDir(), CACHE_FILE) : undefined;
  }

  private async loadCache(): Promise<Cache | undefined> {
    if (this.cacheLoaded) return this.cache;
    this.cacheLoaded = true;
    const f = await this.varFile();
    if (!f) return undefined;
    try {
      const c = JSON.parse(await readFile(f, "utf8")) as Cache;
      if (typeof c.output === "string" && typeof c.stdout === "string" && typeof c.stderr === "string" && typeof c.stamp === "number") this.cache = c;
    } catch {
      // no cache yet
    }
    return this.cache;
  }

  private async saveCache(c: Cache): Promise<void> {
    this.cache = c;
    const f = await this.varFile();
    if (!f) return;
    await mkdir(join(f, ".."), { recursive: true });
    await writeFile(f + ".tmp", JSON.stringify(c), { mode: 0o600 });
    await rename(f + ".tmp", f);
  }

  /** Send the cached output, or the `send_*` fallbacks for the fields without one. */
  private sendCached(): void {
    const c = this.cache;
    const v: Record<string, Value> = {};
    const output = c?.output ?? this.s.sendOutput;
    const stdout = c?.stdout ?? this.s.sendStdout;
    const stderr = c?.stderr ?? this.s.sendStderr;
    if (output !== undefined) v["output"] = output;
    if (stdout !== undefined) v["stdout"] = stdout;
    if (stderr !== undefined) v["stderr"] = stderr;
    if (Object.keys(v).length > 0) this.ctx?.send(v);
  }

  private run(what: string, spec: RunSpec, signal: AbortSignal): Promise<RunResult> {
    const t = this.s.timeout;
    const timeoutMs = t !== undefined && t > 0n ? Number(t) * 1000 : undefined;
    let pid: number | undefined;
    const onSpawn = (p: number): void => {
      pid = p;
      this.running.add(p);
    };
    return runCommand(spec, { signal, onSpawn, ...(timeoutMs === undefined ? {} : { timeoutMs }) })
      .catch((e: unknown) => {
        throw e instanceof Error ? new Error(`${what}: ${e.message}`) : e;
      })
      .finally(() => {
        if (pid !== undefined) this.running.delete(pid);
      });
  }

  /** The interruptable trait: SIGKILL the running command's whole group now, skipping the stop signal's grace. */
  interrupt(): void {
    for (const pid of this.running) killGroup(pid, "SIGKILL");
  }

  /** The reason the guards skip the run, or undefined to run. */
  private async guard(signal: AbortSignal): Promise<string | undefined> {
    const s = this.s;
    if (s.mtimes.length > 0) {
      const stamp = this.cache?.stamp ?? -1;
      for (const p of s.mtimes) {
        const st = await stat(p).catch(() => {
          throw new Error(`mtimes file ${p} does not exist`);
        });
        if (st.mtimeMs > stamp) return undefined; // changed since the last run: run, skipping guards
      }
    }
    if (s.ifcmd) {
      const r = await this.run("ifcmd", this.base(s.ifcmd, s.ifshell, s.ifcwd), signal);
      if (r.code !== 0) return `ifcmd exited ${r.code ?? r.signal}`;
      if (s.ifequals !== undefined && r.output === s.ifequals) return "ifcmd output equals ifequals";
      if (s.ifequalsStdout !== undefined && r.stdout === s.ifequalsStdout) return "ifcmd stdout equals ifequals_stdout";
    }
    if (s.nifcmd) {
      const r = await this.run("nifcmd", this.base(s.nifcmd, s.nifshell, s.nifcwd), signal);
      if (r.code === 0) return "nifcmd exited 0";
    }
    if (s.creates) {
      const exists = await stat(s.creates).then(
        () => true,
        () => false,
      );
      if (exists) return `${s.creates} exists`;
    }
    return undefined;
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const s = this.s;
    const sig = this.ctx ? AbortSignal.any([signal, this.ctx.signal]) : signal;
    await this.loadCache();
    const skip = await this.guard(sig);
    if (skip !== undefined) {
      this.ctx?.log.debug(`skipped: ${skip}`);
      this.sendCached();
      return true;
    }
    if (!apply) {
      this.ctx?.log.info(`would run ${JSON.stringify(s.cmd)}`);
      this.sendCached();
      return false;
    }
    const r = await this.run("cmd", this.base(s.cmd, s.shell, s.cwd, s.args), sig);
    for (const line of r.output.split("\n")) if (line) this.ctx?.log.debug(`output: ${line}`);
    if (r.code !== 0) throw new Error(`cmd ${JSON.stringify(s.cmd)} exited ${r.code === null ? `on ${r.signal}` : `with code ${r.code}`}${tail(r.stderr || r.stdout)}`);
    if (s.donecmd) {
      const d = await this.run("donecmd", this.base(s.donecmd, s.doneshell, s.donecwd), sig);
      if (d.code !== 0) throw new Error(`donecmd ${JSON.stringify(s.donecmd)} exited ${d.code === null ? `on ${d.signal}` : `with code ${d.code}`}${tail(d.stderr || d.stdout)}`);
    }
    await this.saveCache({ output: r.output, stdout: r.stdout, stderr: r.stderr, stamp: Date.now() });
    this.ctx?.log.info(`ran ${JSON.stringify(s.cmd)} (exit 0, ${r.ms.toFixed(0)} ms)`);
    this.sendCached();
    return false;
  }
}

/** The last line(s) of a failing command's output, for its error message. */
function tail(text: string): string {
  const t = text.trim();
  if (!t) return "";
  return `: ${t.length > 500 ? "…" + t.slice(-500) : t}`;
}

/**
 * The programs a command line runs, as absolute paths: without a shell its first word (looked up
 * on PATH); with one, the shell and, when it is an absolute path, the command's first word.
 */
function programsOf(cmd: string, shell: string, pathVar: string | undefined, args?: readonly string[]): string[] {
  if (!cmd) return [];
  const first = argv(cmd, "", args)[0];
  const out: string[] = [];
  const p = resolveProgram(shell || first, pathVar);
  if (p?.startsWith("/")) out.push(p);
  if (shell && first.startsWith("/")) out.push(first);
  return out;
}

registerKind({
  kind: "exec",
  create(name, params) {
    return new ExecResource(parseExecSpec(name, params));
  },
  sends: ["output", "stdout", "stderr"],
  autoedges(name, params) {
    let s: ExecSpec;
    try {
      s = parseExecSpec(name, params);
    } catch {
      return { uids: [], seeks: [] };
    }
    const pathVar = s.env?.get("PATH") ?? DEFAULT_PATH;
    const file = (key: string): AutoEdgeUid => ({ kind: "file", key });
    const seeks: (readonly AutoEdgeUid[])[] = [];
    const seen = new Set<string>();
    const progs = [
      ...programsOf(s.cmd, s.shell, pathVar, s.args),
      ...programsOf(s.watchcmd, s.watchshell, pathVar),
      ...programsOf(s.ifcmd, s.ifshell, pathVar),
      ...programsOf(s.nifcmd, s.nifshell, pathVar),
      ...programsOf(s.donecmd, s.doneshell, pathVar),
    ];
    for (const p of progs) {
      if (!seen.has(p)) {
        seen.add(p);
        seeks.push([file(p)]); // a pkg advertising its files as file uids matches here too
      }
    }
    if (s.creates.startsWith("/")) seeks.push(parentDirUids(s.creates));
    if (s.cwd.startsWith("/")) seeks.push([file(s.cwd.endsWith("/") ? s.cwd : s.cwd + "/")]);
    if (s.user) seeks.push([{ kind: "user", key: s.user }]);
    if (s.group) seeks.push([{ kind: "group", key: s.group }]);
    return { uids: [], seeks };
  },
});
