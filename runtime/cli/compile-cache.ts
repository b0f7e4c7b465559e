/**
 * The compile cache of `steward run` (issue 4 §5), like ccache or Python's `.pyc`: a program whose
 * result is a pure function of what the compiler read is not compiled, evaluated and interpreted
 * again when nothing it read has changed; its resource graph comes from
 * `$XDG_CACHE_HOME/steward/compile-cache/` (default `~/.cache/steward/…`; not the state directory,
 * which `--tmp-prefix` makes fresh every time). `--no-cache` turns it off.
 *
 * Exactly safe, not heuristically:
 * - An entry is stored only for an attempt whose every builtin looked up (stdlib/impl.ts
 *   `observeImplLookups`, which sees folded constants, function values and template calls too) is
 *   `pure` and reads nothing of the process: no source (`datetime.now`, `os.readfile`, `world.*`,
 *   `collect`…), no impure call (random, host queries), not `os.args`, not the `datetime.*` that
 *   read the local time zone. Such a program's first graph is its only one.
 * - The entry's key is the cache format, the Steward build (every file of the running bundle:
 *   name, size, mtime; from source, every file of lang/, runtime/ and stdlib/), Node's version,
 *   the working directory, the entry path as given and `$hostname`. The file name is a hash of
 *   the key and the entry holds the key itself, compared on lookup: a collision is a miss.
 * - The entry records every observation the compiler made through its host — each stat and each
 *   read, with the answer it got (the texts it compiled, not a second read) — and is used only
 *   when replaying them on the disk now gives the same answers, compared in full (no digest): an
 *   edited, created or deleted import, metadata.yaml or candidate path is a miss.
 * - No cryptographic hash is involved (nothing here defends against someone who can write the
 *   cache directory, who could as well write the program), so a cached run does not load
 *   node:crypto (see lazyBuiltins in scripts/bundle-plugins.mjs).
 * - A graph is stored only when it decodes back to the same graph; an unreadable, corrupt or
 *   foreign entry is a miss. Every failure to read or write the cache is ignored.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ResourceGraph } from "../../lang/resource-graph.js";
import { getImpl, observeImplLookups } from "../../stdlib/impl.js";
import { decodeGraph, encodeGraph, sameGraph } from "./compile-cache-codec.js";
import type { NodeHost } from "./node-host.js";

/** Bump when the entry layout or what a key covers changes. */
const FORMAT = 2;

/** Entries kept; older ones are removed when a new one is stored (tests run many programs). */
const MAX_ENTRIES = 64;

/** Pure builtins that still read the process: the command line, the local time zone. */
const READS_PROCESS = /^(os\.args$|datetime\.)/;

/** One observation of the compiler through its host: `s` stat (answer: kind), `r` read (answer: text). */
type Observation = readonly ["s" | "r", string, string | null];

/** A compiler host that records what it answered, and whether any answer changed mid-compile. */
export interface ObservedHost {
  readonly host: NodeHost;
  /** every path handed to the host, in first-seen order */
  readonly seen: Set<string>;
  /** the observations so far, or undefined once two answers for the same question differed */
  observations(): Observation[] | undefined;
}

/** Wrap `inner`, recording each path (`onFirst` runs on the first) and each answer. */
export function observedHost(inner: NodeHost, onFirst: () => void): ObservedHost {
  const seen = new Set<string>();
  const answers = new Map<string, string | null>();
  let unstable = false;
  const note = (op: "s" | "r", p: string, a: string | null): void => {
    if (seen.size === 0) onFirst();
    seen.add(p);
    const k = `${op}\0${p}`;
    if (!answers.has(k)) answers.set(k, a);
    else if (answers.get(k) !== a) unstable = true;
  };
  return {
    seen,
    host: {
      readFile: (p) => {
        const t = inner.readFile(p);
        note("r", p, t ?? null);
        return t;
      },
      stat: (p) => {
        const k = inner.stat(p);
        note("s", p, k ?? null);
        return k;
      },
      source: (p) => inner.source(p),
    },
    observations: () => {
      if (unstable) return undefined;
      return [...answers].map(([k, a]): Observation => {
        const i = k.indexOf("\0");
        return [k.slice(0, i) as "s" | "r", k.slice(i + 1), a];
      });
    },
  };
}

/** A 64-bit FNV-1a of `s` (two 32-bit lanes) as 16 hex digits: the entry's file name. */
function fileHash(s: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x0100019b);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** Whether replaying gave exactly the recorded answers. */
function sameAnswers(then: readonly Observation[], now: readonly Observation[]): boolean {
  if (then.length !== now.length) return false;
  for (let i = 0; i < then.length; i++) if (then[i]![2] !== now[i]![2]) return false;
  return true;
}

/** What a cached program needs at run time besides its graph: the paths to watch. */
export interface CacheHit {
  readonly graph: ResourceGraph;
  /** every path the compiler looked at (watched) */
  readonly seen: readonly string[];
  /** ms spent looking it up */
  readonly ms: number;
}

interface Entry {
  readonly v: number;
  /** the full key (see {@link CompileCache}); the file name is only its hash */
  readonly key: string;
  readonly observations: readonly Observation[];
  readonly graph: unknown;
}

