// Bundles the `steward` bin in place: dist/runtime/cli/main.js (built by tsc) becomes an ESM entry
// plus chunks in dist/runtime/cli/chunks/ holding every module it loads, chevrotain and lodash-es
// included.
//
// Why: loading the unbundled tsc output means ~700 small ES modules (lodash-es alone is over 600
// files), which cost 0.3–0.9 s of Node start on the 2-core machine, more than checking a
// 10,000-line program. Bundled, loading takes tens of milliseconds (ecosystem.md §1.5 and "bundling").
// Nothing is transpiled at run time: this runs from `prepare`/`build`, after tsc.
//
// esbuild is the one tsx already depends on (node_modules/esbuild); it needs no install scripts.
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cliDir = join(root, "dist/runtime/cli");
const entry = join(cliDir, "main.js");
const tmpDir = join(cliDir, ".bundle.tmp");
const chunksDir = join(cliDir, "chunks");

rmSync(tmpDir, { recursive: true, force: true });
await build({
  entryPoints: [entry],
  outdir: tmpDir,
  entryNames: "[name]",
  // Each command (`check`, `fmt`, `graph`, `run`, …) is imported dynamically by main.js; with
  // splitting, `steward check` loads (and V8 compiles) only the code `check` needs, not the
  // runtime, the engine or the resources.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Smaller source is faster to load; identifiers are kept so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
  // CommonJS dependencies bundled into ESM may call require(); give them one.
  banner: { js: "import { createRequire as __stewardCreateRequire } from 'node:module';\nconst require = __stewardCreateRequire(import.meta.url);" },
});
rmSync(chunksDir, { recursive: true, force: true });
mkdirSync(chunksDir, { recursive: true });
renameSync(join(tmpDir, "chunks"), chunksDir);
renameSync(join(tmpDir, "main.js"), entry);
rmSync(tmpDir, { recursive: true, force: true });
