/**
 * Programs and statements (mcl-language.md §2): the top level, blocks, and every statement but
 * resources and edges (lang/parser/resources.ts). A statement owns its terminating newline, so that
 * error recovery re-syncs per line.
 */
import type { IOrAlt } from "chevrotain";
import type { Expr, Param, Span, Stmt } from "../ast.js";
import * as T from "../tokens.js";
import { real, STRAY_CLOSER_MESSAGE } from "../to-ast.js";
import { MISSING, type M } from "./base.js";
import { ResourceRules } from "./resources.js";

/** Statement rules; the last grammar layer (lang/parser.ts adds the analysis). */
export abstract class StmtRules extends ResourceRules {
  // Cached OR alternatives (chevrotain perf guidance); declared here to keep the hidden class stable.
  private fileAlts: IOrAlt<unknown>[] | undefined;
  private progAlts: IOrAlt<M<Stmt> | undefined>[] | undefined;
  private stmtAlts: IOrAlt<M<Stmt>>[] | undefined;

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


  dotted = this.rule("dotted", (): M<{ name: string; span: Span }> => {
    const start = this.here();
    const ids = this.dottedInline();
    if (this.RECORDING_PHASE) return MISSING;
    const name = this.b.dotted(ids, this.dots);
    return name === null ? MISSING : { name, span: this.b.span(start, this.prev()) };
  });

}