/** `$XDG_CACHE_HOME/steward/compile-cache` (default `~/.cache/steward/compile-cache`). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith("/") ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "steward", "compile-cache");
}

let buildIdMemo: string | undefined;

/**
 * Identity of the running Steward: name, size and mtime of every file of the bundled bin, or of
 * the source tree when run from TypeScript (tsx).
 */
function buildId(): string {
  if (buildIdMemo !== undefined) return buildIdMemo;
  let id = `${FORMAT}\0${process.version}\0`;
  const here = dirname(fileURLToPath(import.meta.url));
  const stamp = (p: string): void => {
    const s = statSync(p);
    id += `${p}\0${s.size}\0${s.mtimeMs}\n`;
  };
  const add = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, d.name);
      if (d.isDirectory()) add(p);
      else if (/\.[cm]?[jt]s$/.test(d.name)) stamp(p);
    }
  };
  // The bin (scripts/bundle.mjs: main.js, the loader, and the steward-<command>.cjs bundles beside
  // it) holds all of the code; tsc's outputs beside them and under dist/ are not what runs.
  const bin = readdirSync(here).filter((f) => /^steward-.*\.cjs$|^chevrotain\.cjs$|^main\.js$/.test(f));
  if (bin.some((f) => f.startsWith("steward-"))) for (const f of bin.sort()) stamp(join(here, f));
  else for (const top of ["lang", "runtime", "stdlib"]) add(join(here, "..", "..", top));
  return (buildIdMemo = id);
}

/** Whether an attempt that looked up exactly `names` computed a pure function of its files. */
export function cacheableLookups(names: ReadonlySet<string>): boolean {
  for (const n of names) {
    if (READS_PROCESS.test(n) || getImpl(n)?.effect !== "pure") return false;
  }
  return true;
}

/** The compile cache of one `run`: `lookup` before compiling, `store` after the first graph. */
export class CompileCache {
  readonly #dir: string;

  constructor(dir: string = defaultCacheDir()) {
    this.#dir = dir;
  }

  /** The key of a program's entry: build, Node, cwd, entry path as given (the compiler may report either form), hostname. */
  #key(entry: string, hostname: string): string {
    return `${buildId()}\0${process.cwd()}\0${entry}\0${hostname}`;
  }

  #file(key: string): string {
    return join(this.#dir, `${fileHash(key)}.json`);
  }

  /** The cached graph of `entry` when everything it read is unchanged; undefined otherwise. */
  lookup(entry: string, hostname: string, host: NodeHost): CacheHit | undefined {
    const t0 = performance.now();
    try {
      const key = this.#key(entry, hostname);
      const e = JSON.parse(readFileSync(this.#file(key), "utf8")) as Entry;
      if (e?.v !== FORMAT || e.key !== key || !Array.isArray(e.observations)) return undefined;
      // Replay every question on the disk as it is now (the host caches, so each file is read once).
      const now = e.observations.map(([op, p]): Observation => [op, p, (op === "r" ? host.readFile(p) : host.stat(p)) ?? null]);
      if (!sameAnswers(e.observations, now)) return undefined;
      const graph = decodeGraph(e.graph);
      return { graph, seen: [...new Set(e.observations.map((o) => o[1]))], ms: performance.now() - t0 };
    } catch {
      return undefined; // missing, unreadable, corrupt or foreign: compile
    }
  }

  /** Store `graph` as the result of `observations`; false when it can't be (nothing is thrown). */
  store(entry: string, hostname: string, observations: readonly Observation[], graph: ResourceGraph): boolean {
    try {
      const graphText = JSON.stringify(encodeGraph(graph));
      if (!sameGraph(decodeGraph(JSON.parse(graphText)), graph)) return false;
      const key = this.#key(entry, hostname);
      const head = JSON.stringify({ v: FORMAT, key, observations } satisfies Omit<Entry, "graph">);
      const text = `${head.slice(0, -1)},"graph":${graphText}}`;
      mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
      const file = this.#file(key);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, file);
      this.#prune();
      return true;
    } catch {
      return false;
    }
  }

  /** Keep the newest {@link MAX_ENTRIES} entries. */
  #prune(): void {
    const names = readdirSync(this.#dir).filter((f) => f.endsWith(".json"));
    if (names.length <= MAX_ENTRIES) return;
    const aged = names.map((f) => ({ f, t: statSync(join(this.#dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 })).sort((a, b) => b.t - a.t);
    for (const { f } of aged.slice(MAX_ENTRIES)) {
      try {
        unlinkSync(join(this.#dir, f));
      } catch {
        // another run removed it first
      }
    }
  }
}

const recorders = new Set<Set<string>>();

/**
 * Record the builtins looked up from now until the returned `stop()` (which returns the names).
 * Recorders may overlap (an attempt superseded by the next one); each sees every lookup.
 */
export function recordLookups(): () => Set<string> {
  const names = new Set<string>();
  recorders.add(names);
  if (recorders.size === 1) observeImplLookups((n) => recorders.forEach((r) => r.add(n)));
  return () => {
    if (recorders.delete(names) && recorders.size === 0) observeImplLookups(undefined);
    return names;
  };
}
