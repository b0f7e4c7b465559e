/**
 * The mcl grammar (mcl-language.md §2) as a chevrotain EmbeddedActionsParser whose actions build
 * the AST directly (helpers in lang/to-ast.ts). Binary operators are read as flat
 * `unary (op unary)*` lists and rebuilt with precedence climbing (§2.1), which keeps the grammar
 * LL(1).
 *
 * Why embedded actions and not a CST + visitor: on a 10,000-line program, building the CST and
 * walking it cost about twice the recognition itself and most of the garbage (docs/benchmarks.md).
 *
 * One module-level instance (`mclParser`) is built per process; `parser.input = tokens` resets it.
 */
import { EmbeddedActionsParser, EOF, defaultParserErrorProvider, tokenMatcher } from "chevrotain";
import type { IOrAlt, IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import type {
  Callee, EdgeHalf, EdgeProp, Expr, ExprLambda, ExprVar, MapEntry, Param, ResItem, Span, Stmt, StmtRes, StructEntry, TypeAst,
  TypeField,
} from "./ast.js";
import * as T from "./lexer.js";
import { AstBuilder, type Items, Locator, real, STRAY_CLOSER_MESSAGE } from "./to-ast.js";

function label(t: TokenType): string {
  if (t === EOF) return "end of input";
  return t.LABEL ?? t.name;
}

function actualText(tok: IToken): string {
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
    let exp = expected === EOF ? "statement" : label(expected);
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
    return defaultParserErrorProvider.buildEarlyExitMessage(options);
  },
};

/** Value of a rule whose input was incomplete (see lang/to-ast.ts). */
const MISSING = null;
const missing = (): null => MISSING;

type M<T> = T | null;

/** An `edgeOrExpr`: a resource reference or an expression (edge properties and `Meta =>`). */
type EdgeOrExpr =
  | { readonly edge: M<EdgeHalf>; readonly expr?: undefined; readonly span: Span }
  | { readonly edge?: undefined; readonly expr: M<Expr>; readonly span: Span };

type Suffix = { readonly index: M<Expr>; readonly end: IToken } | { readonly field: IToken; readonly end: IToken };

/**
 * The grammar with embedded actions that build the AST directly (no CST): every rule returns its
 * AST piece, or null when its input was incomplete (recovery). Set `b` (the file's AstBuilder)
 * and `input` before calling `file(out)`.
 */
export class McParser extends EmbeddedActionsParser {
  /** The current file's AST builder (spans, diagnostics). */
  b: AstBuilder = new AstBuilder(new Locator("", ""));
  /** Top-level statements of the current chunk go here (kept even if the chunk ends in a recovery). */
  out: Stmt[] = [];

  // Cached OR alternatives (chevrotain perf guidance); declared here to keep the hidden class stable.
  private fileAlts: IOrAlt<unknown>[] | undefined;
  private progAlts: IOrAlt<M<Stmt> | undefined>[] | undefined;
  private primaryAlts: IOrAlt<M<Expr>>[] | undefined;
  private stmtAlts: IOrAlt<M<Stmt>>[] | undefined;
  private typeAlts: IOrAlt<M<TypeAst>>[] | undefined;
  private suffixAlts: IOrAlt<Suffix>[] | undefined;

  constructor(opts: { validate?: boolean } = {}) {
    super(T.allTokens, {
      recoveryEnabled: true,
      // The grammar is LL(1) (binary operators are flat lists, §2.1); the validating instance in
      // test/parser.test.ts fails if a decision ever needs more than one token.
      maxLookahead: 1,
      errorMessageProvider: mclErrorProvider,
      // The grammar checks (ambiguities, left recursion, …) cost ~50 ms per process; they run in
      // the test suite (test/parser.test.ts builds a validating instance), not in the CLI.
      skipValidations: opts.validate !== true,
    });
    this.performSelfAnalysis();
  }

  /** `this.RULE` whose recovery value is null (MISSING). */
  private rule<F extends (...args: any[]) => any>(name: string, impl: F) {
    return this.RULE(name, impl, { recoveryValueFunc: missing as () => ReturnType<F> });
  }

  /** Offset of the next token: the start of the rule being entered. */
  private here(): number {
    return this.LA(1).startOffset;
  }
  /** The last consumed token: the end of the rule being finished. */
  private prev(): IToken {
    return this.LA(0);
  }

  // ---- programs -------------------------------------------------------------------------

