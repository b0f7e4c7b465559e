/**
 * Public entry of the parse phase: text → Prog + diagnostics (lex errors, syntax errors, string
 * escape/interpolation errors, and the Init/Interpolate structure checks). Never throws.
 *
 * @example
 *   const { prog, diagnostics } = parse('$x = "hello"\n', "main.mcl");
 */
import type { IRecognitionException, IToken } from "chevrotain";
import type { Comment, Prog, Span, Stmt } from "./ast.js";
import { chevrotain } from "./chevrotain-lazy.js";
import { diag, sortDiagnostics } from "./diagnostics.js";
import type { Diagnostic } from "./diagnostics.js";
import { fastParse } from "./fast-parser/index.js";
import { initChecks } from "./init-checks.js";
import { lex } from "./lexer.js";
import { type McParser, mclParser as mclParserInstance } from "./parser.js";
import { AstBuilder, Locator, STRAY_CLOSER_MESSAGE } from "./to-ast.js";
import { LBrack, LCurly, LParen, Newline, RBrack, RCurly, RParen, type Token } from "./tokens.js";

/** Parse one mcl file. All diagnostics have phase "parse" and a span in `file`. */
/** Options of `parse`. */
export interface ParseOptions {
  /** Skip the fast parser (lang/fast-parser/): tests compare both parsers' results. */
  readonly recoveringOnly?: boolean;
}

export function parse(text: string, file: string, opts: ParseOptions = {}): { prog: Prog; diagnostics: Diagnostic[] } {
  if (!text.endsWith("\n")) text += "\n";
  const loc = new Locator(file, text);
  const diagnostics: Diagnostic[] = [];
  let parser: McParser | undefined;
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

    // A valid file is read by the fast parser; a file with any error by the recovering one.
    if (lx.errors.length === 0 && opts.recoveringOnly !== true) {
      const fast = fastParse(lx.tokens, new AstBuilder(loc));
      if (fast !== undefined) {
        prog = { file, stmts: fast, comments };
        diagnostics.push(...initChecks(prog));
        return { prog, diagnostics: sortDiagnostics(diagnostics) };
      }
    }

    // Parse in chunks of whole top-level statements (≥ CHUNK_TOKENS tokens each): chevrotain's
    // recovery bookkeeping stays small, and a syntax error's "end of input" is per chunk.
    const b = new AstBuilder(loc);
    const stmts: Stmt[] = [];
    const mclParser = (parser = mclParserInstance());
    mclParser.b = b;
    mclParser.out = stmts;
    const chunks = splitTopLevel(chevrotainTokens(lx.tokens), CHUNK_TOKENS);
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i] as IToken[];
      mclParser.input = chunk;
      mclParser.file();
      diagnostics.push(...syntaxDiagnostics(mclParser.errors, chunk, loc, stopAt, i === chunks.length - 1));
    }
    diagnostics.push(...b.diagnostics);
    prog = { file, stmts, comments };
    suppressCascades(diagnostics);
    diagnostics.push(...initChecks(prog));
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      diagnostics.push(diag("parse", "E-PARSE-TOO-DEEP", "program is nested too deeply to parse", loc.span(0, 0)));
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      diagnostics.push(diag("parse", "E-PARSE-INTERNAL", `internal parser error: ${msg}`, loc.span(0, 0)));
    }
  } finally {
    // don't keep the tokens, the AST or the file text alive
    if (parser) {
      parser.input = [];
      parser.out = [];
      parser.b = IDLE_BUILDER;
    }
  }
  return { prog, diagnostics: sortDiagnostics(diagnostics) };
}

const CHUNK_TOKENS = 4096;

/**
 * The hand lexer's tokens lack chevrotain's `tokenTypeIdx` (the parser matches by it); chevrotain
 * gives each token type one when its parser is built, so by now every token type has it.
 */
function chevrotainTokens(tokens: Token[]): IToken[] {
  for (const t of tokens as IToken[]) t.tokenTypeIdx ??= t.tokenType.tokenTypeIdx as number;
  return tokens as IToken[];
}

const IDLE_BUILDER = new AstBuilder(new Locator("", ""));

/**
 * Drop likely cascades of recovery, so that each independent mistake is reported once:
 * - a second syntax error on the line of an earlier lex or syntax error (`$X = 1` → "unexpected
 *   'X'", then "unexpected '='");
 * - brace-balance errors (a top-level `}` that closes nothing, "unexpected end of input") after any
 *   earlier lex or syntax error, whose recovery skipped an opening or closing brace.
 */
function suppressCascades(ds: Diagnostic[]): void {
  const lines = new Set<number>();
  let seenError = false;
  const drop = new Set<Diagnostic>();
  for (const d of sortDiagnostics(ds)) {
    const line = d.span?.start.line;
    if (line === undefined) continue;
    const syntax = d.code === "E-PARSE-SYNTAX";
    const balance = syntax && (d.message === STRAY_CLOSER_MESSAGE || d.message.startsWith("syntax error: unexpected end of input"));
    if (syntax && (lines.has(line) || (balance && seenError))) {
      drop.add(d);
      continue;
    }
    if (syntax || d.code === "E-PARSE-LEX" || d.code === "E-PARSE-UNTERMINATED-STRING") {
      lines.add(line);
      seenError = true;
    }
  }
  if (drop.size === 0) return;
  const kept = ds.filter((d) => !drop.has(d));
  ds.length = 0;
  ds.push(...kept);
}

/**
 * Split tokens after newlines at bracket depth 0 (the end of a top-level statement) into chunks of
 * at least `min` tokens. Strings are single tokens, so counting `{([`/`})]` is exact; unbalanced
 * input just yields larger chunks.
 */
function splitTopLevel(tokens: IToken[], min: number): IToken[][] {
  if (tokens.length <= min) return [tokens];
  const out: IToken[][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tt = (tokens[i] as IToken).tokenType;
    if (tt === LCurly || tt === LParen || tt === LBrack) depth++;
    else if (tt === RCurly || tt === RParen || tt === RBrack) depth = depth > 0 ? depth - 1 : 0;
    else if (tt === Newline && depth === 0 && i + 1 - start >= min) {
      out.push(tokens.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < tokens.length) out.push(tokens.slice(start));
  return out;
}

/** Convert chevrotain recognition errors, pointing EOF errors at the end of the last real token; dedupe by position. */
function syntaxDiagnostics(errors: readonly IRecognitionException[], tokens: readonly IToken[], loc: Locator, stopAt: number, last: boolean): Diagnostic[] {
  const { EOF, tokenMatcher } = chevrotain();
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const e of errors) {
    let span: Span;
    let message = e.message;
    const t = e.token;
    if (tokenMatcher(t, EOF) || !Number.isFinite(t.startOffset)) {
      const lt = lastRealToken(tokens);
      const end = lt ? (lt.endOffset ?? NaN) + 1 : 0;
      span = loc.span(end, end + 1);
      if (!last) message = message.replace("end of input", "end of statement");
      else if (!message.includes("end of input")) message += " (at end of input)";
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
