/**
 * The expression grammar (mcl-language.md §2, §2.1). Binary operators are read as flat
 * `operand (op operand)*` lists and rebuilt with precedence climbing (AstBuilder.expr), which keeps
 * the grammar LL(1).
 */
import type { IOrAlt, IToken } from "chevrotain";
import type { Callee, Expr, ExprLambda, ExprVar, MapEntry, Param, StructEntry } from "../ast.js";
import * as T from "../tokens.js";
import { type Items, real } from "../to-ast.js";
import { MISSING, type M } from "./base.js";
import { TypeRules } from "./types.js";

type Suffix = { readonly index: M<Expr>; readonly end: IToken } | { readonly field: IToken; readonly end: IToken };

/** Expression rules; the second grammar layer. */
export abstract class ExprRules extends TypeRules {
  // Cached OR alternatives (chevrotain perf guidance); declared here to keep the hidden class stable.
  private primaryAlts: IOrAlt<M<Expr>>[] | undefined;
  private suffixAlts: IOrAlt<Suffix>[] | undefined;

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
}
