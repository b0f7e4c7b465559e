/**
 * The program side of `steward run`: compile → evaluate → interpret continuously, and start over
 * when one of the program's files changes (architecture.md "CLI contract", issue 4 §3).
 *
 * Each start is an *attempt*: `runProgram` over a fresh caching host that records every path the
 * compiler read or looked at (the entry, metadata.yaml, every imported file, and candidates that
 * do not exist yet, so creating one is noticed too). The attempt's first event decides:
 *
 * - fatal parse/scope/type diagnostics: the program does not compile. The attempt is dropped and
 *   the running program (if any) keeps running; nothing of the broken program is ever applied.
 * - anything else (a graph, or a runtime/interpret error): it compiled. It replaces the running
 *   program, whose evaluator and sources are stopped.
 *
 * A change to a watched file during an attempt supersedes it. The watched set is the union of the
 * running program's files and the last attempt's, so fixing either is noticed.
 *
 * With a compile cache (compile-cache.ts), an attempt first looks the program up: a hit is a
 * graph of a program that has no source and calls only pure builtins, with everything the
 * compiler read unchanged, so it becomes the running program without compiling. An attempt that
 * compiles such a program stores its first graph.
 */
import type { Subscription } from "rxjs";
import type { Diagnostic } from "../../lang/diagnostics.js";
import type { ResourceGraph } from "../../lang/resource-graph.js";
import { runProgram, type ProgramEvent } from "../funcs/run-program.js";
import { watchPath } from "../watch/index.js";
import type { World } from "../world/world.js";
import { cacheableLookups, observedHost, recordLookups, type CompileCache } from "./compile-cache.js";
import { createNodeHost, type NodeHost } from "./node-host.js";
import type { SourceLookup } from "./render.js";

/** What one attempt looked like once its first event arrived. */
export interface CompileOutcome {
  /** 1, 2, 3… */
  readonly attempt: number;
  readonly ok: boolean;
  /** the graph came from the compile cache: nothing was compiled */
  readonly cached?: boolean;
  /** the program's files: every existing file the compiler read or looked at, sorted */
  readonly files: readonly string[];
  /** from the start of the attempt to its first graph or error */
  readonly ms: number;
  /** why it failed (empty when ok) */
  readonly diagnostics: readonly Diagnostic[];
  /** text of the files as compiled, for rendering diagnostics */
  readonly source: SourceLookup;
  /** what started it: `start`, or the path that changed */
  readonly cause: string;
}

export interface ProgramLoopHandlers {
  compiled(o: CompileOutcome): void;
  /** a new resource graph of the running program */
  graph(g: ResourceGraph): void;
  /** runtime or interpret errors of the running program; `fatal`: it will produce nothing more */
  problem(ds: readonly Diagnostic[], source: SourceLookup, fatal: boolean): void;
}

export interface ProgramLoopOptions {
  readonly hostname: string;
  readonly world: World;
  readonly stateDir: string;
  /** quiet time after a file event before recompiling: editors write in several steps (default 15 ms) */
  readonly debounceMs?: number;
  /** the compile cache (compile-cache.ts); absent: always compile (`--no-cache`) */
  readonly cache?: CompileCache;
}

const COMPILE_PHASES = new Set(["parse", "scope", "type"]);

/** True when the first event of an attempt says the program does not compile. */
export function isCompileFailure(ev: ProgramEvent): ev is Extract<ProgramEvent, { diagnostics: readonly Diagnostic[] }> {
  return "diagnostics" in ev && ev.fatal && ev.diagnostics.length > 0 && ev.diagnostics.every((d) => COMPILE_PHASES.has(d.phase));
}

interface Attempt {
  readonly n: number;
  readonly seen: ReadonlySet<string>;
  readonly host: NodeHost;
  sub?: Subscription;
  /** stops recording the builtins this attempt looks up (compile cache), and returns them */
  stopRecording?: () => Set<string>;
  /** every path the compiler read or looked at (watched, whether it exists or not) */
  files?: readonly string[];
}

/** Stop an attempt: its evaluator and its lookup recording. */
function drop(a: Attempt | undefined): void {
  a?.sub?.unsubscribe();
  a?.stopRecording?.();
}

/** The paths of `seen` that are files now. */
function existingFiles(host: NodeHost, seen: readonly string[]): string[] {
  return seen.filter((p) => host.stat(p) === "file");
}

export class ProgramLoop {
  #attempts = 0;
  #running: Attempt | undefined;
  #pending: Attempt | undefined;
  #lastFiles: readonly string[] = [];
  readonly #watches = new Map<string, () => void>();
  #timer: NodeJS.Timeout | undefined;
  #changed: string | undefined;
  #stopped = false;

  constructor(
    private readonly path: string,
    private readonly opts: ProgramLoopOptions,
    private readonly on: ProgramLoopHandlers,
  ) {}

