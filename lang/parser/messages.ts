/**
 * Syntax error messages of the recovering parser, in the style of mgmt's
 * `syntax error: unexpected ',', expecting ']'` (mcl-language.md §12, parse rows).
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { chevrotain } from "../chevrotain-lazy.js";
import * as T from "../tokens.js";

// The messages are only built while the recovering parser runs, so chevrotain is loaded by then.

function label(t: TokenType): string {
  if (t === chevrotain().EOF) return "end of input";
  return t.LABEL ?? t.name;
}

function actualText(tok: IToken): string {
  const { EOF, tokenMatcher } = chevrotain();
  if (tokenMatcher(tok, EOF)) return "end of input";
  const tt = tok.tokenType;
  if (tt === T.Newline) return "newline";
  if (tt === T.StringLit) return "string";
  if (tt === T.IntLit || tt === T.FloatLit || tt === T.Identifier || tt === T.CapIdentifier) {
    return `${label(tt)} '${tok.image}'`;
  }
  return label(tt);
}

function joinAlts(xs: string[]): string {
  const u = [...new Set(xs)];
  if (u.length <= 1) return u[0] ?? "something else";
  return `${u.slice(0, -1).join(", ")} or ${u[u.length - 1]}`;
}

const EXPR_RULES = new Set(["expr", "operand", "edgeOrExpr"]);
const CLOSERS = new Set<TokenType>([T.RBrack, T.RCurly, T.RParen]);

/** Messages in the style `syntax error: unexpected ',', expecting ']'`. */
export const mclErrorProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    let exp = expected === chevrotain().EOF ? "statement" : label(expected);
    if (expected === T.Comma && (ruleName === "resFieldItem" || ruleName === "resCapItem")) {
      exp = "trailing comma ',' (every resource item ends with a comma)";
    }
    let msg = `syntax error: unexpected ${actualText(actual)}, expecting ${exp}`;
    if (expected === T.Newline && previous.tokenType === T.Comma) {
      msg += " (in a multi-line list every element is followed by ',' and a newline)";
    }
    return msg;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `syntax error: unexpected ${actualText(firstRedundant)}, expecting statement`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    const first = actual[0];
    const act = first ? actualText(first) : "end of input";
    let exp: string;
    if (EXPR_RULES.has(ruleName)) exp = "expression";
    else if (ruleName === "type") exp = "type";
    else if (ruleName === "stmt") exp = "statement";
    else {
      const labels: string[] = [];
      for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) labels.push(label(path[0]));
      exp = joinAlts(labels);
    }
    let msg = `syntax error: unexpected ${act}, expecting ${exp}`;
    if (first && CLOSERS.has(first.tokenType) && previous.tokenType === T.Comma) {
      msg += " (a trailing comma is only allowed in the multi-line form)";
    }
    return msg;
  },
  buildEarlyExitMessage(options) {
    return chevrotain().defaultParserErrorProvider.buildEarlyExitMessage(options);
  },
};
