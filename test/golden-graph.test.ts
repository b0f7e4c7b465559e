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
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { firstValueFrom, filter, timeout } from "rxjs";
import { memoryHost } from "../lang/host.js";
import { graphToText } from "../lang/resource-graph.js";
import type { Diagnostic } from "../lang/diagnostics.js";
import { runProgram } from "../runtime/funcs/run-program.js";
import { parseTxtar, formatTxtar, txtarFile } from "./txtar.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "lang", "graph");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

/** Case names listed in test/lang/KNOWN_FAILURES_GRAPH. */
function knownFailures(): Set<string> {
  const p = join(ROOT, "..", "KNOWN_FAILURES_GRAPH");
  if (!existsSync(p)) return new Set();
  return new Set(
    readFileSync(p, "utf8")
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter((l) => l !== ""),
  );
}

function location(d: Diagnostic): string {
  const s = d.span;
  if (!s) return "-";
  const file = s.file.replace(/^\/+/, "");
  const pos = `${s.start.line}:${s.start.col}`;
  return file === "main.mcl" ? pos : `${file}:${pos}`;
}

/** Run one case: the actual OUTPUT lines. */
export async function runGraphCase(text: string): Promise<string[]> {
  const a = parseTxtar(text);
  const files: Record<string, string> = {};
  for (const f of a.files) {
    if (f.name === "OUTPUT" || f.name === "ENTRY") continue;
    files["/" + f.name.replace(/^\/+/, "")] = f.data;
  }
  const entry = txtarFile(a, "ENTRY")?.trim() ?? "/main.mcl";
  const ev = await firstValueFrom(runProgram(entry, memoryHost(files)).pipe(filter(() => true), timeout(5000)));
  if ("graph" in ev) {
    const t = graphToText(ev.graph).split("\n").filter((l) => l !== "");
    return t.length === 0 ? ["empty"] : t;
  }
  return ev.diagnostics.map((d) => `error: ${d.phase} ${location(d)}: ${d.message.split("\n")[0] ?? ""}`);
}

const ERR = /^error: (\S+) (\S+): ?(.*)$/;

function matchOutput(expected: readonly string[], actual: readonly string[]): string | undefined {
  if (!expected[0]?.startsWith("error: ")) return actual.join("\n") === expected.join("\n") ? undefined : "output differs";
  if (expected.length !== actual.length) return `expected ${expected.length} line(s), got ${actual.length}`;
  for (let i = 0; i < expected.length; i++) {
    const e = ERR.exec(expected[i]!);
    const g = ERR.exec(actual[i]!);
    if (!e) return `bad expectation line ${i + 1}: ${expected[i]}`;
    if (!g) return `line ${i + 1}: expected an error, got ${actual[i]}`;
    if (e[1] !== g[1]) return `line ${i + 1}: phase ${g[1]} != ${e[1]}`;
    if (e[2] !== g[2]) return `line ${i + 1}: position ${g[2]} != ${e[2]}`;
    if (!g[3]!.includes(e[3]!)) return `line ${i + 1}: message does not contain ${JSON.stringify(e[3])}`;
  }
  return undefined;
}

const cases = readdirSync(ROOT).filter((f) => f.endsWith(".txtar")).sort();
const known = knownFailures();

test("the graph golden suite has at least 250 cases", () => {
  assert.ok(cases.length >= 250, `only ${cases.length} cases`);
});

test("every case named in KNOWN_FAILURES_GRAPH exists", () => {
  const names = new Set(cases.map((f) => f.slice(0, -".txtar".length)));
  assert.deepEqual([...known].filter((n) => !names.has(n)), []);
});

for (const file of cases) {
  const name = file.slice(0, -".txtar".length);
  const opts = known.has(name) ? { todo: "known implementation bug (test/lang/KNOWN_FAILURES_GRAPH)" } : {};
  test(`graph ${name}`, opts, async () => {
    const path = join(ROOT, file);
    const text = readFileSync(path, "utf8");
    const a = parseTxtar(text);
    const expected = (txtarFile(a, "OUTPUT") ?? "").split("\n").map((l) => l.trimEnd()).filter((l) => l !== "");
    const actual = await runGraphCase(text);
    const why = expected.length === 0 ? "missing -- OUTPUT --" : matchOutput(expected, actual);
    if (why === undefined) return;
    if (UPDATE && !known.has(name)) {
      const outFile = { name: "OUTPUT", data: actual.join("\n") + "\n" };
      const files = a.files.some((f) => f.name === "OUTPUT") ? a.files.map((f) => (f.name === "OUTPUT" ? outFile : f)) : [...a.files, outFile];
      writeFileSync(path, formatTxtar({ comment: a.comment, files }));
      return;
    }
    assert.fail(`${name}: ${why}\n--- expected\n${expected.join("\n")}\n--- actual\n${actual.join("\n")}`);
  });
}
