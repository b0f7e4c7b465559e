/**
 * The mcl lexer (mcl-language.md §1): the hand-written one (lang/fast-lexer.ts) for every input it
 * accepts, else chevrotain's, which reports the errors. Token types are in lang/tokens.ts.
 *
 * Chevrotain's lexer is built from those token types on first use (lang/chevrotain-lazy.ts), once per
 * process: a valid program never loads chevrotain.
 */
import type { IToken, Lexer } from "chevrotain";
import { chevrotain } from "./chevrotain-lazy.js";
import { lexFast } from "./fast-lexer.js";
import { allTokens, UnterminatedString } from "./tokens.js";
import type { LexError, LexResult } from "./tokens.js";

export type { LexError, LexResult, Token } from "./tokens.js";

/**
 * Chevrotain's lexer for mcl. `validate` runs chevrotain's token-definition checks (~15 ms): the
 * test suite does (test/parser.test.ts); the process-wide one does not.
 */
export function buildLexer(validate: boolean): Lexer {
  const { createToken, Lexer } = chevrotain();
  // Only chevrotain's lexer needs a token type for whitespace (skipped); the categories have no
  // pattern and are never lexed (lang/tokens.ts).
  const whiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t]+/, group: Lexer.SKIPPED });
  return new Lexer([whiteSpace, ...allTokens.filter((t) => t.PATTERN !== undefined)], {
    positionTracking: "onlyOffset",
    ensureOptimizations: true,
    skipValidations: !validate,
  });
}

let mclLexer: Lexer | undefined;

/**
 * Tokenise `text`. Unknown characters (`\r` included, §1.1) become errors and are skipped;
 * an unterminated string becomes an error and is dropped together with the rest of the input.
 */
export function lex(text: string): LexResult {
  return lexFast(text) ?? lexChevrotain(text);
}

/** `lex` with chevrotain's lexer only (the hand lexer's reference: test/property/lexers-agree.test.ts). */
export function lexChevrotain(text: string): LexResult & { readonly tokens: IToken[]; readonly comments: IToken[] } {
  const r = (mclLexer ??= buildLexer(false)).tokenize(text);
  const errors: LexError[] = [];
  for (const e of r.errors) {
    const run = text.slice(e.offset, e.offset + e.length);
    const cr = run.indexOf("\r");
    if (cr >= 0) {
      errors.push({ start: e.offset + cr, end: e.offset + cr + 1, message: "unrecognized carriage return", code: "E-PARSE-LEX" });
      const rest = run.replace(/\r/g, "");
      if (rest.length > 0) {
        const i = run.search(/[^\r]/);
        errors.push({ start: e.offset + i, end: e.offset + i + 1, message: `unrecognized character: ${JSON.stringify(run[i])}`, code: "E-PARSE-LEX" });
      }
    } else {
      errors.push({ start: e.offset, end: e.offset + 1, message: `unrecognized character: ${JSON.stringify(run[0] ?? "")}`, code: "E-PARSE-LEX" });
    }
  }
  let tokens = r.tokens;
  // positionTracking "onlyOffset" leaves endOffset unset; the parser's node locations need it.
  for (const t of tokens) t.endOffset = t.startOffset + t.image.length - 1;
  const comments = (r.groups["comments"] ?? []) as IToken[];
  for (const t of comments) t.endOffset = t.startOffset + t.image.length - 1;
  const last = tokens[tokens.length - 1];
  if (last && last.tokenType === UnterminatedString) {
    errors.push({ start: last.startOffset, end: last.startOffset + 1, message: "unterminated string literal", code: "E-PARSE-UNTERMINATED-STRING" });
    tokens = tokens.slice(0, -1);
  }
  return { tokens, comments, errors };
}
