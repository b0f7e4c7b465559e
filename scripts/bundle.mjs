// Bundles the `steward` bin in place, after tsc (`prepare`/`build`; nothing is transpiled at run time):
//
//   dist/runtime/cli/steward-main.cjs   main.ts (the command line, commander) as one CommonJS file
//   dist/runtime/cli/steward-<cmd>.cjs  each command main.ts imports on use (check, fmt, graph, run,
//                                       deploy, etcd) with everything it loads (rxjs, pino, etcd3…)
//   dist/runtime/cli/*.cjs.cache        V8's code cache of each, made by a warm-up of real
//                                       commands (scripts/code-cache.mjs)
//   dist/runtime/cli/main.js            the bin: runtime/cli/bin-loader.ts, which runs the bundles
//                                       through vm.Script with their caches, as CommonJS, behind
//                                       two lines of sh (SH_LINE below)
//   dist/runtime/cli/package.json       `"type": "commonjs"`, for main.js: Node then runs the bin
//                                       without starting its ES module loader (−18 M instructions
//                                       of 556 M for `--version`, "run start-up pass" in
//                                       docs/benchmarks.md); nothing else there is loaded by Node
//   dist/runtime/cli/chevrotain.cjs     chevrotain, for programs with errors (bundle-chevrotain.mjs)
//
// Why (issues 2 and 4): a cold one-shot `steward` spent most of its time before doing any work:
// loading the unbundled tsc output is ~700 ES modules (0.3–0.9 s, ecosystem.md "bundling"), and
// even bundled as ESM chunks V8 parsed and compiled the chunks (`compileSourceTextModule`, 60 ms on
// a quiet machine) and then compiled every function lazily on its first call. Node 20 has neither
// `module.enableCompileCache` (Node 22) nor a code cache for ES modules, but `vm.Script` takes
// `cachedData`: with the cache V8 neither parses a bundle nor compiles the functions the warm-up
// ran, it deserializes their bytecode (`script.createCachedData()` after a run includes the
// lazily compiled functions). Without a cache, compiling one 2 MB bundle took 0.19 s.
// esbuild has no code splitting for CommonJS, so splitting is done by command (commandBundles in
// bundle-plugins.mjs): `check` reads and deserializes the front end only, not the engines of `run`
// (V8 deserializes all of a cache, whatever runs). Inside a bundle, modules reached by a dynamic
// import stay in esbuild's lazy init functions, so a command still evaluates only what it uses.
// Measurements (before/after, CPU and instructions): docs/benchmarks.md, "Start-up pass".
//
// The caches are made where they are used (`npm ci` runs `prepare` on the installing machine) and
// removed before every bundling: V8 refuses a cache from another V8 version or made with other V8
// flags, and the loader then compiles from source as if there were none; but V8 checks only the
// length of the source, so a cache must never outlive its bundle.
//
// esbuild is the one tsx already depends on (node_modules/esbuild); it needs no install scripts.
import { chmodSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bundleChevrotain } from "./bundle-chevrotain.mjs";
import { commandBundles, lazyBuiltins, lazyFunctions, rxjsEsm } from "./bundle-plugins.mjs";
import { warmCodeCache } from "./code-cache.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cliDir = join(root, "dist/runtime/cli");
const entry = join(cliDir, "main.js");
const loader = join(cliDir, "bin-loader.js");

// main.js is tsc's output only until this script replaces it with the loader: bundling the loader
// would make a bin that loads nothing.
const LOADER_MARK = "// scripts/bundle.mjs: runtime/cli/bin-loader.ts as CommonJS";
const built = readFileSync(entry, "utf8");
if (built.includes(LOADER_MARK) || built === readFileSync(loader, "utf8")) {
  console.error("scripts/bundle.mjs: dist/runtime/cli/main.js is already the loader; run `npm run build` (tsc first)");
  process.exit(1);
}
// Layouts of earlier builds (ESM chunks beside main.js or in chunks/) and the old bundles and caches.
for (const f of readdirSync(cliDir)) if (/^bundle-.*\.js$|^steward([-.].*)?\.(cjs|cache|tmp)$/.test(f)) rmSync(join(cliDir, f));
rmSync(join(cliDir, "chunks"), { recursive: true, force: true });
rmSync(join(cliDir, "package.json"), { force: true }); // tsc's ES modules are bundled as such

