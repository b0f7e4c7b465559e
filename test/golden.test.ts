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
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../lang/compile.js";
import { memoryHost } from "../lang/host.js";
import { printType } from "../lang/types.js";
import type { Diagnostic } from "../lang/diagnostics.js";
import { parseTxtar, formatTxtar, txtarFile } from "./txtar.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "lang");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

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

function knownFailures(): Set<string> {
  const p = join(ROOT, "KNOWN_FAILURES");
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
export function runCase(text: string): string[] {
  const a = parseTxtar(text);
  const files: Record<string, string> = {};
  for (const f of a.files) {
    if (f.name === "OUTPUT" || f.name === "ENTRY") continue;
    files["/" + f.name.replace(/^\/+/, "")] = f.data;
  }
  const entryText = txtarFile(a, "ENTRY")?.trim();
  const mcl = Object.keys(files).filter((n) => n.endsWith(".mcl"));
  const entry = entryText ?? (files["/main.mcl"] !== undefined ? "/main.mcl" : mcl[0] ?? "/main.mcl");
  const r = compile(entry, memoryHost(files));
  if (r.diagnostics.length > 0) {
    return r.diagnostics.map((d) => `error: ${d.phase} ${location(d)}: ${d.message.split("\n")[0] ?? ""}`);
  }
  if (!r.program) return ["error: - -: compile returned neither a program nor diagnostics"];
  const binds = [...r.program.bindTypes.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return ["ok", ...binds.map(([name, t]) => `$${name}: ${printType(t)}`)];
}

const ERR = /^error: (\S+) (\S+): ?(.*)$/;

/** Does the actual output satisfy the expectation? Returns a reason when it does not. */
export function matchOutput(expected: readonly string[], actual: readonly string[]): string | undefined {
  if (expected[0] === "ok") {
    if (actual.join("\n") !== expected.join("\n")) return "output differs";
    return undefined;
  }
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

function outputLines(body: string | undefined): string[] {
  return (body ?? "").split("\n").map((l) => l.trimEnd()).filter((l) => l !== "");
}

const known = knownFailures();
for (const name of listGoldenCases()) {
  const path = join(ROOT, name + ".txtar");
  const opts = known.has(name) ? { todo: "known compiler bug (test/lang/KNOWN_FAILURES)" } : {};
  test(`golden ${name}`, opts, () => {
    const text = readFileSync(path, "utf8");
    const a = parseTxtar(text);
    const expected = outputLines(txtarFile(a, "OUTPUT"));
    assert.ok(expected.length > 0, `${name}: missing -- OUTPUT -- section`);
    const actual = runCase(text);
    const why = matchOutput(expected, actual);
    if (why === undefined) return;
    if (UPDATE && !known.has(name)) {
      const files = a.files.map((f) => (f.name === "OUTPUT" ? { name: "OUTPUT", data: actual.join("\n") + "\n" } : f));
      writeFileSync(path, formatTxtar({ comment: a.comment, files }));
      return;
    }
    assert.fail(`${name}: ${why}\n--- expected\n${expected.join("\n")}\n--- actual\n${actual.join("\n")}`);
  });
}
