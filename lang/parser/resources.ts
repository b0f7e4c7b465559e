/**
 * Resources and edges (mcl-language.md §2, statements): `kind "name" { field => value, … }` with
 * conditional `?:` fields, `Meta:x`, `Meta =>` and the edge properties; edge chains
 * `A -> B.field -> C`; `collect`.
 */
import type { IToken } from "chevrotain";
import type { EdgeHalf, Expr, ResItem, Span, Stmt, StmtRes } from "../ast.js";
import * as T from "../tokens.js";
import { type EdgeOrExpr, real } from "../to-ast.js";
import { MISSING, type M } from "./base.js";
import { ExprRules } from "./expressions.js";

/** Resource and edge rules; the third grammar layer. */
export abstract class ResourceRules extends ExprRules {
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
    if (metaProp !== undefined && !real(metaProp)) return MISSING;
    return this.b.capItem(cap, metaProp, e0, e1, p0, p1, this.b.span(start, this.prev()));
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
    return this.b.edgeHalf(caps, name, start, this.prev());
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
}
