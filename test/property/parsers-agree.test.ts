/**
 * The fast parser (lang/fast-parser/) and the recovering chevrotain parser (lang/parser.ts) read
 * the same language into the same AST: for every input, either the fast parser accepts it and the
 * recovering parser builds the very same statements with no parse error, or the fast parser gives
 * up and the recovering parser reports at least one error (which `parse()` then shows). Inputs:
 * every golden case, every example, a generated benchmark program, generated ASTs (formatted), the
 * same with one random edit (near-valid programs), and random token soups.
 * `FC_RUNS` sets the number of runs (`npm run fuzz` uses 100000).
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { generate } from "../../bench/gen.js";
import { fastParse } from "../../lang/fast-parser/index.js";
import { format } from "../../lang/format.js";
import { initChecks } from "../../lang/init-checks.js";
import { lex } from "../../lang/lexer.js";
import { parse } from "../../lang/parse.js";
import { AstBuilder, Locator } from "../../lang/to-ast.js";
import { editedProgram, progArb, tokenSoup } from "./arbitraries.js";
import { goldenSources, mclFiles } from "./mcl-sources.js";

const numRuns = Number(process.env["FC_RUNS"] ?? 100);
const ROOT = join(import.meta.dirname, "..", "..");

/** Checks the agreement on one text; returns whether the fast parser accepted it. */
function agree(text: string, what: string): boolean {
  const rec = parse(text, "main.mcl", { recoveringOnly: true });
  const t = text.endsWith("\n") ? text : text + "\n";
  const lx = lex(t);
  const fast = lx.errors.length === 0 ? fastParse(lx.tokens, new AstBuilder(new Locator("main.mcl", t))) : undefined;
  // What the recovering parser reported beyond the Init checks of what it built: lex, syntax and literal errors.
  const parseErrors = rec.diagnostics.length - initChecks(rec.prog).length;
  if (fast === undefined) {
    assert.ok(parseErrors > 0, `fast parser gave up on a file the recovering parser accepts (${what}):\n${text}`);
    return false;
  }
  assert.equal(parseErrors, 0, `fast parser accepted a file the recovering parser rejects (${what}):\n${text}\n${JSON.stringify(rec.diagnostics)}`);
  assert.deepEqual(fast, rec.prog.stmts, `the parsers built different ASTs (${what}):\n${text}`);
  // And parse() itself, which takes the fast path here, returns the recovering parser's result.
  assert.deepEqual(parse(text, "main.mcl"), rec);
  return true;
}

test("golden cases: same AST, or both reject", () => {
  let accepted = 0;
  let total = 0;
  for (const [what, text] of goldenSources(join(ROOT, "test", "lang"))) {
    total++;
    if (agree(text, what)) accepted++;
  }
  // Most goldens are valid syntax (scope and type cases); the fast path must really be taken.
  assert.ok(total > 500 && accepted > total / 2, `${accepted} of ${total} golden files took the fast path`);
});

test("examples and a generated 1,000-line program take the fast path with the same AST", () => {
  for (const p of mclFiles(join(ROOT, "examples"))) assert.ok(agree(readFileSync(p, "utf8"), p), p);
  assert.ok(agree(generate(1000), "bench/gen.ts 1000"));
});

test("generated programs: same AST", () => {
  fc.assert(
    fc.property(progArb({ rawNewlines: true }), (ast) => {
      agree(format(ast), "generated");
    }),
    { numRuns },
  );
});

test("generated programs with one random edit: same AST, or both reject", () => {
  fc.assert(fc.property(editedProgram, (text) => void agree(text, "edited")), { numRuns });
});

test("random token soups: same AST, or both reject", () => {
  fc.assert(fc.property(tokenSoup, (text) => void agree(text, "soup")), { numRuns });
});
