#!/bin/sh
/**
 * The `steward` bin as installed: scripts/bundle.mjs writes this file's build over
 * dist/runtime/cli/main.js as CommonJS (so Node does not start its ES module loader). It runs the CommonJS bundles beside it through `vm.Script` with V8's
 * code cache: steward-main.cjs (main.ts: the command line) and, when main.ts imports a command
 * (`./check.js`, `./run.js`, …), that command's own bundle, steward-check.cjs, steward-run.cjs, ….
 * Each bundle.cjs has its cache in bundle.cjs.cache, so a cold `steward …` neither parses its code
 * nor compiles the functions the build's warm-up ran: V8 deserializes their bytecode, and only that
 * of the bundles the command loads (see the comment at the top of scripts/bundle.mjs).
 *
 * A cache V8 refuses (another Node or V8 version, other V8 flags such as `--expose-gc`, a rebuilt
 * bundle) or a missing one is ignored: V8 then compiles from source as without a cache.
 * Node builtins only: this file is not bundled.
 *
 * The built bin starts as a shell script (its first two lines, written by scripts/bundle.mjs): sh
 * starts Node without NODE_EXTRA_CA_CERTS and hands the value over in
 * STEWARD_DEFERRED_EXTRA_CA_CERTS. Node 20 reads and parses that file at every start, before any
 * JavaScript runs (the 140 certificates of /etc/ssl/certs/ca-certificates.crt: ~65 ms of a 0.2 s
 * one-shot run), although Steward makes a TLS connection only to an `https://` etcd. The loader
 * puts the variable back at once, so every child process (exec, pkg, git…) sees the environment
 * as it was, and marks it for the one TLS client (runtime/world/etcd-client.ts), which trusts the
 * file's certificates the way Node would have. `node main.js …` skips the sh lines: Node then
 * loads the certificates itself, as for any Node program.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as vm from "node:vm";

const DIR = dirname(fileURLToPath(import.meta.url));

const deferredCa = process.env.STEWARD_DEFERRED_EXTRA_CA_CERTS;
if (deferredCa !== undefined) {
  delete process.env.STEWARD_DEFERRED_EXTRA_CA_CERTS;
  process.env.NODE_EXTRA_CA_CERTS = deferredCa;
  // read by deferredExtraCaRoots() in runtime/world/etcd-client.ts (in another bundle: a registered symbol)
  (process as unknown as Record<symbol, string>)[Symbol.for("steward.deferredExtraCaCerts")] = deferredCa;
}

// `__stewardUrl` is the bundles' `import.meta.url` (esbuild `define`): the bin's own URL, so
// main.ts's isEntryPoint() and its `../../package.json` resolve as they did for the ESM bin.
// `__stewardLoad` is how steward-main.cjs imports a command's bundle (scripts/bundle-plugins.mjs).
const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname, __stewardUrl, __stewardLoad) {";
const WRAPPER_TAIL = "\n})";

/** What the warm-up and the tests of the loader learn about one loaded bundle. */
interface Loaded {
  readonly file: string;
  readonly script: vm.Script;
  /** true: V8 took the cached bytecode; false: it refused it; undefined: there was no cache file. */
  readonly cacheAccepted: boolean | undefined;
  readonly exports: unknown;
}

const loaded = new Map<string, Loaded>();

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // not built (or removed): compile from source
  }
}

/** Compile steward-`name`.cjs (from its cache when V8 accepts it), evaluate it once, and return its exports. */
function loadBundle(name: string): unknown {
  const done = loaded.get(name);
  if (done !== undefined) return done.exports;
  const file = join(DIR, `steward-${name}.cjs`);
  // esbuild writes ASCII (non-ASCII characters escaped): read as latin1, V8 gets the same one-byte
  // string several milliseconds sooner than from the UTF-8 decoder.
  const source = WRAPPER_HEAD + readFileSync(file, "latin1") + WRAPPER_TAIL;
  const cachedData = readCache(`${file}.cache`);
  const script = new vm.Script(source, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
    // esbuild turns the bundles' own dynamic imports into requires; any left would load as in a
    // plain CommonJS file. `vm.constants` is missing before Node 20.12 (engines: >=20.11): no hook.
    ...(vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER === undefined
      ? {}
      : { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }),
  });
  const module = { exports: {} };
  const cacheAccepted = cachedData === undefined ? undefined : !script.cachedDataRejected;
  // Registered before it runs: main's entry point starts the CLI while it is evaluated.
  loaded.set(name, { file, script, cacheAccepted, get exports() { return module.exports; } });
  if (process.env.STEWARD_CODE_CACHE_DEBUG === "1") {
    process.stderr.write(`steward: code cache of steward-${name}.cjs ${cacheAccepted === undefined ? "absent" : cacheAccepted ? "accepted" : "rejected"}\n`);
  }
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, DIR, import.meta.url, loadBundle);
  return module.exports;
}

/**
 * The build's warm-up (scripts/code-cache.mjs) runs real commands with STEWARD_CODE_CACHE_WRITE=1:
 * at exit the cache of every bundle loaded is rewritten with every function compiled so far, those
 * taken from its previous cache included, so successive warm-up commands add up.
 */
function writeCachesAtExit(): void {
  process.on("exit", () => {
    for (const { file, script } of loaded.values()) {
      const tmp = `${file}.cache.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, `${file}.cache`);
    }
  });
}

if (process.env.STEWARD_CODE_CACHE_WRITE === "1") writeCachesAtExit();
try {
  loadBundle("main");
} catch (e) {
  // Before main.ts's own handlers exist (a bundle missing or unreadable): the CLI contract's one line.
  process.stderr.write(`steward: internal error: ${(e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split("\n")[0]}\n`);
  process.exitCode = 70;
}
