// Bundles the `steward` bin in place: dist/runtime/cli/main.js (built by tsc) becomes an ESM entry
// plus `bundle-*.js` chunks next to it holding every module it loads, chevrotain and lodash-es
// included.
//
// Why: loading the unbundled tsc output means ~700 small ES modules (lodash-es alone is over 600
// files), which cost 0.3–0.9 s of Node start on the 2-core machine, more than checking a
// 10,000-line program. Bundled, loading takes tens of milliseconds (ecosystem.md §1.5 and "bundling").
// Nothing is transpiled at run time: this runs from `prepare`/`build`, after tsc.
//
// esbuild is the one tsx already depends on (node_modules/esbuild); it needs no install scripts.
import { cpSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cliDir = join(root, "dist/runtime/cli");
const entry = join(cliDir, "main.js");
const tmpDir = join(cliDir, ".bundle.tmp");
// Chunks sit next to main.js (not in a subdirectory): code that finds files relative to its own
// import.meta.url (stdlib/impl, package.json) sees the same directory depth as main.js.
const isChunk = (name) => /^bundle-.*\.js$/.test(name);

rmSync(tmpDir, { recursive: true, force: true });
await build({
  entryPoints: [entry],
  outdir: tmpDir,
  entryNames: "[name]",
  // Each command (`check`, `fmt`, `graph`, `run`, …) is imported dynamically by main.js; with
  // splitting, `steward check` loads (and V8 compiles) only the code `check` needs, not the
  // runtime, the engine or the resources.
  splitting: true,
  chunkNames: "bundle-[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Smaller source is faster to load; identifiers are kept so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
  // Optional dependencies that are not installed and only required on paths Steward never takes
  // (dbus-next's X11 session-bus lookup); left as runtime require() calls.
  external: ["x11"],
  // CommonJS dependencies bundled into ESM may call require(); give them one. etcd3 also reads
  // `${__dirname}/../proto/rpc.proto`: its free `__dirname` becomes the chunk's directory, and the
  // proto files are copied to dist/runtime/proto below (ecosystem.md §3 "Bundling").
  banner: {
    js:
      "import { createRequire as __stewardCreateRequire } from 'node:module';\nconst require = __stewardCreateRequire(import.meta.url);\n" +
      "const __stewardDirname = new URL('.', import.meta.url).pathname.replace(/\\/$/, '');",
  },
  define: { __dirname: "__stewardDirname" },
});
cpSync(join(root, "node_modules/etcd3/proto"), join(root, "dist/runtime/proto"), { recursive: true });
for (const f of readdirSync(cliDir)) if (isChunk(f)) rmSync(join(cliDir, f));
rmSync(join(cliDir, "chunks"), { recursive: true, force: true }); // layout of an earlier build
for (const f of readdirSync(tmpDir)) if (isChunk(f)) renameSync(join(tmpDir, f), join(cliDir, f));
renameSync(join(tmpDir, "main.js"), entry);
rmSync(tmpDir, { recursive: true, force: true });