  /** Top level: `( stmt NL | NL )*`; stray closers are consumed (and reported) so later statements still parse. */
  file = this.rule("file", (): void => {
    this.MANY(() => {
      this.OR(
        (this.fileAlts ??= [
          { ALT: () => this.CONSUME(T.Newline) },
          {
            ALT: () => {
              const s = this.SUBRULE(this.stmt);
              if (s && !this.RECORDING_PHASE) this.out.push(s);
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.RCurly);
              if (!this.RECORDING_PHASE && !t.isInsertedInRecovery) this.b.err("E-PARSE-SYNTAX", STRAY_CLOSER_MESSAGE, this.b.tspan(t));
            },
          },
        ]),
      );
    });
  });

  /** Statements of a block, pushed into `out` (so a recovered block keeps the statements before the error). */
  prog = this.rule("prog", (out: Stmt[] = []): void => {
    this.MANY(() => {
      const s = this.OR(
        (this.progAlts ??= [
          {
            ALT: () => {
              this.CONSUME(T.Newline);
              return undefined;
            },
          },
          { ALT: () => this.SUBRULE(this.stmt) },
        ]),
      );
      if (s && !this.RECORDING_PHASE) out.push(s);
    });
  });

  block = this.rule("block", (): M<Stmt[]> => {
    const out: Stmt[] = [];
    this.CONSUME(T.LCurly);
    this.SUBRULE(this.prog, { ARGS: [out] });
    this.CONSUME(T.RCurly);
    return out;
  });

  stmt = this.rule("stmt", (): M<Stmt> => {
    const s = this.OR(
      (this.stmtAlts ??= [
        { ALT: () => this.SUBRULE(this.bindStmt) },
        { ALT: () => this.SUBRULE(this.resource) },
        { ALT: () => this.SUBRULE(this.edgeStmt) },
        { ALT: () => this.SUBRULE(this.ifStmt) },
        { ALT: () => this.SUBRULE(this.forStmt) },
        { ALT: () => this.SUBRULE(this.funcStmt) },
        { ALT: () => this.SUBRULE(this.classStmt) },
        { ALT: () => this.SUBRULE(this.includeStmt) },
        { ALT: () => this.SUBRULE(this.importStmt) },
        { ALT: () => this.SUBRULE(this.panicStmt) },
        { ALT: () => this.SUBRULE(this.collectStmt) },
      ]),
    );
    // The terminating newline belongs to the statement so that error recovery re-syncs per line.
    this.CONSUME(T.Newline);
    return s;
  });

  // ---- statements -----------------------------------------------------------------------

  /** `$x [type] = expr`; `==` is accepted here and reported as "additional equals in bind statement". */
  bindStmt = this.rule("bindStmt", (): M<Stmt> => {
    const start = this.here();
    this.CONSUME(T.Dollar);
    const name = this.CONSUME(T.UndottedIdent);
    const type = this.OPTION(() => this.SUBRULE(this.type));
    const eq = this.OR([{ ALT: () => this.CONSUME(T.Equals) }, { ALT: () => this.CONSUME(T.EqEq) }]);
    const value = this.SUBRULE(this.expr);
    if (this.RECORDING_PHASE || !real(name)) return MISSING;
    const b = this.b;
    if (eq.tokenType === T.EqEq && real(eq)) b.err("E-PARSE-BIND-EQUALS", "additional equals in bind statement", b.tspan(eq));
    if (type === null || value === null) return MISSING;
    return {
      kind: "bind", name: name.image, nameSpan: b.tspan(name), ...(type ? { type } : {}), value, span: b.span(start, this.prev()),
    };
  });

  resource = this.rule("resource", (): M<StmtRes> => {
    const start = this.here();
    const kn = this.SUBRULE(this.colonName);
    const name = this.SUBRULE(this.expr);
    this.CONSUME(T.LCurly);
    const items: ResItem[] = [];
    this.MANY(() => {
      const it = this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Newline);
            return undefined;
          },
        },
        { ALT: () => this.SUBRULE(this.resFieldItem) },
        { ALT: () => this.SUBRULE(this.resCapItem) },
      ]);
      if (it && !this.RECORDING_PHASE) items.push(it);
    });
    this.CONSUME(T.RCurly);
    if (this.RECORDING_PHASE || kn === null || name === null) return MISSING;
    return { kind: "res", collect: false, kindName: kn.name, kindSpan: kn.span, name, items, span: this.b.span(start, this.prev()) };
  });

  /** `field => [cond ?:] value,` */
  resFieldItem = this.rule("resFieldItem", (): M<ResItem> => {
    const start = this.here();
    const id = this.CONSUME(T.Identifier);
    this.CONSUME(T.Rocket);
    const e0 = this.SUBRULE(this.expr);
    const e1 = this.OPTION(() => {
      this.CONSUME(T.Elvis);
      return this.SUBRULE2(this.expr);
    });
    this.CONSUME(T.Comma);
    if (this.RECORDING_PHASE || !real(id) || e0 === null || e1 === null) return MISSING;
    const b = this.b;
    const span = b.span(start, this.prev());
    return e1
      ? { kind: "field", name: id.image, nameSpan: b.tspan(id), cond: e0, value: e1, span }
      : { kind: "field", name: id.image, nameSpan: b.tspan(id), value: e0, span };
  });

  /** `Meta:prop => …,`, `Meta => …,`, `Before => [cond ?:] Kind[n],` … (undefined: invalid, already reported) */
  resCapItem = this.rule("resCapItem", (): M<ResItem> | undefined => {
    const start = this.here();
    const cap = this.CONSUME(T.CapIdentifier);
    let metaProp: IToken | undefined;
    let e0: M<Expr> | undefined;
    let e1: M<Expr> | undefined;
    let p0: M<EdgeOrExpr> | undefined;
    let p1: M<EdgeOrExpr> | undefined;
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          metaProp = this.CONSUME(T.Identifier);
          this.CONSUME(T.Rocket);
          e0 = this.SUBRULE(this.expr);
          this.OPTION(() => {
            this.CONSUME(T.Elvis);
            e1 = this.SUBRULE2(this.expr);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.Rocket);
          p0 = this.SUBRULE(this.edgeOrExpr);
          this.OPTION2(() => {
            this.CONSUME2(T.Elvis);
            p1 = this.SUBRULE2(this.edgeOrExpr);
          });
        },
      },
    ]);
    this.CONSUME(T.Comma);
    if (this.RECORDING_PHASE || !real(cap)) return MISSING;
    const b = this.b;
    const span = b.span(start, this.prev());
    const prop = cap.image.toLowerCase();
    if (metaProp !== undefined) {
      if (!real(metaProp)) return MISSING;
      if (prop !== "meta") {
        b.err("E-PARSE-INVALID-PROPERTY", `invalid property: ${cap.image}:${metaProp.image} (only Meta takes a :param)`, b.tspan(cap));
        return undefined;
      }
      if (e0 == null || e1 === null) return MISSING;
      return e1
        ? { kind: "meta", prop: metaProp.image, propSpan: b.tspan(metaProp), cond: e0, value: e1, span }
        : { kind: "meta", prop: metaProp.image, propSpan: b.tspan(metaProp), value: e0, span };
    }
    if (p0 == null || p1 === null) return MISSING;
    if (EDGE_PROPS.has(prop)) {
      const edgeProp = prop as EdgeProp;
      const target = p1 ?? p0;
      if (target.edge === undefined) {
        b.err("E-PARSE-EDGE-PROPERTY", `invalid property: ${cap.image} expects a resource like Kind["name"]`, target.span);
        return undefined;
      }
      if (target.edge === null) return MISSING;
      if (p1) {
        if (p0.expr === undefined) {
          b.err("E-PARSE-EDGE-PROPERTY", `invalid property: the condition of ${cap.image} must be an expression`, p0.span);
          return undefined;
        }
        if (p0.expr === null) return MISSING;
        return { kind: "edge", prop: edgeProp, cond: p0.expr, target: target.edge, span };
      }
      return { kind: "edge", prop: edgeProp, target: target.edge, span };
    }
    if (prop === "meta") {
      for (const p of p1 ? [p0, p1] : [p0]) {
        if (p.expr === undefined) {
          b.err("E-PARSE-INVALID-PROPERTY", "invalid property: Meta expects a struct value, not a resource", p.span);
          return undefined;
        }
      }
      if (p0.expr == null || (p1 && p1.expr == null)) return MISSING;
      return p1?.expr ? { kind: "metastruct", cond: p0.expr, value: p1.expr, span } : { kind: "metastruct", value: p0.expr, span };
    }
    b.err("E-PARSE-INVALID-PROPERTY", `invalid property: ${cap.image}`, b.tspan(cap));
    return undefined;
  });

  edgeOrExpr = this.rule("edgeOrExpr", (): M<EdgeOrExpr> => {
    const start = this.here();
    let edge: M<EdgeHalf> | undefined;
    let expr: M<Expr> | undefined;
    this.OR([{ ALT: () => (edge = this.SUBRULE(this.edgeHalf)) }, { ALT: () => (expr = this.SUBRULE(this.expr)) }]);
    if (this.RECORDING_PHASE) return MISSING;
    const span = this.b.span(start, this.prev());
    return edge !== undefined ? { edge, span } : { expr: expr ?? MISSING, span };
  });

  edgeStmt = this.rule("edgeStmt", (): M<Stmt> => {
    const start = this.here();
    const halves: M<EdgeHalf>[] = [this.SUBRULE(this.edgeHalfField)];
    this.MANY(() => {
      this.CONSUME(T.Arrow);
      halves.push(this.SUBRULE2(this.edgeHalfField));
    });
    if (this.RECORDING_PHASE) return MISSING;
    for (const h of halves) if (h === null) return MISSING;
    return { kind: "edge", halves: halves as EdgeHalf[], span: this.b.span(start, this.prev()) };
  });

  edgeHalfField = this.rule("edgeHalfField", (): M<EdgeHalf> => {
    const start = this.here();
    const h = this.SUBRULE(this.edgeHalf);
    const f = this.OPTION(() => {
      this.CONSUME(T.Dot);
      return this.CONSUME(T.Identifier);
    });
    if (this.RECORDING_PHASE || h === null) return MISSING;
    if (f === undefined) return h;
    if (!real(f)) return MISSING;
    return { ...h, field: f.image, fieldSpan: this.b.tspan(f), span: this.b.span(start, this.prev()) };
  });

  /** `Kind:Sub[expr]` */
  edgeHalf = this.rule("edgeHalf", (): M<EdgeHalf> => {
    const start = this.here();
    const caps = [this.CONSUME(T.CapIdentifier)];
    this.MANY(() => {
      this.CONSUME(T.Colon);
      caps.push(this.CONSUME2(T.CapIdentifier));
    });
    this.CONSUME(T.LBrack);
    const name = this.SUBRULE(this.expr);
    this.CONSUME(T.RBrack);
    if (this.RECORDING_PHASE || name === null) return MISSING;
    const first = caps[0] as IToken;
    const last = caps[caps.length - 1] as IToken;
    return {
      kindName: caps.map((t) => t.image.toLowerCase()).join(":"),
      kindSpan: this.b.span(first.startOffset, last),
      name,
      span: this.b.span(start, this.prev()),
    };
  });

  /** `if c { … } [else { … }]` — `else` must follow `}` on the same line (NL is a token). */
  ifStmt = this.rule("ifStmt", (): M<Stmt> => {
    const start = this.here();
    this.CONSUME(T.KwIf);
    const cond = this.SUBRULE(this.expr);
    const then = this.SUBRULE(this.block);
    const els = this.OPTION(() => {
      this.CONSUME(T.KwElse);
      return this.SUBRULE2(this.block);
    });
    if (this.RECORDING_PHASE || cond === null || then === null || els === null) return MISSING;
    const span = this.b.span(start, this.prev());
    return els ? { kind: "if", cond, then, else: els, span } : { kind: "if", cond, then, span };
  });

  forStmt = this.rule("forStmt", (): M<Stmt> => {
    const start = this.here();
    const kw = this.OR([{ ALT: () => this.CONSUME(T.KwFor) }, { ALT: () => this.CONSUME(T.KwForkv) }]);
    this.CONSUME(T.Dollar);
    const k = this.CONSUME(T.UndottedIdent);
    this.CONSUME(T.Comma);
    this.CONSUME2(T.Dollar);
    const v = this.CONSUME2(T.UndottedIdent);
    this.CONSUME(T.KwIn);
    const expr = this.SUBRULE(this.expr);
    const body = this.SUBRULE(this.block);
    if (this.RECORDING_PHASE || !real(k) || !real(v) || expr === null || body === null) return MISSING;
    const b = this.b;
    return {
      kind: "for", kv: kw.tokenType === T.KwForkv, key: k.image, keySpan: b.tspan(k), val: v.image, valSpan: b.tspan(v), expr, body,
      span: b.span(start, this.prev()),
    };
  });

  funcStmt = this.rule("funcStmt", (): M<Stmt> => {
    const start = this.here();
    this.CONSUME(T.KwFunc);
    const id = this.CONSUME(T.Identifier);
    const ps = this.SUBRULE(this.params);
    const ret = this.OPTION(() => this.SUBRULE(this.type));
    const body = this.SUBRULE(this.exprBlock);
    if (this.RECORDING_PHASE || !real(id) || ps === null || ret === null || body === null) return MISSING;
    const b = this.b;
    return {
      kind: "func", name: id.image, nameSpan: b.tspan(id), params: ps.items as Param[], paramsMultiline: ps.multiline,
      ...(ret ? { ret } : {}), body, span: b.span(start, this.prev()),
    };
  });

  classStmt = this.rule("classStmt", (): M<Stmt> => {
    const start = this.here();
    this.CONSUME(T.KwClass);
    const cn = this.SUBRULE(this.colonName);
    const ps = this.OPTION(() => this.SUBRULE(this.params));
    const body = this.SUBRULE(this.block);
    if (this.RECORDING_PHASE || cn === null || ps === null || body === null) return MISSING;
    return {
      kind: "class", name: cn.name, nameSpan: cn.span, ...(ps ? { params: ps.items as Param[] } : {}),
      paramsMultiline: ps?.multiline ?? false, body, span: this.b.span(start, this.prev()),
    };
  });

  includeStmt = this.rule("includeStmt", (): M<Stmt> => {
    const start = this.here();
    this.CONSUME(T.KwInclude);
    const d = this.SUBRULE(this.dotted);
    const args = this.OPTION(() => this.SUBRULE(this.callArgs));
    const alias = this.OPTION2(() => {
      this.CONSUME(T.KwAs);
      return this.CONSUME(T.Identifier);
    });
    if (this.RECORDING_PHASE || d === null || args === null || (alias && !real(alias))) return MISSING;
    return {
      kind: "include", name: d.name, nameSpan: d.span, ...(args ? { args: args.items as Expr[] } : {}),
      argsMultiline: args?.multiline ?? false, ...(alias ? { alias: alias.image } : {}), span: this.b.span(start, this.prev()),
    };
  });

  importStmt = this.rule("importStmt", (): M<Stmt> => {
    const start = this.here();
    this.CONSUME(T.KwImport);
    const s = this.CONSUME(T.StringLit);
    const alias = this.OPTION(() => {
      this.CONSUME(T.KwAs);
      return this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.Star) }]);
    });
    if (this.RECORDING_PHASE || !real(s) || (alias && !real(alias))) return MISSING;
    return {
      kind: "import", path: s.image.slice(1, -1), pathSpan: this.b.tspan(s), ...(alias ? { alias: alias.image } : {}),
      span: this.b.span(start, this.prev()),
    };
  });

  panicStmt = this.rule("panicStmt", (): M<Stmt> => {
    const start = this.here();
    this.CONSUME(T.KwPanic);
    const args = this.SUBRULE(this.callArgs);
    if (this.RECORDING_PHASE || args === null) return MISSING;
    return { kind: "panic", args: args.items as Expr[], span: this.b.span(start, this.prev()) };
  });

  collectStmt = this.rule("collectStmt", (): M<Stmt> => {
    const start = this.here();
    this.CONSUME(T.KwCollect);
    const r = this.SUBRULE(this.resource);
    if (this.RECORDING_PHASE || r === null) return MISSING;
    return { ...r, collect: true, span: this.b.span(start, this.prev()) };
  });

  // ---- names ----------------------------------------------------------------------------

  colonName = this.rule("colonName", (): M<{ name: string; span: Span }> => {
    const start = this.here();
    let name = this.CONSUME(T.Identifier).image;
    this.MANY(() => {
      this.CONSUME(T.Colon);
      name += ":" + this.CONSUME2(T.Identifier).image;
    });
    if (this.RECORDING_PHASE) return MISSING;
    return { name, span: this.b.span(start, this.prev()) };
  });

  dotted = this.rule("dotted", (): M<{ name: string; span: Span }> => {
    const start = this.here();
    const ids = this.dottedInline();
    if (this.RECORDING_PHASE) return MISSING;
    const name = this.b.dotted(ids, this.dots);
    return name === null ? MISSING : { name, span: this.b.span(start, this.prev()) };
  });

  /** Number of dots consumed by the last `dottedInline`. */
  private dots = 0;

  /** `a.b.c` inlined into the calling rule; returns the identifier tokens (dots counted in `this.dots`). */
  private dottedInline(): IToken[] {
    const ids = [this.CONSUME5(T.UndottedIdent)];
    let dots = 0;
    this.MANY5(() => {
      this.CONSUME5(T.Dot);
      dots++;
      ids.push(this.CONSUME6(T.UndottedIdent));
    });
    this.dots = dots;
    return ids;
  }

  // ---- expressions ----------------------------------------------------------------------

  expr = this.rule("expr", (): M<Expr> => {
    const first = this.SUBRULE(this.operand);
    let operands: M<Expr>[] | undefined;
    let ops: IToken[] | undefined;
    this.MANY(() => {
      const op = this.CONSUME(T.BinaryOp);
      const u = this.SUBRULE2(this.operand);
      (ops ??= []).push(op);
      (operands ??= [first]).push(u);
    });
    if (this.RECORDING_PHASE) return MISSING;
    if (ops === undefined) return first;
    return this.b.expr(operands as M<Expr>[], ops);
  });

  /**
   * `not* primary suffix*` in one rule (prefix `not` binds looser than the postfix `[…]` and
   * `->f`, tighter than every binary operator, §2.1).
   */
  operand = this.rule("operand", (): M<Expr> => {
    let nots: IToken[] | undefined;
    this.MANY(() => (nots ??= []).push(this.CONSUME(T.KwNot)));
    let e = this.OR(
      (this.primaryAlts ??= [
        { ALT: () => this.lit(this.CONSUME(T.BoolLit)) },
        { ALT: () => this.lit(this.CONSUME(T.IntLit)) },
        { ALT: () => this.lit(this.CONSUME(T.FloatLit)) },
        { ALT: () => this.lit(this.CONSUME(T.StringLit)) },
        { ALT: () => this.SUBRULE(this.list) },
        { ALT: () => this.SUBRULE(this.map) },
        { ALT: () => this.SUBRULE(this.structLit) },
        { ALT: () => this.SUBRULE(this.varExpr) },
        { ALT: () => this.SUBRULE(this.nameCall) },
        { ALT: () => this.SUBRULE(this.lambda) },
        { ALT: () => this.SUBRULE(this.ifExpr) },
        { ALT: () => this.SUBRULE(this.paren) },
      ]),
    );
    this.MANY2(() => {
      const s = this.SUBRULE(this.suffix);
      if (this.RECORDING_PHASE || e === null) return;
      const span = this.b.span(e.span.start.offset, s.end);
      if ("field" in s) {
        e = real(s.field) ? { kind: "field", target: e, field: s.field.image, fieldSpan: this.b.tspan(s.field), span } : MISSING;
      } else {
        e = s.index === null ? MISSING : { kind: "index", target: e, index: s.index, span };
      }
    });
    if (this.RECORDING_PHASE || e === null) return MISSING;
    if (nots !== undefined) {
      for (let i = nots.length - 1; i >= 0; i--) {
        const t = nots[i] as IToken;
        e = { kind: "not", operand: e, span: this.b.loc.span(t.startOffset, e.span.end.offset) };
      }
    }
    return e;
  });

  private lit(t: IToken): M<Expr> {
    return this.RECORDING_PHASE ? MISSING : this.b.literal(t);
  }

  suffix = this.rule("suffix", (): Suffix => {
    return this.OR(
      (this.suffixAlts ??= [
        {
          ALT: () => {
            this.CONSUME(T.LBrack);
            const index = this.SUBRULE(this.expr);
            this.CONSUME(T.RBrack);
            return { index, end: this.prev() };
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Arrow);
            const field = this.CONSUME(T.Identifier);
            return { field, end: this.prev() };
          },
        },
      ]),
    );
  });

  /**
   * The shared comma rules (§2): `ε | item (',' item)*` on one line, or the multi-line form
   * `NL ( item ',' NL | NL )*` when the opener is immediately followed by a newline.
   */
  private sepItems<R>(item: (...args: any[]) => R): Items<R> {
    const items: R[] = [];
    const multiline = this.OR9([
      {
        ALT: () => {
          this.CONSUME7(T.Newline);
          this.MANY7(() => {
            this.OR8([
              { ALT: () => this.CONSUME8(T.Newline) },
              {
                ALT: () => {
                  items.push(this.SUBRULE7(item as any) as R);
                  this.CONSUME7(T.Comma);
                  this.CONSUME9(T.Newline);
                },
              },
            ]);
          });
          return true;
        },
      },
      {
        ALT: () => {
          this.OPTION7(() => {
            items.push(this.SUBRULE8(item as any) as R);
            this.MANY8(() => {
              this.CONSUME8(T.Comma);
              items.push(this.SUBRULE9(item as any) as R);
            });
          });
          return false;
        },
      },
    ]);
    return { items, multiline };
  }

  /** Items of a comma list, or null when one of them is incomplete. */
  private complete<R>(it: Items<M<R>>): M<Items<R>> {
    for (const x of it.items) if (x === null) return MISSING;
    return it as Items<R>;
  }

  list = this.rule("list", (): M<Expr> => {
    const start = this.here();
    this.CONSUME(T.LBrack);
    const it = this.sepItems(this.expr);
    this.CONSUME(T.RBrack);
    if (this.RECORDING_PHASE) return MISSING;
    const c = this.complete(it);
    return c && { kind: "list", items: c.items, multiline: c.multiline, span: this.b.span(start, this.prev()) };
  });

  map = this.rule("map", (): M<Expr> => {
    const start = this.here();
    this.CONSUME(T.LCurly);
    const it = this.sepItems(this.mapEntry);
    this.CONSUME(T.RCurly);
    if (this.RECORDING_PHASE) return MISSING;
    const c = this.complete(it);
    return c && { kind: "map", entries: c.items, multiline: c.multiline, span: this.b.span(start, this.prev()) };
  });

  mapEntry = this.rule("mapEntry", (): M<MapEntry> => {
    const start = this.here();
    const key = this.SUBRULE(this.expr);
    this.CONSUME(T.Rocket);
    const value = this.SUBRULE2(this.expr);
    if (this.RECORDING_PHASE || key === null || value === null) return MISSING;
    return { key, value, span: this.b.span(start, this.prev()) };
  });

  structLit = this.rule("structLit", (): M<Expr> => {
    const start = this.here();
    this.CONSUME(T.KwStruct);
    this.CONSUME(T.LCurly);
    const it = this.sepItems(this.structEntry);
    this.CONSUME(T.RCurly);
    if (this.RECORDING_PHASE) return MISSING;
    const c = this.complete(it);
    return c && { kind: "struct", fields: c.items, multiline: c.multiline, span: this.b.span(start, this.prev()) };
  });

  structEntry = this.rule("structEntry", (): M<StructEntry> => {
    const start = this.here();
    const id = this.CONSUME(T.Identifier);
    this.CONSUME(T.Rocket);
    const value = this.SUBRULE(this.expr);
    if (this.RECORDING_PHASE || !real(id) || value === null) return MISSING;
    return { name: id.image, value, span: this.b.span(start, this.prev()) };
  });

  callArgs = this.rule("callArgs", (): M<Items<Expr>> => {
    this.CONSUME(T.LParen);
    const it = this.sepItems(this.expr);
    this.CONSUME(T.RParen);
    return this.RECORDING_PHASE ? MISSING : this.complete(it);
  });

  params = this.rule("params", (): M<Items<Param>> => {
    this.CONSUME(T.LParen);
    const it = this.sepItems(this.param);
    this.CONSUME(T.RParen);
    return this.RECORDING_PHASE ? MISSING : this.complete(it);
  });

  param = this.rule("param", (): M<Param> => {
    const start = this.here();
    this.CONSUME(T.Dollar);
    const id = this.CONSUME(T.UndottedIdent);
    const type = this.OPTION(() => this.SUBRULE(this.type));
    if (this.RECORDING_PHASE || !real(id) || type === null) return MISSING;
    return { name: id.image, ...(type ? { type } : {}), span: this.b.span(start, this.prev()) };
  });

  /** `$name[(args)]` */
  varExpr = this.rule("varExpr", (): M<Expr> => {
    const start = this.here();
    this.CONSUME(T.Dollar);
    const ids = this.dottedInline();
    const dots = this.dots;
    const args = this.OPTION(() => this.SUBRULE(this.callArgs));
    if (this.RECORDING_PHASE) return MISSING;
    const name = this.b.dotted(ids, dots);
    if (name === null) return MISSING;
    const lastId = ids[ids.length - 1] as IToken;
    const v: ExprVar = { kind: "var", name, span: this.b.loc.span(start, lastId.startOffset + lastId.image.length) };
    if (args === undefined) return v;
    if (args === null) return MISSING;
    return { kind: "call", callee: v, args: args.items, multiline: args.multiline, span: this.b.span(start, this.prev()) };
  });

  /** `name(args)`, `pkg.name(args)` */
  nameCall = this.rule("nameCall", (): M<Expr> => {
    const start = this.here();
    const ids = this.dottedInline();
    const dots = this.dots;
    const args = this.SUBRULE(this.callArgs);
    if (this.RECORDING_PHASE) return MISSING;
    const name = this.b.dotted(ids, dots);
    if (name === null || args === null) return MISSING;
    const firstId = ids[0] as IToken;
    const lastId = ids[ids.length - 1] as IToken;
    const callee: Callee = { kind: "name", name, span: this.b.loc.span(firstId.startOffset, lastId.startOffset + lastId.image.length) };
    return { kind: "call", callee, args: args.items, multiline: args.multiline, span: this.b.span(start, this.prev()) };
  });

  /** `func(params) [type] { expr }` with an optional immediate call `(args)`. */
  lambda = this.rule("lambda", (): M<Expr> => {
    const start = this.here();
    this.CONSUME(T.KwFunc);
    const ps = this.SUBRULE(this.params);
    const ret = this.OPTION(() => this.SUBRULE(this.type));
    const body = this.SUBRULE(this.exprBlock);
    const bodyEnd = this.prev();
    const args = this.OPTION2(() => this.SUBRULE(this.callArgs));
    if (this.RECORDING_PHASE || ps === null || ret === null || body === null) return MISSING;
    const lam: ExprLambda = {
      kind: "lambda", params: ps.items, paramsMultiline: ps.multiline, ...(ret ? { ret } : {}), body, span: this.b.span(start, bodyEnd),
    };
    if (args === undefined) return lam;
    if (args === null) return MISSING;
    return { kind: "call", callee: lam, args: args.items, multiline: args.multiline, span: this.b.span(start, this.prev()) };
  });

  /** `{ NL* expr NL* }` — function bodies and if-expression branches. */
  exprBlock = this.rule("exprBlock", (): M<Expr> => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.CONSUME(T.Newline));
    const e = this.SUBRULE(this.expr);
    this.MANY2(() => this.CONSUME2(T.Newline));
    this.CONSUME(T.RCurly);
    return e;
  });

  ifExpr = this.rule("ifExpr", (): M<Expr> => {
    const start = this.here();
    this.CONSUME(T.KwIf);
    const cond = this.SUBRULE(this.expr);
    const then = this.SUBRULE(this.exprBlock);
    this.CONSUME(T.KwElse);
    const els = this.SUBRULE2(this.exprBlock);
    if (this.RECORDING_PHASE || cond === null || then === null || els === null) return MISSING;
    return { kind: "if", cond, then, else: els, span: this.b.span(start, this.prev()) };
  });

  paren = this.rule("paren", (): M<Expr> => {
    const start = this.here();
    this.CONSUME(T.LParen);
    const inner = this.SUBRULE(this.expr);
    this.CONSUME(T.RParen);
    if (this.RECORDING_PHASE || inner === null) return MISSING;
    return { kind: "paren", inner, span: this.b.span(start, this.prev()) };
  });

  // ---- types ----------------------------------------------------------------------------

  type = this.rule("type", (): M<TypeAst> => {
    return this.OR(
      (this.typeAlts ??= [
        { ALT: () => this.primType(this.CONSUME(T.KwBool)) },
        { ALT: () => this.primType(this.CONSUME(T.KwStr)) },
        { ALT: () => this.primType(this.CONSUME(T.KwInt)) },
        { ALT: () => this.primType(this.CONSUME(T.KwFloat)) },
        { ALT: () => this.primType(this.CONSUME(T.KwVariant)) },
        { ALT: () => this.SUBRULE(this.listType) },
        { ALT: () => this.SUBRULE(this.mapType) },
        { ALT: () => this.SUBRULE(this.structType) },
        { ALT: () => this.SUBRULE(this.funcType) },
      ]),
    );
  });

  private primType(t: IToken): M<TypeAst> {
    if (this.RECORDING_PHASE || !real(t)) return MISSING;
    const name = t.image;
    if (name === "bool" || name === "str" || name === "int" || name === "float" || name === "variant") {
      return { kind: "tprim", name, span: this.b.tspan(t) };
    }
    return MISSING;
  }

  listType = this.rule("listType", (): M<TypeAst> => {
    const start = this.here();
    this.CONSUME(T.LBrack);
    this.CONSUME(T.RBrack);
    const elem = this.SUBRULE(this.type);
    if (this.RECORDING_PHASE || elem === null) return MISSING;
    return { kind: "tlist", elem, span: this.b.span(start, this.prev()) };
  });

  mapType = this.rule("mapType", (): M<TypeAst> => {
    const start = this.here();
    this.CONSUME(T.KwMap);
    this.CONSUME(T.LCurly);
    const key = this.SUBRULE(this.type);
    this.CONSUME(T.Colon);
    const val = this.SUBRULE2(this.type);
    this.CONSUME(T.RCurly);
    if (this.RECORDING_PHASE || key === null || val === null) return MISSING;
    return { kind: "tmap", key, val, span: this.b.span(start, this.prev()) };
  });

  structType = this.rule("structType", (): M<TypeAst> => {
    const start = this.here();
    this.CONSUME(T.KwStruct);
    this.CONSUME(T.LCurly);
    const fields: M<TypeField>[] = [];
    this.OPTION(() => {
      fields.push(this.SUBRULE(this.structTypeField));
      this.MANY(() => {
        this.CONSUME(T.Semicolon);
        fields.push(this.SUBRULE2(this.structTypeField));
      });
    });
    this.CONSUME(T.RCurly);
    if (this.RECORDING_PHASE) return MISSING;
    for (const f of fields) if (f === null) return MISSING;
    return { kind: "tstruct", fields: fields as TypeField[], span: this.b.span(start, this.prev()) };
  });

  structTypeField = this.rule("structTypeField", (): M<TypeField> => {
    const start = this.here();
    const id = this.CONSUME(T.Identifier);
    const type = this.SUBRULE(this.type);
    if (this.RECORDING_PHASE || !real(id) || type === null) return MISSING;
    return { name: id.image, type, span: this.b.span(start, this.prev()) };
  });

  funcType = this.rule("funcType", (): M<TypeAst> => {
    const start = this.here();
    this.CONSUME(T.KwFunc);
    this.CONSUME(T.LParen);
    const it = this.sepItems(this.funcTypeArg);
    this.CONSUME(T.RParen);
    const ret = this.SUBRULE(this.type);
    if (this.RECORDING_PHASE || ret === null) return MISSING;
    const c = this.complete(it);
    return c && { kind: "tfunc", params: c.items, ret, multiline: c.multiline, span: this.b.span(start, this.prev()) };
  });

  funcTypeArg = this.rule("funcTypeArg", (): M<FuncTypeArg> => {
    const start = this.here();
    const id = this.OPTION(() => {
      this.CONSUME(T.Dollar);
      return this.CONSUME(T.UndottedIdent);
    });
    const type = this.SUBRULE(this.type);
    if (this.RECORDING_PHASE || type === null) return MISSING;
    return { ...(id && real(id) ? { name: id.image } : {}), type, span: this.b.span(start, this.prev()) };
  });
}

type FuncTypeArg = { readonly name?: string; readonly type: TypeAst; readonly span: Span };

const EDGE_PROPS: ReadonlySet<string> = new Set(["before", "depend", "notify", "listen"]);

/** The process-wide parser instance (construction runs the grammar analysis). */
export const mclParser = new McParser();
