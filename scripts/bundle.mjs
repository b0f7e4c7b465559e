// Bundles the `steward` bin into one file, in place: dist/runtime/cli/main.js (built by tsc) becomes
// a single ESM file with every module it loads, chevrotain and lodash-es included.
//
// Why: loading the unbundled tsc output means ~700 small ES modules (lodash-es alone is over 600
// files), which cost 0.3–0.9 s of Node start on the 2-core machine, more than checking a
// 10,000-line program. Bundled, loading takes tens of milliseconds (ecosystem.md §1.5 and "bundling").
// Nothing is transpiled at run time: this runs from `prepare`/`build`, after tsc.
//
// esbuild is the one tsx already depends on (node_modules/esbuild); it needs no install scripts.
import { renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "dist/runtime/cli/main.js");
const tmp = join(root, "dist/runtime/cli/main.bundle.tmp.js");

await build({
  entryPoints: [entry],
  outfile: tmp,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  // CommonJS dependencies bundled into ESM may call require(); give them one.
  banner: { js: "import { createRequire as __stewardCreateRequire } from 'node:module';\nconst require = __stewardCreateRequire(import.meta.url);" },
});
renameSync(tmp, entry);
