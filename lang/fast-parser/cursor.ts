/**
 * The token cursor of the fast parser (lang/fast-parser/): one pass over the lexer's tokens with
 * one token of lookahead, and no recovery. Any mismatch throws `BAIL`; lang/parse.ts then parses
 * the file again with the recovering chevrotain parser, which reports the error.
 */
import type { Token, TokenType } from "../tokens.js";
import * as T from "../tokens.js";
import type { AstBuilder } from "../to-ast.js";

/** Thrown on the first token the grammar does not accept (a plain object: no stack is captured). */
export const BAIL: { readonly bail: true } = Object.freeze({ bail: true });

/** Token types in chevrotain category `cat` (the parser's CONSUME(cat) accepts each of them). */
function inCategory(cat: TokenType): ReadonlySet<TokenType> {
  return new Set(T.allTokens.filter((t) => t !== cat && t.CATEGORIES?.includes(cat)));
}

/** The grammar's undotted_identifier: IDENTIFIER, `map`, `collect` (§1.2). */
export const UNDOTTED = inCategory(T.UndottedIdent);
/** Every infix operator (§2.1). */
export const BINARY = inCategory(T.BinaryOp);

/** First tokens of `type` (lang/parser/types.ts). */
export const TYPE_FIRST: ReadonlySet<TokenType> = new Set([
  T.KwBool, T.KwStr, T.KwInt, T.KwFloat, T.KwVariant, T.LBrack, T.KwMap, T.KwStruct, T.KwFunc,
]);

/** First tokens of `expr` (lang/parser/expressions.ts: `not* primary suffix*`). */
export const EXPR_FIRST: ReadonlySet<TokenType> = new Set([
  T.KwNot, T.BoolLit, T.IntLit, T.FloatLit, T.StringLit, T.LBrack, T.LCurly, T.KwStruct, T.Dollar, ...UNDOTTED, T.KwFunc,
  T.KwIf, T.LParen,
]);

export class Cursor {
  /** Index of the next token. */
  i = 0;
  constructor(
    readonly toks: readonly Token[],
    /** The file's AST builder (spans, literals, operator precedence), shared with the recovering parser. */
    readonly b: AstBuilder,
  ) {}

  /** Type of the next token; undefined at end of input. */
  la(): TokenType | undefined {
    return this.toks[this.i]?.tokenType;
  }
  /** Offset of the next token: the start of the rule being entered. */
  here(): number {
    const t = this.toks[this.i];
    if (t === undefined) throw BAIL;
    return t.startOffset;
  }
  /** The last consumed token: the end of the rule being finished. */
  prev(): Token {
    return this.toks[this.i - 1] as Token;
  }
  /** Consume the next token, which must be of type `tt`. */
  take(tt: TokenType): Token {
    const t = this.toks[this.i];
    if (t === undefined || t.tokenType !== tt) throw BAIL;
    this.i++;
    return t;
  }
  /** Consume the next token, whatever it is (the caller has looked at it). */
  next(): Token {
    return this.toks[this.i++] as Token;
  }
  /** Consume the next token if it is of type `tt`. */
  skip(tt: TokenType): boolean {
    if (this.toks[this.i]?.tokenType !== tt) return false;
    this.i++;
    return true;
  }
  /** Consume an undotted identifier. */
  undotted(): Token {
    const t = this.toks[this.i];
    if (t === undefined || !UNDOTTED.has(t.tokenType)) throw BAIL;
    this.i++;
    return t;
  }
}
