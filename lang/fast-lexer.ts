/**
 * The hand-written mcl lexer: one pass over the characters, deciding each token by its first one or
 * two characters. For every input it accepts it returns exactly the tokens and comments of
 * chevrotain's lexer in lang/lexer.ts (same token types, images and offsets); on anything that
 * lexer would report (an unknown character, `\r` outside strings and comments, an unterminated
 * string) it returns undefined, and `lex()` runs chevrotain's lexer, which reports it.
 * test/property/lexers-agree.test.ts checks the agreement.
 *
 * Why: a valid program is then lexed and parsed (lang/fast-parser/) without loading chevrotain at
 * all; loading it and building its lexer were about 40 ms of `steward check` (docs/benchmarks.md).
 *
 * The rules are mcl-language.md §1 as lang/tokens.ts orders them for chevrotain's first match:
 * a word is a keyword only when spelled exactly so (`longer_alt: Identifier`), a `-` followed by a
 * digit starts a number (`5 -3` is two ints), a float needs digits on both sides of its `.`.
 */
import * as T from "./tokens.js";
import type { LexResult, Token, TokenType } from "./tokens.js";

const enum C {
  Tab = 9, Newline = 10, Space = 32, Bang = 33, Quote = 34, Hash = 35, Dollar = 36, LParen = 40, RParen = 41,
  Star = 42, Plus = 43, Comma = 44, Minus = 45, Dot = 46, Slash = 47, D0 = 48, D9 = 57, Colon = 58, Semicolon = 59,
  Lt = 60, Eq = 61, Gt = 62, Question = 63, A = 65, Z = 90, LBrack = 91, Backslash = 92, RBrack = 93,
  Underscore = 95, a = 97, z = 122, LCurly = 123, Pipe = 124, RCurly = 125,
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

// The runs inside a token are scanned by sticky regular expressions (`test` sets `lastIndex` and
// allocates nothing): V8 runs them as native code from the first call, while a character loop
// would run in the interpreter for most of a cold `steward check` (a one-shot process).
/** `[a-z0-9_]*`: the rest of an identifier after its first character (§1.2). */
const IDENT_TAIL = /[a-z0-9_]*/y;
const DIGITS = /[0-9]*/y;
const BLANKS = /[ \t]*/y;
/** The rest of a string literal after its opening quote: `(\\.|[^"\\])*"`. */
const STRING_TAIL = /(?:[^"\\]|\\[^])*"/y;

/** End of the run of `re` starting at `i`. */
function skip(re: RegExp, text: string, i: number): number {
  re.lastIndex = i;
  return re.test(text) ? re.lastIndex : i;
}

/** The longest keyword (`include`, `collect`, `variant`): longer words are identifiers. */
const MAX_KEYWORD = 7;

/** Tokens and comments of `text`, or undefined when chevrotain's lexer would report an error. */
export function lexFast(text: string): LexResult | undefined {
  const tokens: Token[] = [];
  const comments: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    let tt: TokenType;
    let image: string;
    if (c === C.Space || c === C.Tab) {
      i = skip(BLANKS, text, i + 1);
      continue;
    } else if (c === C.Newline) {
      tt = T.Newline;
      image = "\n";
      i++;
    } else if (c >= C.a && c <= C.z) {
      // IDENTIFIER `[a-z]([a-z0-9_]*[a-z0-9])?`, or a keyword spelled exactly so.
      i = skip(IDENT_TAIL, text, i + 1);
      // A trailing `_` is not part of the word, and `_` starts no token: chevrotain reports it.
      if (text.charCodeAt(i - 1) === C.Underscore) return undefined;
      image = text.slice(start, i);
      tt = (i - start <= MAX_KEYWORD ? T.KEYWORDS.get(image) : undefined) ?? T.Identifier;
    } else if (c >= C.A && c <= C.Z) {
      // CAPITALIZED_IDENTIFIER `[A-Z]([a-z0-9_]*[a-z0-9])?`: only the first letter is uppercase.
      i = skip(IDENT_TAIL, text, i + 1);
      if (text.charCodeAt(i - 1) === C.Underscore) return undefined;
      image = text.slice(start, i);
      tt = T.CapIdentifier;
    } else if (isDigit(c) || (c === C.Minus && isDigit(text.charCodeAt(i + 1)))) {
      // `-?[0-9]+` and `-?[0-9]+\.[0-9]+`: the minus sign is part of the literal (§1.3).
      i = skip(DIGITS, text, i + 1);
      tt = T.IntLit;
      if (text.charCodeAt(i) === C.Dot && isDigit(text.charCodeAt(i + 1))) {
        i = skip(DIGITS, text, i + 2);
        tt = T.FloatLit;
      }
      image = text.slice(start, i);
    } else if (c === C.Quote) {
      // `"(\\.|[^"\\])*"`: raw newlines allowed; escapes are decoded later (lang/strings.ts).
      const end = skip(STRING_TAIL, text, i + 1);
      if (end === i + 1) return undefined; // unterminated: chevrotain reports it
      i = end;
      image = text.slice(start, i);
      tt = T.StringLit;
    } else if (c === C.Hash) {
      // `#` to the end of the line; the newline stays a token (§1.1).
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? n : nl;
      image = text.slice(start, i);
      comments.push({ image, startOffset: start, endOffset: i - 1, tokenType: T.Comment });
      continue;
    } else {
      const p = punctuation(c, text.charCodeAt(i + 1), text, i);
      if (p === undefined) return undefined;
      tt = p;
      image = PUNCT_IMAGE.get(p) as string;
      i += image.length;
    }
    // One object shape for every token (one V8 hidden class); `endOffset` is inclusive.
    tokens.push({ image, startOffset: start, endOffset: i - 1, tokenType: tt });
  }
  return { tokens, comments, errors: [] };
}

/** The punctuation token starting with `c` (then `next`) at `i`, longest first (§1.2). */
function punctuation(c: number, next: number, text: string, i: number): TokenType | undefined {
  switch (c) {
    case C.LCurly: return T.LCurly;
    case C.RCurly: return T.RCurly;
    case C.LParen: return T.LParen;
    case C.RParen: return T.RParen;
    case C.LBrack: return T.LBrack;
    case C.RBrack: return T.RBrack;
    case C.Comma: return T.Comma;
    case C.Colon: return T.Colon;
    case C.Semicolon: return T.Semicolon;
    case C.Eq: return next === C.Gt ? T.Rocket : next === C.Eq ? T.EqEq : T.Equals;
    case C.Question: return next === C.Colon ? T.Elvis : undefined;
    case C.Lt:
      if (next === C.Pipe && text.charCodeAt(i + 2) === C.Gt) return T.Except;
      return next === C.Eq ? T.Lte : T.Lt;
    case C.Gt: return next === C.Eq ? T.Gte : T.Gt;
    case C.Bang: return next === C.Eq ? T.Neq : undefined;
    case C.Minus: return next === C.Gt ? T.Arrow : T.Minus;
    case C.Dot: return T.Dot;
    case C.Dollar: return T.Dollar;
    case C.Plus: return T.Plus;
    case C.Star: return T.Star;
    case C.Slash: return T.Slash;
    default: return undefined;
  }
}

/** The text of each punctuation token: its label without the quotes (`'=>'` → `=>`). */
const PUNCT_IMAGE: ReadonlyMap<TokenType, string> = new Map(
  [
    T.LCurly, T.RCurly, T.LParen, T.RParen, T.LBrack, T.RBrack, T.Comma, T.Colon, T.Semicolon, T.Rocket, T.EqEq, T.Equals,
    T.Elvis, T.Except, T.Lte, T.Lt, T.Gte, T.Gt, T.Neq, T.Arrow, T.Dot, T.Dollar, T.Plus, T.Minus, T.Star, T.Slash,
  ].map((t) => [t, (t.LABEL as string).slice(1, -1)]),
);
