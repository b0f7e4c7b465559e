/**
 * The fast parser: a hand-written recursive-descent reading of the same LL(1) grammar as the
 * recovering chevrotain parser (lang/parser.ts), building the same AST with the same AstBuilder.
 * It has no error recovery and no messages: on the first token it does not accept, or when the
 * builder reports anything (int overflow, bad escapes, chained comparisons, …), it gives up and
 * lang/parse.ts parses the file with the recovering parser, which reports every error.
 *
 * Why two parsers: for a valid file (the common case: CI checks and every recompile of a running
 * program), chevrotain's grammar analysis at start-up, its generic lookahead and its recovery
 * bookkeeping were about half of `steward check` on a 10,000-line program (docs/benchmarks.md).
 * test/parser-fast.test.ts checks that both parsers build the same AST for every golden case,
 * example and generated program, and that the fast one never accepts what the other rejects.
 */
import type { Token } from "../tokens.js";
import type { Stmt } from "../ast.js";
import type { AstBuilder } from "../to-ast.js";
import { BAIL, Cursor } from "./cursor.js";
import { file } from "./statements.js";

/** The statements of a valid file, or undefined when the file needs the recovering parser. */
export function fastParse(tokens: readonly Token[], b: AstBuilder): Stmt[] | undefined {
  const out: Stmt[] = [];
  const before = b.diagnostics.length;
  try {
    file(new Cursor(tokens, b), out);
  } catch (e) {
    // Too deep nesting is reported by the recovering parser too; anything else is a bug there.
    if (e === BAIL || e instanceof RangeError) return undefined;
    throw e;
  }
  return b.diagnostics.length === before ? out : undefined;
}
