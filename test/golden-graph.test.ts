/**
 * The resource-graph golden suite (issue 3 §5; style.md lesson 4, like mgmt's TestAstFunc2).
 *
 * Every `test/lang/graph/<name>.txtar` is one case, run in-process through `runProgram` (compile →
 * lower → evaluate → interpret) on an in-memory file system, exactly as `steward graph` does. Files
 * are mounted under "/" and the entry is `-- ENTRY --` when present, else `/main.mcl`. OUTPUT is
 *
 *     kind[name] field=value … Meta:prop=value      <- `steward graph` text output, exactly
 *     a -> b (notify)
 *
 * or, for a failing program, one line per diagnostic:
 *
 *     error: <phase> [<file>:]<line>:<col>: <message substring>
 *
 * (an empty graph is written `empty`). UPDATE_GOLDEN=1 rewrites mismatching OUTPUTs. Cases named in
 * test/lang/KNOWN_FAILURES_GRAPH (one name a line, `#` comments) are known implementation bugs: they
 * run as node:test `todo` and are never rewritten.
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { firstValueFrom, timeout } from "rxjs";
import { memoryHost } from "../lang/host.js";
import { graphToText } from "../lang/resource-graph.js";
import { runProgram } from "../runtime/funcs/run-program.js";
import { caseFiles, diagnosticLines, goldenTests, knownFailures } from "./helpers/golden-runner.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "lang", "graph");

/** Run one case: the actual OUTPUT lines. */
export async function runGraphCase(text: string): Promise<string[]> {
  const { files, entry } = caseFiles(text);
  const ev = await firstValueFrom(runProgram(entry ?? "/main.mcl", memoryHost(files)).pipe(timeout(5000)));
  if ("graph" in ev) {
    const t = graphToText(ev.graph).split("\n").filter((l) => l !== "");
    return t.length === 0 ? ["empty"] : t;
  }
  return diagnosticLines(ev.diagnostics);
}

const cases = readdirSync(ROOT).filter((f) => f.endsWith(".txtar")).sort();
const known = knownFailures(join(ROOT, "..", "KNOWN_FAILURES_GRAPH"));

test("the graph golden suite has at least 250 cases", () => {
  assert.ok(cases.length >= 250, `only ${cases.length} cases`);
});

test("every case named in KNOWN_FAILURES_GRAPH exists", () => {
  const names = new Set(cases.map((f) => f.slice(0, -".txtar".length)));
  assert.deepEqual([...known].filter((n) => !names.has(n)), []);
});

goldenTests({
  prefix: "graph",
  cases: cases.map((f) => ({ name: f.slice(0, -".txtar".length), path: join(ROOT, f) })),
  known,
  todo: "known implementation bug (test/lang/KNOWN_FAILURES_GRAPH)",
  run: runGraphCase,
});
