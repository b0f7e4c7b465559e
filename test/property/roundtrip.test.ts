/**
 * Round trip of the formatter and the parser (ecosystem.md §5):
 *  (a) for generated ASTs, `parse(format(ast))` is `ast` again (spans and comments aside),
 *      the parser reports exactly the Init diagnostics the AST itself has, and format is a
 *      fixpoint: `format(parse(format(ast))) === format(ast)`;
 *  (c) comments sprinkled over formatted text (end-of-line and own-line) survive formatting,
 *      in order, without changing the program, and the result is again a fixpoint.
 * `FC_RUNS` sets the number of runs (`npm run fuzz` uses 100000).
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { format, formatSource, stripSpans } from "../../lang/format.js";
import { initChecks } from "../../lang/init-checks.js";
import { parse } from "../../lang/parse.js";
import type { Diagnostic } from "../../lang/diagnostics.js";
import { progArb } from "./arbitraries.js";

const numRuns = Number(process.env["FC_RUNS"] ?? 100);

function codes(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => d.code).sort();
}

test("parse(format(ast)) equals ast, and format is idempotent", () => {
  fc.assert(
    fc.property(progArb({ rawNewlines: true }), (ast) => {
      const text = format(ast);
      const r = parse(text, "gen.mcl");
      assert.deepEqual(codes(r.diagnostics), codes(initChecks(ast)), `diagnostics for:\n${text}`);
      assert.deepEqual(stripSpans(r.prog), stripSpans(ast), `AST differs for:\n${text}`);
      assert.equal(format(r.prog), text);
    }),
    { numRuns },
  );
});

test("comments are kept in order, and formatting commented code is a fixpoint", () => {
  const arb = progArb({ rawNewlines: false }).chain((ast) => {
    const text = format(ast);
    const n = text.split("\n").length;
    // per line: 0 = nothing, 1 = end-of-line comment, 2 = own-line comment before it, 3 = blank line before it
    return fc.tuple(fc.constant(ast), fc.constant(text), fc.array(fc.nat(6), { minLength: n, maxLength: n }));
  });
  fc.assert(
    fc.property(arb, ([ast, text, marks]) => {
      fc.pre(initChecks(ast).length === 0); // formatSource refuses files with parse-phase errors
      let k = 0;
      const lines = text.split("\n").map((l, i) => {
        const m = marks[i] ?? 0;
        if (i === marks.length - 1 && l === "") return l;
        if (m === 1) return `${l} # c${k++}  `;
        if (m === 2) return `# c${k++}\n${l}`;
        if (m === 3) return `\n\n${l}`;
        return l;
      });
      const commented = lines.join("\n") + (k % 3 === 0 ? "# tail\n" : "");
      const first = parse(commented, "gen.mcl");
      assert.deepEqual(stripSpans(first.prog), stripSpans(ast), `commented text no longer parses to the AST:\n${commented}`);
      const r = formatSource(commented, "gen.mcl");
      const out = r.output;
      if (out === undefined) assert.fail(`formatSource refused:\n${commented}\n${r.diagnostics.map((d) => d.message).join("\n")}`);
      const again = parse(out, "gen.mcl");
      assert.deepEqual(stripSpans(again.prog), stripSpans(ast));
      assert.deepEqual(
        again.prog.comments.map((c) => c.text),
        first.prog.comments.map((c) => c.text.trimEnd()),
        `comments lost or reordered:\n${commented}\n---\n${out}`,
      );
      assert.equal(formatSource(out, "gen.mcl").output, out, `not a fixpoint:\n${commented}\n---\n${out}`);
      assert.ok(!/[ \t]\n/.test(out.replace(/"(?:[^"\\]|\\[^])*"/g, '""')), "trailing whitespace");
    }),
    { numRuns },
  );
});
