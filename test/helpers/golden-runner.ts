/**
 * The txtar golden runner shared by the front-end suite (test/golden.test.ts) and the
 * resource-graph suite (test/golden-graph.test.ts); style.md lesson 4.
 *
 * A case is a txtar archive: its files (all but OUTPUT and ENTRY) are mounted under "/", ENTRY
 * optionally names the entry, and OUTPUT holds the expected lines. An OUTPUT whose first line is
 * not `error: …` must equal the actual output exactly; otherwise each line is
 *
 *     error: <phase> [<file>:]<line>:<col>: <message substring>
 *
 * `<file>:` only for files other than main.mcl, `-` for a diagnostic without a span. Phase and
 * position must match exactly; the actual message must CONTAIN the expected text.
 *
 * UPDATE_GOLDEN=1 rewrites (or adds) the OUTPUT of every mismatching case with the actual output.
 * Cases named in the suite's known-failures file run as node:test `todo` and are never rewritten.
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Diagnostic } from "../../lang/diagnostics.js";
import { formatTxtar, parseTxtar, txtarFile } from "../txtar.js";

const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

/** The names listed in a known-failures file (one a line, `#` comments); empty when it is absent. */
export function knownFailures(path: string): Set<string> {
  if (!existsSync(path)) return new Set();
  return new Set(
    readFileSync(path, "utf8")
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter((l) => l !== ""),
  );
}

/** A case's files keyed by absolute path (OUTPUT and ENTRY left out), and its ENTRY if any. */
export function caseFiles(text: string): { files: Record<string, string>; entry: string | undefined } {
  const a = parseTxtar(text);
  const files: Record<string, string> = {};
  for (const f of a.files) {
    if (f.name === "OUTPUT" || f.name === "ENTRY") continue;
    files["/" + f.name.replace(/^\/+/, "")] = f.data;
  }
  return { files, entry: txtarFile(a, "ENTRY")?.trim() };
}

function location(d: Diagnostic): string {
  const s = d.span;
  if (!s) return "-";
  const file = s.file.replace(/^\/+/, "");
  const pos = `${s.start.line}:${s.start.col}`;
  return file === "main.mcl" ? pos : `${file}:${pos}`;
}

/** Diagnostics as OUTPUT lines: `error: <phase> <location>: <first line of the message>`. */
export function diagnosticLines(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `error: ${d.phase} ${location(d)}: ${d.message.split("\n")[0] ?? ""}`);
}

const ERR = /^error: (\S+) (\S+): ?(.*)$/;

/** Does the actual output satisfy the expectation? A reason when it does not. */
export function matchOutput(expected: readonly string[], actual: readonly string[]): string | undefined {
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

export interface GoldenSuite {
  /** test names are `<prefix> <case name>` */
  readonly prefix: string;
  readonly cases: readonly { readonly name: string; readonly path: string }[];
  /** names of known failures, run as `todo` with this reason */
  readonly known: ReadonlySet<string>;
  readonly todo: string;
  /** the actual OUTPUT lines of one case */
  run(text: string): string[] | Promise<string[]>;
}

/** One node:test case per golden file. */
export function goldenTests(suite: GoldenSuite): void {
  for (const { name, path } of suite.cases) {
    const known = suite.known.has(name);
    test(`${suite.prefix} ${name}`, known ? { todo: suite.todo } : {}, async () => {
      const text = readFileSync(path, "utf8");
      const a = parseTxtar(text);
      const expected = (txtarFile(a, "OUTPUT") ?? "").split("\n").map((l) => l.trimEnd()).filter((l) => l !== "");
      const actual = await suite.run(text);
      const why = expected.length === 0 ? "missing -- OUTPUT -- section" : matchOutput(expected, actual);
      if (why === undefined) return;
      if (UPDATE && !known) {
        const outFile = { name: "OUTPUT", data: actual.join("\n") + "\n" };
        const files = a.files.some((f) => f.name === "OUTPUT") ? a.files.map((f) => (f.name === "OUTPUT" ? outFile : f)) : [...a.files, outFile];
        writeFileSync(path, formatTxtar({ comment: a.comment, files }));
        return;
      }
      assert.fail(`${name}: ${why}\n--- expected\n${expected.join("\n")}\n--- actual\n${actual.join("\n")}`);
    });
  }
}
