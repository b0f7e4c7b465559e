/**
 * The golden suite of the front end (issue 2 §6; style.md lesson 4, like mgmt's TestAstFunc1).
 *
 * Every `test/lang/<phase>/<name>.txtar` is one node:test case. Its files (all but OUTPUT and
 * ENTRY) are mounted under "/" in a memoryHost; the entry is the body of `-- ENTRY --` when
 * present (e.g. a directory `/`), else `/main.mcl`, else the first `.mcl` file. OUTPUT is either
 *
 *     ok
 *     $x: int            <- each type-checked top-level bind of the entry file, sorted, printType
 *
 * or one line per diagnostic, all of them, in order:
 *
 *     error: <phase> [<file>:]<line>:<col>: <message substring>
 *
 * `<file>:` is written only for files other than main.mcl (`lib/foo.mcl:2:5`), `-` stands for a
 * diagnostic without a span. Phase and position must match exactly; the actual message must
 * CONTAIN the expected text (wording belongs to the implementers, the spec fixes the gist).
 *
 * UPDATE_GOLDEN=1 rewrites the OUTPUT of every mismatching case with the actual output (full
 * messages). Cases named in test/lang/KNOWN_FAILURES (one `phase/name` a line, `#` comments) are
 * known compiler bugs: they run as node:test `todo` and are never rewritten.
 */
import { readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../lang/compile.js";
import { memoryHost } from "../lang/host.js";
import { printType } from "../lang/types.js";
import { caseFiles, diagnosticLines, goldenTests, knownFailures } from "./helpers/golden-runner.js";

export { matchOutput } from "./helpers/golden-runner.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "lang");

/** `phase/name` of every case, sorted. */
export function listGoldenCases(root: string = ROOT): string[] {
  const out: string[] = [];
  for (const phase of readdirSync(root, { withFileTypes: true })) {
    // graph/ holds resource-graph goldens with their own runner (test/golden-graph.test.ts)
    if (!phase.isDirectory() || phase.name === "graph") continue;
    for (const f of readdirSync(join(root, phase.name))) {
      if (f.endsWith(".txtar")) out.push(`${phase.name}/${f.slice(0, -".txtar".length)}`);
    }
  }
  return out.sort();
}

/** Run one case: the actual OUTPUT lines. */
export function runCase(text: string): string[] {
  const { files, entry: entryText } = caseFiles(text);
  const mcl = Object.keys(files).filter((n) => n.endsWith(".mcl"));
  const entry = entryText ?? (files["/main.mcl"] !== undefined ? "/main.mcl" : mcl[0] ?? "/main.mcl");
  const r = compile(entry, memoryHost(files));
  if (r.diagnostics.length > 0) return diagnosticLines(r.diagnostics);
  if (!r.program) return ["error: - -: compile returned neither a program nor diagnostics"];
  const binds = [...r.program.bindTypes.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return ["ok", ...binds.map(([name, t]) => `$${name}: ${printType(t)}`)];
}

goldenTests({
  prefix: "golden",
  cases: listGoldenCases().map((name) => ({ name, path: join(ROOT, name + ".txtar") })),
  known: knownFailures(join(ROOT, "KNOWN_FAILURES")),
  todo: "known compiler bug (test/lang/KNOWN_FAILURES)",
  run: runCase,
});
