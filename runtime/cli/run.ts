/**
 * `steward run [flags] PATH` (architecture.md "CLI contract", issue 4 §3): compile, evaluate and
 * apply continuously; the composition root of the compiler (through run-program-loop.ts), the
 * function engine and the resource engine.
 *
 * - Each new resource graph of the running program is handed to the engine, one at a time; a
 *   graph that arrives while another is being applied replaces any graph still waiting (only the
 *   latest matters). A graph the engine refuses leaves the previous one running.
 * - A program that does not compile is reported and never applied; only when the *first* program
 *   does not compile does `run` exit (1). Runtime and interpret errors never end the run.
 * - Exit 0 on `--converged-timeout` (counted from the first applied graph), `--max-runtime` or
 *   SIGINT/SIGTERM (a second signal forces); an `exit` resource's code otherwise.
 *
 * Everything is logged through run-logger.ts: the engine's events (run-report.ts) merged with
 * this command's own `start`, `compile`, `error` and `exit` records.
 */
import { appendFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import type { Subscription } from "rxjs";
import { sortDiagnostics, toJson, type Diagnostic } from "../../lang/diagnostics.js";
import type { ResourceGraph } from "../../lang/resource-graph.js";
import { Engine } from "../engine/engine.js";
import { exitRequests$ } from "../../stdlib/resources/exit.js";
import { checkPathUsage, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE, type CliIo } from "./check.js";
import { fromRunningGraph, toDot } from "./dot.js";
import { createNodeHost } from "./node-host.js";
import { renderDiagnostics, type SourceLookup } from "./render.js";
import { createRunLogger, nowMs, type RunLogger } from "./run-logger.js";
import { parseRunOptions, type RawRunOptions, type RunOptions } from "./run-options.js";
import { ProgramLoop, type CompileOutcome } from "./run-program-loop.js";
import { CompileCache } from "./compile-cache.js";
import { DeployLoop } from "./run-deploy-loop.js";
import { openRunWorld, type RunWorld } from "./run-world.js";
import { programFiles, type ProgramFiles } from "./deploy-files.js";
import { Republisher } from "./run-republish.js";
import { EngineReporter } from "./run-report.js";
import { openStateDir, type StateDir } from "./run-state-dir.js";

export interface RunDeps {
  /** Install SIGINT/SIGTERM handlers (the CLI does; in-process tests do not). */
  readonly signals?: boolean;
  /** Where log lines go (default stderr). */
  readonly write?: (s: string) => void;
  /** Colours in rendered diagnostics (text form only). */
  readonly color?: boolean;
  readonly version?: string;
}

/** How long a clean shutdown may take before it is forced (the contract: exit within ~1 s). */
const SHUTDOWN_GRACE_MS = 900;

/** How long leaving the cluster may take at exit (exports, values, leases are withdrawn). */
const WORLD_CLOSE_MS = 1000;

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/** Write `text` to `file` atomically (a reader never sees half a graph). */
function writeAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Runs `steward run`; resolves with the process exit code. */
export async function runRun(path: string | undefined, raw: RawRunOptions, io: CliIo, deps: RunDeps = {}): Promise<number> {
  const parsed = parseRunOptions(path, raw);
  if ("usage" in parsed) {
    io.err(`steward: run: ${parsed.usage}\n`);
    return EXIT_USAGE;
  }
  const opts = parsed.ok;
  const problem = opts.path === undefined ? undefined : checkPathUsage(createNodeHost(), opts.path);
  if (problem !== undefined) {
    io.err(`steward: run: ${problem}\n`);
    return EXIT_USAGE;
  }
  let stateDir: StateDir;
  try {
    stateDir = openStateDir(opts);
  } catch (e) {
    io.err(`steward: run: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  const log = createRunLogger({ format: opts.logFormat, level: opts.logLevel, ...(deps.write ? { write: deps.write } : {}) });
  const color = opts.logFormat === "text" && deps.color === true;
  // A cluster run with a PATH publishes it: it must compile first (as `steward deploy` checks).
  let files: ProgramFiles | undefined;
  if (opts.cluster.mode !== "memory" && opts.path !== undefined) {
    files = programFiles(opts.path, opts.hostname);
    if (!files.ok) {
      const text = renderDiagnostics(sortDiagnostics(files.diagnostics), files.source, { color });
      log.record(
        "error",
        { event: "compile", attempt: 1, ok: false, cause: "start", diagnostics: sortDiagnostics(files.diagnostics).map(toJson) },
        `${opts.path} does not compile; nothing published\n${text}`.trimEnd(),
      );
      stateDir.dispose();
      return EXIT_DIAGNOSTICS;
    }
  }
  let world: RunWorld;
  try {
    world = await openRunWorld(opts.cluster, {
      hostname: opts.hostname,
      stateDir: stateDir.path,
      report: (level, event, text, fields) => log.record(level, { event, ...fields }, text),
    });
  } catch (e) {
    io.err(`steward: run: ${(e as Error).message}\n`);
    stateDir.dispose();
    return EXIT_DIAGNOSTICS;
  }
  let republisher: Republisher | undefined;
  if (files?.ok && opts.path !== undefined) {
    const path = opts.path;
    const published = (id: number, n: number, cause: string) =>
      log.record("info", { event: "deploy", id, published: true, files: n, cause }, `${cause === "start" ? "published" : `${cause} changed: published`} ${path} as deploy ${id} (${plural(n, "file")})`);
    try {
      published(await world.world.publishDeploy(files.entry, files.files), files.files.size, "start");
    } catch (e) {
      io.err(`steward: run: cannot publish the deploy: ${(e as Error).message}\n`);
      await world.close(1000);
      stateDir.dispose();
      return EXIT_DIAGNOSTICS;
    }
    republisher = new Republisher(path, opts.hostname, world.world, {
      published,
      refused: (ds, source, cause) =>
        log.record(
          "error",
          { event: "compile", ok: false, cause, diagnostics: sortDiagnostics(ds).map(toJson) },
          `${cause} changed: the program does not compile; not published, the running deploy stays\n${renderDiagnostics(sortDiagnostics(ds), source, { color })}`.trimEnd(),
        ),
      failed: (message) => log.record("error", { event: "error", phase: "deploy", message }, `cannot publish the deploy: ${message}`),
    });
    republisher.start(files);
  }
  // Where each resource kind lives; the engine loads only the kinds the program uses.
  await import("../../stdlib/resources/kinds.js");
  return new Run(opts, stateDir, world, log, deps, republisher).run();
}

/** One `steward run` from start to exit. */
class Run {
  readonly #log: RunLogger;
  readonly #engine: Engine;
  readonly #reporter: EngineReporter;
  readonly #loop: ProgramLoop | DeployLoop;
  readonly #subs: Subscription[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #started = nowMs();
  #resolve: (code: number) => void = () => {};
  #finishing = false;
  /** the next graph to apply, when one is being applied already */
  #next: ResourceGraph | undefined;
  #applying = false;
  #applied = 0;
  #signalHandlers: [NodeJS.Signals, () => void][] = [];

  constructor(
    private readonly opts: RunOptions,
    private readonly stateDir: StateDir,
    private readonly world: RunWorld,
    log: RunLogger,
    private readonly deps: RunDeps,
    /** `--seeds/--etcd PATH`: publishes saved edits of PATH */
    private readonly republisher?: Republisher,
  ) {
    this.#log = log;
    this.#reporter = new EngineReporter(this.#log, opts.noop);
    const w = world.world;
    this.#engine = new Engine({
      hostname: opts.hostname,
      world: w,
      stateDir: stateDir.path,
      noop: opts.noop,
      ...(opts.sema > 0 ? { sema: opts.sema } : {}),
      autoedges: opts.autoedges,
      autogroup: opts.autogroup,
      onEvent: (ev) => this.#reporter.report(ev),
    });
    const handlers = {
      compiled: (o: CompileOutcome) => this.#compiled(o),
      graph: (g: ResourceGraph) => this.#offer(g),
      problem: (ds: readonly Diagnostic[], source: SourceLookup, fatal: boolean) => this.#problem(ds, source, fatal),
    };
    const loopOpts = { hostname: opts.hostname, world: w, stateDir: stateDir.path };
    // Only a program run from its files is cached; a deploy's files live in the World.
    const cache = opts.cache ? { cache: new CompileCache() } : {};
    this.#loop =
      opts.cluster.mode === "memory" && opts.path !== undefined
        ? new ProgramLoop(opts.path, { ...loopOpts, ...cache }, handlers)
        : new DeployLoop(w, join(stateDir.path, "deploys"), loopOpts, {
            ...handlers,
            deploy: (d) =>
              d === undefined
                ? this.#log.record("info", { event: "deploy", id: 0 }, "the cluster has no deploy yet: waiting for one (steward deploy)")
                : this.#log.record("info", { event: "deploy", id: d.id, entry: d.entry }, `deploy ${d.id} (${d.entry}): switching to it`),
            failed: (id, message) => this.#log.record("error", { event: "error", phase: "deploy", id, message }, message),
          });
  }

  run(): Promise<number> {
    const done = new Promise<number>((resolve) => (this.#resolve = resolve));
    const o = this.opts;
    this.#log.record(
      "info",
      {
        event: "start",
        version: this.deps.version ?? "0.0.0",
        pid: process.pid,
        program: o.path ?? "(newest deploy)",
        hostname: o.hostname,
        cluster: o.cluster.mode,
        ...(this.world.endpoints.length > 0 ? { endpoints: this.world.endpoints } : {}),
        prefix: this.stateDir.path,
        noop: o.noop,
      },
      `steward ${this.deps.version ?? "0.0.0"} running ${o.path ?? "the newest deploy"} as ${o.hostname}${o.noop ? " (noop: nothing will be changed)" : ""}; state in ${this.stateDir.path}`,
    );
    this.#subs.push(exitRequests$.subscribe((r) => void this.#finish(r.code, r.message)));
    if (o.maxRuntime !== undefined) {
      const s = o.maxRuntime;
      this.#timers.push(setTimeout(() => void this.#finish(EXIT_OK, `--max-runtime ${s} s reached`), s * 1000));
    }
    if (this.deps.signals) this.#installSignals();
    this.#loop.start();
    return done;
  }

  // ---- the program

  #compiled(o: CompileOutcome): void {
    const files = o.files;
    const rec = { event: "compile", attempt: o.attempt, ok: o.ok, cause: o.cause, files, ms: o.ms, ...(o.cached ? { cached: true } : {}) };
    const what = o.cause === "start" ? `${this.opts.path ?? ""}` : o.cause.startsWith("deploy ") ? `${o.cause}:` : `${o.cause} changed:`;
    if (o.ok) {
      this.#log.record("info", rec, `${what} ${o.cached ? "unchanged: its graph is from the compile cache" : "compiled"} (${plural(files.length, "file")}, ${o.ms.toFixed(1)} ms)`);
      return;
    }
    const first = o.cause === "start" && this.#applied === 0;
    const consequence = first ? "nothing to run" : this.#applied > 0 ? "the running graph stays" : "nothing applied yet";
    this.#log.record(
      "error",
      { ...rec, diagnostics: sortDiagnostics(o.diagnostics).map(toJson) },
      `${what} the program does not compile; ${consequence}\n${this.#render(o.diagnostics, o.source)}`.trimEnd(),
    );
    if (first) void this.#finish(EXIT_DIAGNOSTICS, "the program does not compile");
  }

  #problem(ds: readonly Diagnostic[], source: SourceLookup, fatal: boolean): void {
    const phase = ds[0]?.phase ?? "runtime";
    const keep = this.#applied > 0 ? "the last good graph keeps running" : "nothing applied yet";
    this.#log.record(
      "error",
      { event: "error", phase, fatal, message: ds[0]?.message ?? "", diagnostics: sortDiagnostics(ds).map(toJson) },
      `the program hit ${phase === "interpret" ? "an" : "a"} ${phase} error${fatal ? " and stopped (save a fix to restart it)" : ""}; ${keep}\n${this.#render(ds, source)}`.trimEnd(),
    );
  }

  #render(ds: readonly Diagnostic[], source: SourceLookup): string {
    return renderDiagnostics(sortDiagnostics(ds), source, { color: this.opts.logFormat === "text" && this.deps.color === true });
  }

  // ---- the engine

  #offer(g: ResourceGraph): void {
    if (this.#finishing) return;
    this.#next = g;
    if (!this.#applying) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#applying = true;
    while (this.#next !== undefined && !this.#finishing) {
      const g = this.#next;
      this.#next = undefined;
      try {
        await this.#engine.apply(g);
      } catch (e) {
        this.#log.record(
          "error",
          { event: "error", phase: "apply", message: (e as Error).message ?? String(e) },
          `graph not applied: ${(e as Error).message ?? String(e)}; ${this.#applied > 0 ? "the previous graph keeps running" : "nothing applied yet"}`,
        );
        continue;
      }
      if (this.#finishing) break;
      this.#applied++;
      this.#writeGraphviz();
      if (this.#applied === 1) this.#watchConvergence();
    }
    this.#applying = false;
  }

  /** The graph as the engine runs it: autoedges, groups and reversals included. */
  #writeGraphviz(): void {
    const file = this.opts.graphviz;
    if (file === undefined) return;
    try {
      writeAtomic(file, toDot(fromRunningGraph(this.#engine.runningGraph()), { name: this.opts.hostname }));
    } catch (e) {
      this.#log.log("warn", `--graphviz ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  /**
   * From the first applied graph on, one converger subscription drives the converged exit, the
   * status file and (through the engine's `converged` events) the summary line. Its timeout is
   * `--converged-timeout`, else 0: the summary then follows every burst of changes.
   */
  #watchConvergence(): void {
    const { convergedTimeout: timeout, convergedStatusFile: statusFile } = this.opts;
    let last: boolean | undefined;
    this.#subs.push(
      this.#engine.convergedFor((timeout ?? 0) * 1000).subscribe((c) => {
        // the engine's shutdown unconverges everything: that is not news for the status file
        if (c === last || this.#finishing) return;
        last = c;
        if (statusFile !== undefined) {
          try {
            appendFileSync(statusFile, `${c}\n`);
          } catch (e) {
            this.#log.log("warn", `--converged-status-file ${statusFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          }
        }
        if (c && timeout !== undefined) void this.#finish(EXIT_OK, `converged for ${timeout} s`);
      }),
    );
  }

  // ---- the end

  #installSignals(): void {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      const h = (): void => {
        if (!this.#finishing) void this.#finish(EXIT_OK, `${sig} received`);
        else this.#forceExit(sig);
      };
      process.on(sig, h);
      this.#signalHandlers.push([sig, h]);
    }
  }

  /** A second signal: stop waiting for anything. */
  #forceExit(sig: NodeJS.Signals): never {
    void this.#engine.shutdown(true).catch(() => {});
    this.#log.record("warn", { event: "exit", code: EXIT_OK, reason: `${sig} received again`, forced: true }, `${sig} received again: exiting now`);
    this.stateDir.dispose();
    process.exit(EXIT_OK);
  }

  async #finish(code: number, reason: string): Promise<void> {
    if (this.#finishing) return;
    this.#finishing = true;
    const t0 = nowMs();
    this.#loop.stop();
    this.republisher?.stop();
    for (const t of this.#timers) clearTimeout(t);
    const shutdown = this.#engine.shutdown().then(
      () => true,
      (e: unknown) => {
        this.#log.record("error", { event: "error", phase: "shutdown", message: (e as Error).message ?? String(e) }, `shutdown: ${(e as Error).message ?? String(e)}`);
        return true;
      },
    );
    const inTime = await Promise.race([shutdown, delay(SHUTDOWN_GRACE_MS).then(() => false)]);
    if (!inTime) {
      this.#log.log("warn", `shutdown took longer than ${SHUTDOWN_GRACE_MS} ms: forcing it`);
      await Promise.race([this.#engine.shutdown(true).catch(() => {}), delay(100)]);
    }
    for (const s of this.#subs) s.unsubscribe();
    for (const [sig, h] of this.#signalHandlers) process.off(sig, h);
    await this.world.close(WORLD_CLOSE_MS);
    const ms = Math.round((nowMs() - this.#started) * 1000) / 1000;
    this.#log.record(
      code === EXIT_OK ? "info" : "error",
      { event: "exit", code, reason, changed: this.#reporter.totalChanged, ms, shutdownMs: Math.round((nowMs() - t0) * 1000) / 1000 },
      `exit ${code}: ${reason} (${plural(this.#reporter.totalChanged, "change")} made, ran ${(ms / 1000).toFixed(1)} s)`,
    );
    this.stateDir.dispose();
    this.#resolve(code);
  }
}
