/**
 * mcl tokens and lexer (mcl-language.md §1). One chevrotain Lexer, built once per process.
 *
 * mgmt's nex scanner is longest-match; chevrotain is first-match. The token order below
 * reproduces longest-match for every case that matters:
 *   - floats before ints, ints (with their leading `-`) before `->` and `-`
 *     (so `5 -3` is INTEGER INTEGER, as in mgmt);
 *   - keywords sorted longest first, each with `longer_alt: Identifier`
 *     (`in`/`int`/`include`, `for`/`forkv`, `format` is an identifier);
 *   - `=>` / `==` before `=`, `<|>` / `<=` before `<`, `>=` before `>`.
 * Strings are one token (`"(\\.|[^"\\])*"`), like mgmt; escapes and `${}` are decoded by
 * lang/strings.ts. Comments go to the `comments` group, not to the parser.
 */
import { createToken, Lexer } from "chevrotain";
import type { IToken, TokenType } from "chevrotain";

// Categories (pattern NA: never lexed directly).
/** IDENTIFIER | `map` | `collect` — the grammar's undotted_identifier (§1.2). */
export const UndottedIdent = createToken({ name: "UndottedIdent", pattern: Lexer.NA, label: "identifier" });
/** Every infix operator; the parser reads flat operand/operator lists (§2.1). */
export const BinaryOp = createToken({ name: "BinaryOp", pattern: Lexer.NA, label: "operator" });

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n]*/, group: "comments" });
export const Newline = createToken({ name: "Newline", pattern: /\n/, line_breaks: true, label: "newline" });
export const StringLit = createToken({
  name: "StringLit",
  pattern: /"(?:[^"\\]|\\[^])*"/,
  line_breaks: true,
  label: "string",
});
/** Only matches when StringLit failed: a `"` without a closing quote runs to end of input. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"[^]*/,
  line_breaks: true,
  label: "unterminated string",
});
export const FloatLit = createToken({ name: "FloatLit", pattern: /-?[0-9]+\.[0-9]+/, label: "float" });
export const IntLit = createToken({ name: "IntLit", pattern: /-?[0-9]+/, label: "integer" });

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[a-z](?:[a-z0-9_]*[a-z0-9])?/,
  categories: [UndottedIdent],
  label: "identifier",
});
export const CapIdentifier = createToken({
  name: "CapIdentifier",
  pattern: /[A-Z](?:[a-z0-9_]*[a-z0-9])?/,
  label: "capitalized identifier",
});

function kw(word: string, name: string, categories?: TokenType[]): TokenType {
  return createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `'${word}'`,
    ...(categories ? { categories } : {}),
  });
}

export const KwIf = kw("if", "If");
export const KwElse = kw("else", "Else");
export const KwFor = kw("for", "For");
export const KwForkv = kw("forkv", "Forkv");
export const KwIn = kw("in", "In", [BinaryOp]);
export const KwAnd = kw("and", "And", [BinaryOp]);
export const KwOr = kw("or", "Or", [BinaryOp]);
export const KwNot = kw("not", "Not");
export const KwFunc = kw("func", "Func");
export const KwClass = kw("class", "Class");
export const KwInclude = kw("include", "Include");
export const KwImport = kw("import", "Import");
export const KwAs = kw("as", "As");
export const KwPanic = kw("panic", "Panic");
export const KwCollect = kw("collect", "Collect", [UndottedIdent]);
export const BoolLit = createToken({ name: "BoolLit", pattern: /true|false/, longer_alt: Identifier, label: "bool" });
export const KwBool = kw("bool", "KwBool");
export const KwStr = kw("str", "KwStr");
export const KwInt = kw("int", "KwInt");
export const KwFloat = kw("float", "KwFloat");
export const KwMap = kw("map", "KwMap", [UndottedIdent]);
export const KwStruct = kw("struct", "KwStruct");
export const KwVariant = kw("variant", "KwVariant");

const keywordsByLength: TokenType[] = [
  KwIf, KwElse, KwFor, KwForkv, KwIn, KwAnd, KwOr, KwNot, KwFunc, KwClass, KwInclude, KwImport, KwAs,
  KwPanic, KwCollect, BoolLit, KwBool, KwStr, KwInt, KwFloat, KwMap, KwStruct, KwVariant,
].sort((a, b) => keywordLength(b) - keywordLength(a));

function keywordLength(t: TokenType): number {
  const p = t.PATTERN;
  return p instanceof RegExp ? Math.max(...p.source.split("|").map((s) => s.length)) : 0;
}

function punct(name: string, text: string, categories?: TokenType[]): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return createToken({ name, pattern: new RegExp(escaped), label: `'${text}'`, ...(categories ? { categories } : {}) });
}

export const LCurly = punct("LCurly", "{");
export const RCurly = punct("RCurly", "}");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LBrack = punct("LBrack", "[");
export const RBrack = punct("RBrack", "]");
export const Comma = punct("Comma", ",");
export const Colon = punct("Colon", ":");
export const Semicolon = punct("Semicolon", ";");
export const Rocket = punct("Rocket", "=>");
export const EqEq = punct("EqEq", "==", [BinaryOp]);
export const Equals = punct("Equals", "=");
export const Elvis = punct("Elvis", "?:");
export const Except = punct("Except", "<|>", [BinaryOp]);
export const Lte = punct("Lte", "<=", [BinaryOp]);
export const Lt = punct("Lt", "<", [BinaryOp]);
export const Gte = punct("Gte", ">=", [BinaryOp]);
export const Gt = punct("Gt", ">", [BinaryOp]);
export const Neq = punct("Neq", "!=", [BinaryOp]);
export const Arrow = punct("Arrow", "->");
export const Dot = punct("Dot", ".");
export const Dollar = punct("Dollar", "$");
export const Plus = punct("Plus", "+", [BinaryOp]);
export const Minus = punct("Minus", "-", [BinaryOp]);
export const Star = punct("Star", "*", [BinaryOp]);
export const Slash = punct("Slash", "/", [BinaryOp]);

/** All token types in lexing priority order (categories last; they never match). */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  StringLit,
  UnterminatedString,
  FloatLit,
  IntLit,
  Arrow,
  ...keywordsByLength,
  Identifier,
  CapIdentifier,
  LCurly, RCurly, LParen, RParen, LBrack, RBrack,
  Comma, Colon, Semicolon,
  Rocket, EqEq, Equals, Elvis,
  Except, Lte, Lt, Gte, Gt, Neq,
  Dot, Dollar, Plus, Minus, Star, Slash,
  UndottedIdent,
  BinaryOp,
];

/**
 * A lexer for mcl. `validate` runs chevrotain's token-definition checks (~15 ms): the test suite
 * does (test/parser.test.ts); the process-wide `mclLexer` does not.
 */
export function buildLexer(validate: boolean): Lexer {
  return new Lexer(allTokens, {
    positionTracking: "onlyOffset",
    ensureOptimizations: true,
    skipValidations: !validate,
  });
}

/** Built once per process. */
export const mclLexer = buildLexer(false);

export interface LexError {
  /** Start offset (UTF-16 units) and exclusive end. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly code: string;
}

export interface LexResult {
  readonly tokens: IToken[];
  /** `#…` comment tokens, in order. */
  readonly comments: IToken[];
  readonly errors: LexError[];
}

/**
 * Tokenise `text`. Unknown characters (`\r` included, §1.1) become errors and are skipped;
 * an unterminated string becomes an error and is dropped together with the rest of the input.
 */
export function lex(text: string): LexResult {
  const r = mclLexer.tokenize(text);
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
