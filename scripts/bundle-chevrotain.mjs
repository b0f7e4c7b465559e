// Chevrotain as one CommonJS file beside the bin (dist/runtime/cli/chevrotain.cjs), run by
// scripts/bundle.mjs. The bin's bundles do not contain chevrotain: lang/chevrotain-lazy.ts requires
// this file synchronously the first time a program has a lex or syntax error (the hand-written lexer
// and parser read valid programs), so `steward check` of a valid program never reads it (issue 2).
// CommonJS so that the synchronous load needs no require(esm) (ecosystem.md §1.1).
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";

/** Bundle the installed chevrotain into `${cliDir}/chevrotain.cjs`. */
export async function bundleChevrotain(cliDir) {
  await build({
    entryPoints: [createRequire(import.meta.url).resolve("chevrotain")],
    outfile: join(cliDir, "chevrotain.cjs"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: "warning",
  });
}