/** @type {import("esbuild").BuildOptions} */
const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outdir: cliDir,
  entryNames: "steward-[name]",
  outExtension: { ".js": ".cjs" },
  absWorkingDir: root,
  // Smaller source is faster to read; identifiers are kept so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
  // Optional dependencies that are not installed and only required on paths Steward never takes
  // (dbus-next's X11 session-bus lookup); left as runtime require() calls.
  external: ["x11"],
  // The loader passes the bin's own URL: main.ts's entry-point check and its `../../package.json`
  // see main.js, as they did when main.js was the code itself. `require`, `__filename` and
  // `__dirname` are the loader's CommonJS wrapper arguments (dist/runtime/cli); etcd3 reads
  // `${__dirname}/../proto/rpc.proto`, copied to dist/runtime/proto below (ecosystem.md §3 "Bundling").
  define: { "import.meta.url": "__stewardUrl" },
};
const plugins = [rxjsEsm(root), lazyFunctions({ yaml: ["parse"], pino: ["pino"] }), lazyBuiltins(["crypto", "child_process", "fs/promises", "readline"])];
const commands = new Set();
await build({ ...common, entryPoints: { main: entry }, plugins: [commandBundles(entry, commands), ...plugins] });
await build({ ...common, entryPoints: [...commands].map((c) => join(cliDir, `${c}.js`)), plugins });
// main.ts's `#!` line: the loader wraps the source in a function, where it would be a syntax error.
const mainBundle = join(cliDir, "steward-main.cjs");
writeFileSync(mainBundle, readFileSync(mainBundle, "utf8").replace(/^#!.*/, ""));
cpSync(join(root, "node_modules/etcd3/proto"), join(root, "dist/runtime/proto"), { recursive: true });
// The bin's first lines are a shell script that execs Node on the same file: `#!/bin/sh` (the
// loader's own first line), then SH_LINE, which sh runs and which JavaScript reads as the string
// statement ":" and a comment. It starts Node without NODE_EXTRA_CA_CERTS, which Node 20 reads and
// parses at every start before any JavaScript runs, and hands the value to the loader, which puts
// it back for child processes and for the etcd client's TLS (see bin-loader.ts). Measured on a
// 1,000-file no-change `run` with the variable set to the 140 certificates of
// /etc/ssl/certs/ca-certificates.crt: 0.30–0.32 s → 0.22–0.26 s, within noise of a run without
// the variable (docs/benchmarks.md "The bin's sh lines"); sh costs about 1 ms.
const SH_LINE = `":" //; [ -z "$NODE_EXTRA_CA_CERTS" ] || { export STEWARD_DEFERRED_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"; unset NODE_EXTRA_CA_CERTS; }; exec node "$0" "$@"`;
// The loader's `import.meta.url` is main.js's own URL, as it was when main.js was an ES module.
await build({
  entryPoints: [loader],
  outfile: entry,
  allowOverwrite: true,
  bundle: false,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning",
  define: { "import.meta.url": "__stewardBinUrl" },
  banner: { js: `${SH_LINE}\n${LOADER_MARK}\nconst __stewardBinUrl = require("node:url").pathToFileURL(__filename).href;` },
});
if (!readFileSync(entry, "utf8").startsWith(`#!/bin/sh\n${SH_LINE}\n`)) throw new Error("scripts/bundle.mjs: the bin does not start with its sh lines");
writeFileSync(join(cliDir, "package.json"), '{ "type": "commonjs" }\n');
chmodSync(entry, 0o755);
await bundleChevrotain(cliDir); // loaded only for programs with errors (lang/chevrotain-lazy.ts)
warmCodeCache(root, entry);
