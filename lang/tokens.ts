/**
 * mcl token types (mcl-language.md §1) as plain data, shared by the hand lexer
 * (lang/fast-lexer.ts), the fast parser (lang/fast-parser/) and chevrotain's lexer and parser
 * (lang/lexer.ts, lang/parser.ts), which compare token types by identity.
 *
 * Why no `createToken` here: this module must not load chevrotain, so that a valid program is
 * lexed and parsed without it. The objects have exactly the fields chevrotain's `createToken` sets
 * (name, PATTERN, LABEL, GROUP, LONGER_ALT, LINE_BREAKS, CATEGORIES); chevrotain adds its own
 * (`tokenTypeIdx`, `categoryMatches`, …) to these same objects when its lexer or parser is built
 * (`augmentTokenTypes`). The categories have no PATTERN (chevrotain's `Lexer.NA` is an object of
 * chevrotain's): they are never lexed, and lang/lexer.ts leaves them out of chevrotain's lexer.
 *
 * mgmt's nex scanner is longest-match; chevrotain is first-match. The order of `allTokens`
 * reproduces longest-match for every case that matters (lang/fast-lexer.ts decides the same cases
 * by looking at the next characters):
 *   - floats before ints, ints (with their leading `-`) before `->` and `-`
 *     (so `5 -3` is INTEGER INTEGER, as in mgmt);
 *   - keywords sorted longest first, each with `longer_alt: Identifier`
 *     (`in`/`int`/`include`, `for`/`forkv`, `format` is an identifier);
 *   - `=>` / `==` before `=`, `<|>` / `<=` before `<`, `>=` before `>`.
 * Strings are one token (`"(\\.|[^"\\])*"`), like mgmt; escapes and `${}` are decoded by
 * lang/strings.ts. Comments go to the `comments` group, not to the parser.
 */
import type { TokenType } from "chevrotain";

export type { TokenType } from "chevrotain";

/**
 * A token as both parsers read it: the hand lexer's tokens and chevrotain's `IToken`s fit.
 * Offsets are UTF-16 units; `endOffset` is inclusive (chevrotain's convention).
 */
export interface Token {
  readonly image: string;
  readonly startOffset: number;
  endOffset?: number;
  readonly tokenType: TokenType;
  /** Set by chevrotain's single-token recovery on tokens it made up. */
  readonly isInsertedInRecovery?: boolean;
}

export interface LexError {
  /** Start offset (UTF-16 units) and exclusive end. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly code: string;
}

export interface LexResult {
  readonly tokens: Token[];
  /** `#…` comment tokens, in order. */
  readonly comments: Token[];
  readonly errors: LexError[];
}

interface TokenSpec {
  readonly pattern?: RegExp;
  readonly label?: string;
  readonly group?: string;
  readonly longerAlt?: TokenType;
  readonly lineBreaks?: boolean;
  readonly categories?: TokenType[];
}

/** A token type shaped like chevrotain's `createToken` result (before chevrotain augments it). */
function token(name: string, spec: TokenSpec): TokenType {
  const t: TokenType = { name };
  if (spec.label !== undefined) t.LABEL = spec.label;
  if (spec.pattern) t.PATTERN = spec.pattern;
  if (spec.categories) t.CATEGORIES = spec.categories;
  if (spec.group !== undefined) t.GROUP = spec.group;
  if (spec.longerAlt) t.LONGER_ALT = spec.longerAlt;
  if (spec.lineBreaks) t.LINE_BREAKS = true;
  return t;
}

// Categories (never lexed directly).
/** IDENTIFIER | `map` | `collect` — the grammar's undotted_identifier (§1.2). */
export const UndottedIdent = token("UndottedIdent", { label: "identifier" });
/** Every infix operator; the parser reads flat operand/operator lists (§2.1). */
export const BinaryOp = token("BinaryOp", { label: "operator" });

export const Comment = token("Comment", { pattern: /#[^\n]*/, group: "comments" });
export const Newline = token("Newline", { pattern: /\n/, lineBreaks: true, label: "newline" });
export const StringLit = token("StringLit", { pattern: /"(?:[^"\\]|\\[^])*"/, lineBreaks: true, label: "string" });
/** Only matches when StringLit failed: a `"` without a closing quote runs to end of input. */
export const UnterminatedString = token("UnterminatedString", { pattern: /"[^]*/, lineBreaks: true, label: "unterminated string" });
export const FloatLit = token("FloatLit", { pattern: /-?[0-9]+\.[0-9]+/, label: "float" });
export const IntLit = token("IntLit", { pattern: /-?[0-9]+/, label: "integer" });

export const Identifier = token("Identifier", {
  pattern: /[a-z](?:[a-z0-9_]*[a-z0-9])?/,
  categories: [UndottedIdent],
  label: "identifier",
});
export const CapIdentifier = token("CapIdentifier", { pattern: /[A-Z](?:[a-z0-9_]*[a-z0-9])?/, label: "capitalized identifier" });

/** Keyword spelling → token type, for the hand lexer (a word is a keyword iff it is spelled exactly so). */
export const KEYWORDS = new Map<string, TokenType>();

function kw(word: string, name: string, categories?: TokenType[]): TokenType {
  const t = token(name, { pattern: new RegExp(word), longerAlt: Identifier, label: `'${word}'`, ...(categories ? { categories } : {}) });
  KEYWORDS.set(word, t);
  return t;
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
export const BoolLit = token("BoolLit", { pattern: /true|false/, longerAlt: Identifier, label: "bool" });
KEYWORDS.set("true", BoolLit);
KEYWORDS.set("false", BoolLit);
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
  return token(name, { pattern: new RegExp(escaped), label: `'${text}'`, ...(categories ? { categories } : {}) });
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

/**
 * Every token type the parsers know, in chevrotain's lexing priority order (categories last; they
 * never match). Whitespace is not here: it is skipped, and only chevrotain's lexer has a token type
 * for it (lang/lexer.ts).
 */
export const allTokens: TokenType[] = [
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
