/**
 * The recovering mcl parser: the grammar of mcl-language.md §2 as a chevrotain
 * EmbeddedActionsParser whose actions build the AST directly (helpers in lang/to-ast.ts). The
 * grammar lives in layers under lang/parser/ (types → expressions → resources → statements); this
 * file wires them and runs chevrotain's grammar analysis.
 *
 * Why embedded actions and not a CST + visitor: on a 10,000-line program, building the CST and
 * walking it cost about twice the recognition itself and most of the garbage (docs/benchmarks.md).
 *
 * One instance per process, built on first use by `mclParser()` (the analysis costs tens of
 * milliseconds); `parser.input = tokens` resets it.
 */
import { mclErrorProvider } from "./parser/messages.js";
import { StmtRules } from "./parser/statements.js";

export { mclErrorProvider } from "./parser/messages.js";

/**
 * The grammar with embedded actions that build the AST directly (no CST): every rule returns its
 * AST piece, or null when its input was incomplete (recovery). Set `b` (the file's AstBuilder),
 * `out` and `input` before calling `file()`.
 */
export class McParser extends StmtRules {
  constructor(opts: { validate?: boolean } = {}) {
    super({
      recoveryEnabled: true,
      // The grammar is LL(1) (binary operators are flat lists, §2.1); the validating instance in
      // test/parser.test.ts fails if a decision ever needs more than one token.
      maxLookahead: 1,
      errorMessageProvider: mclErrorProvider,
      // The grammar checks (ambiguities, left recursion, …) cost ~50 ms per process; they run in
      // the test suite (test/parser.test.ts builds a validating instance), not in the CLI.
      skipValidations: opts.validate !== true,
    });
    // Every layer's rules are class fields, initialised by now: record them all.
    this.performSelfAnalysis();
  }
}

let instance: McParser | undefined;

/** The process-wide parser instance, built (grammar analysis included) on first use. */
export function mclParser(): McParser {
  return (instance ??= new McParser());
}
