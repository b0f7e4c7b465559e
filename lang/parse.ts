/**
 * Public entry of the parse phase: text → Prog + diagnostics (lex errors, syntax errors, string
 * escape/interpolation errors, and the Init/Interpolate structure checks). Never throws.
 *
 * @example
 *   const { prog, diagnostics } = parse('$x = "hello"\n', "main.mcl");
 */
import { EOF, tokenMatcher } from "chevrotain";
import type { IRecognitionException, IToken } from "chevrotain";
import type { Comment, Prog, Span } from "./ast.js";
import { diag } from "./diagnostics.js";
import type { Diagnostic } from "./diagnostics.js";
import { initChecks } from "./init-checks.js";
import { lex, Newline } from "./lexer.js";
import { mclParser } from "./parser.js";
import { AstBuilder, Locator } from "./to-ast.js";

/** Parse one mcl file. All diagnostics have phase "parse" and a span in `file`. */
export function parse(text: string, file: string): { prog: Prog; diagnostics: Diagnostic[] } {
  if (!text.endsWith("\n")) text += "\n";
  const loc = new Locator(file, text);
  const diagnostics: Diagnostic[] = [];
  let prog: Prog = { file, stmts: [], comments: [] };
  try {
    const lx = lex(text);
    let stopAt = Infinity; // syntax errors after an unterminated string are noise
    for (const e of lx.errors) {
      diagnostics.push(diag("parse", e.code, e.message, loc.span(e.start, e.end)));
      if (e.code === "E-PARSE-UNTERMINATED-STRING") stopAt = e.start;
    }
    const comments: Comment[] = lx.comments.map((c) => ({ text: c.image, span: loc.span(c.startOffset, (c.endOffset ?? NaN) + 1) }));
    prog = { file, stmts: [], comments };

    mclParser.input = lx.tokens;
    const cst = mclParser.file();
    const syntax = syntaxDiagnostics(mclParser.errors, lx.tokens, loc, stopAt);
    diagnostics.push(...syntax);

    const b = new AstBuilder(loc);
    const stmts = b.file(cst);
    diagnostics.push(...b.diagnostics);
    prog = { file, stmts, comments };
    diagnostics.push(...initChecks(prog));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    diagnostics.push(diag("parse", "E-PARSE-INTERNAL", `internal parser error: ${msg}`, loc.span(0, 0)));
  } finally {
    mclParser.input = []; // don't keep the token array alive
  }
  return { prog, diagnostics };
}

/** Convert chevrotain recognition errors, pointing EOF errors at the end of the last real token; dedupe by position. */
function syntaxDiagnostics(errors: readonly IRecognitionException[], tokens: readonly IToken[], loc: Locator, stopAt: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const e of errors) {
    let span: Span;
    let message = e.message;
    const t = e.token;
    if (tokenMatcher(t, EOF) || !Number.isFinite(t.startOffset)) {
      const last = lastRealToken(tokens);
      const end = last ? (last.endOffset ?? NaN) + 1 : 0;
      span = loc.span(end, end + 1);
      if (!message.includes("end of input")) message += " (at end of input)";
    } else {
      span = loc.span(t.startOffset, (t.endOffset ?? NaN) + 1);
    }
    if (span.start.offset >= stopAt || (stopAt < Infinity && tokenMatcher(t, EOF))) continue;
    if (seen.has(span.start.offset)) continue;
    seen.add(span.start.offset);
    out.push(diag("parse", "E-PARSE-SYNTAX", message, span));
  }
  return out;
}

function lastRealToken(tokens: readonly IToken[]): IToken | undefined {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t && t.tokenType !== Newline) return t;
  }
  return tokens[tokens.length - 1];
}