  /** Start the first attempt. */
  start(): void {
    this.#attempt("start");
  }

  /** Stop evaluating and watching; nothing is reported afterwards. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    drop(this.#pending);
    drop(this.#running);
    this.#pending = this.#running = undefined;
    for (const stop of this.#watches.values()) stop();
    this.#watches.clear();
  }

  /** The paths being watched now (tests). */
  get watched(): readonly string[] {
    return [...this.#watches.keys()].sort();
  }

  #attempt(cause: string): void {
    if (this.#stopped) return;
    drop(this.#pending);
    if (this.#fromCache(cause)) return;
    // A program that waits long for its first table is still watched once it has compiled.
    const early = (): void =>
      void setImmediate(() => {
        if (this.#pending !== a || this.#stopped) return;
        this.#lastFiles = [...a.seen].sort();
        this.#rewatch();
      });
    const observed = observedHost(createNodeHost(), early);
    const { host, seen } = observed;
    const cache = this.opts.cache;
    const a: Attempt = { n: ++this.#attempts, seen, host, ...(cache ? { stopRecording: recordLookups() } : {}) };
    this.#pending = a;
    const t0 = performance.now();
    let first = true;
    const sub = runProgram(this.path, host, { hostname: this.opts.hostname, world: this.opts.world, stateDir: this.opts.stateDir }).subscribe((ev) => {
      if (this.#stopped) return;
      if (first) {
        first = false;
        a.files = [...seen].sort();
        const looked = a.stopRecording?.();
        const files = existingFiles(host, a.files);
        const ms = Math.round((performance.now() - t0) * 1000) / 1000;
        const source = (f: string): string | undefined => host.source(f);
        if (isCompileFailure(ev)) {
          this.#pending = undefined;
          this.#lastFiles = a.files;
          this.#rewatch();
          this.on.compiled({ attempt: a.n, ok: false, files, ms, diagnostics: ev.diagnostics, source, cause });
          a.sub?.unsubscribe();
          return;
        }
        // It compiled: it becomes the running program.
        this.#pending = undefined;
        drop(this.#running);
        this.#running = a;
        this.#lastFiles = a.files;
        this.#rewatch();
        this.on.compiled({ attempt: a.n, ok: true, files, ms, diagnostics: [], source, cause });
        // (a type guard narrowed `ev` above: a runtime or interpret error is still possible here)
        const out = ev as ProgramEvent;
        if ("graph" in out) this.on.graph(out.graph);
        else this.on.problem(out.diagnostics, source, out.fatal);
        // No source and only pure builtins: this first graph is the program's only one.
        const obs = observed.observations();
        if (cache && "graph" in out && looked && obs && cacheableLookups(looked)) cache.store(this.path, this.opts.hostname, obs, out.graph);
        return;
      }
      if (this.#running !== a) return;
      if ("graph" in ev) this.on.graph(ev.graph);
      else this.on.problem(ev.diagnostics, (f) => host.source(f), ev.fatal);
    });
    a.sub = sub;
    // A failed attempt may have finished synchronously, before `a.sub` was set.
    if (this.#pending !== a && this.#running !== a) sub.unsubscribe();
  }

  /**
   * A graph from the compile cache instead of an attempt: the program becomes the running one with
   * nothing evaluating (none of its functions could produce another value), watched as usual.
   */
  #fromCache(cause: string): boolean {
    if (!this.opts.cache) return false;
    const host = createNodeHost();
    const hit = this.opts.cache.lookup(this.path, this.opts.hostname, host);
    if (!hit) return false;
    const a: Attempt = { n: ++this.#attempts, seen: new Set(hit.seen), host, files: [...hit.seen].sort() };
    this.#pending = undefined;
    drop(this.#running);
    this.#running = a;
    this.#lastFiles = a.files!;
    this.#rewatch();
    const ms = Math.round(hit.ms * 1000) / 1000;
    this.on.compiled({ attempt: a.n, ok: true, cached: true, files: existingFiles(host, a.files!), ms, diagnostics: [], source: (f) => host.source(f), cause });
    this.on.graph(hit.graph);
    return true;
  }

  /** Watch exactly the running program's files plus the last attempt's. */
  #rewatch(): void {
    const want = new Set([this.path, ...(this.#running?.files ?? []), ...this.#lastFiles]);
    for (const [p, stop] of this.#watches) {
      if (!want.has(p)) {
        stop();
        this.#watches.delete(p);
      }
    }
    for (const p of want) {
      if (this.#watches.has(p)) continue;
      this.#watches.set(
        p,
        watchPath(p, () => this.#onFileEvent(p)),
      );
    }
  }

  #onFileEvent(p: string): void {
    if (this.#stopped) return;
    this.#changed ??= p;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const cause = this.#changed ?? p;
      this.#changed = undefined;
      this.#attempt(cause);
    }, this.opts.debounceMs ?? 15);
  }
}
