/**
 * Robustness of the front end (ecosystem.md §5): on random text and on random soups of mcl
 * tokens, `parse()`, `compileSource()` and `formatSource()` never throw; parse and compile return
 * a program or at least one diagnostic; every diagnostic span lies inside the input.
 * `FC_RUNS` sets the number of runs (`npm run fuzz` uses 100000).
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { Diagnostic } from "../../lang/diagnostics.js";
import { compileSource } from "../../lang/compile.js";
import { formatSource } from "../../lang/format.js";
import { parse } from "../../lang/parse.js";
import { tokenSoup } from "./arbitraries.js";

const numRuns = Number(process.env["FC_RUNS"] ?? 100);
const FILE = "fuzz.mcl";

/** Line/column limits of `text` as the parser sees it (a final newline may be appended). */
function extent(text: string): { lines: number; lineLen: number[] } {
  const t = text.endsWith("\n") ? text : text + "\n";
  const lineLen = t.split("\n").map((l) => l.length);
  return { lines: lineLen.length, lineLen };
}

function checkSpans(ds: readonly Diagnostic[], text: string): void {
  const { lines, lineLen } = extent(text);
  for (const d of ds) {
    const s = d.span;
    if (s === undefined || s.file !== FILE) continue; // e.g. a diagnostic about the prelude
    const where = `${d.code} ${d.message} @ ${s.start.line}:${s.start.col}-${s.end.line}:${s.end.col}`;
    assert.ok(s.start.line >= 1 && s.start.col >= 1, where);
    assert.ok(s.end.line > s.start.line || (s.end.line === s.start.line && s.end.col >= s.start.col), `end before start: ${where}`);
    assert.ok(s.end.line <= lines, `past the last line: ${where}`);
    assert.ok(s.start.col <= (lineLen[s.start.line - 1] ?? 0) + 1, `start past the line end: ${where}`);
    assert.ok(s.end.col <= (lineLen[s.end.line - 1] ?? 0) + 1, `end past the line end: ${where}`);
  }
}

function frontEnd(text: string): void {
  const p = parse(text, FILE);
  assert.ok(Array.isArray(p.diagnostics) && p.prog !== undefined);
  checkSpans(p.diagnostics, text);

  const c = compileSource(text, { file: FILE });
  assert.ok(c.program !== undefined || c.diagnostics.length > 0, "compileSource returned neither a program nor diagnostics");
  checkSpans(c.diagnostics, text);

  const f = formatSource(text, FILE);
  assert.ok(f.output !== undefined || f.diagnostics.length > 0, "formatSource returned neither output nor diagnostics");
  if (f.output !== undefined) assert.equal(formatSource(f.output, FILE).output, f.output, "format is not a fixpoint");
}

test("random text never crashes the front end", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), frontEnd), { numRuns });
});

test("random token soups never crash the front end", () => {
  fc.assert(fc.property(tokenSoup, frontEnd), { numRuns });
});

test("mutated programs never crash the front end", () => {
  const base = '$x = [1, 2]\nfile "/tmp/${x}" {\n\tcontent => "a",\n\tMeta:noop => true,\n}\nif $c { test "a" {} } else { $y = func($a) { $a + 1 } }\n';
  const mutated = fc
    .array(fc.tuple(fc.nat(base.length), fc.nat(3), fc.constantFrom("", "{", "}", "\n", "$", '"', ",", "(", "#", "=>", "-1")), { maxLength: 4 })
    .map((edits) => edits.reduce((s, [at, del, ins]) => s.slice(0, at) + ins + s.slice(at + del), base));
  fc.assert(fc.property(mutated, frontEnd), { numRuns });
});
