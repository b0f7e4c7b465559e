/**
 * Expressions for the fast parser; the same grammar and AST as lang/parser/expressions.ts (the
 * recovering parser). Binary operators are read as a flat `operand (op operand)*` list and built
 * by the shared precedence climbing (AstBuilder.expr).
 */
import type { Token } from "../tokens.js";
import type { Callee, Expr, ExprLambda, ExprVar, MapEntry, Param, StructEntry } from "../ast.js";
import * as T from "../tokens.js";
import type { Items } from "../to-ast.js";
import { BAIL, BINARY, type Cursor, EXPR_FIRST, UNDOTTED } from "./cursor.js";
import { sepItems } from "./items.js";
import { optType } from "./types.js";

/** `expr`: never null here (the builder only returns null for incomplete operands, which bail earlier). */
export function expr(c: Cursor): Expr {
  const first = operand(c);
  let tt = c.la();
  if (tt === undefined || !BINARY.has(tt)) return first;
  const operands: Expr[] = [first];
  const ops: Token[] = [];
  while (tt !== undefined && BINARY.has(tt)) {
    ops.push(c.next());
    operands.push(operand(c));
    tt = c.la();
  }
  const e = c.b.expr(operands, ops);
  if (e === null) throw BAIL;
  return e;
}

/** `not* primary suffix*` */
function operand(c: Cursor): Expr {
  let nots: Token[] | undefined;
  while (c.la() === T.KwNot) (nots ??= []).push(c.next());
  let e = primary(c);
  for (let tt = c.la(); tt === T.LBrack || tt === T.Arrow; tt = c.la()) {
    c.next();
    if (tt === T.LBrack) {
      const index = expr(c);
      c.take(T.RBrack);
      e = { kind: "index", target: e, index, span: c.b.span(e.span.start.offset, c.prev()) };
    } else {
      const field = c.take(T.Identifier);
      e = { kind: "field", target: e, field: field.image, fieldSpan: c.b.tspan(field), span: c.b.span(e.span.start.offset, field) };
    }
  }
  if (nots !== undefined) {
    for (let i = nots.length - 1; i >= 0; i--) {
      const t = nots[i] as Token;
      e = { kind: "not", operand: e, span: c.b.loc.span(t.startOffset, e.span.end.offset) };
    }
  }
  return e;
}

function primary(c: Cursor): Expr {
  const tt = c.la();
  switch (tt) {
    case T.BoolLit:
    case T.IntLit:
    case T.FloatLit:
    case T.StringLit: {
      const e = c.b.literal(c.next());
      if (e === null) throw BAIL;
      return e;
    }
    case T.LBrack:
      return list(c);
    case T.LCurly:
      return map(c);
    case T.KwStruct:
      return structLit(c);
    case T.Dollar:
      return varExpr(c);
    case T.KwFunc:
      return lambda(c);
    case T.KwIf:
      return ifExpr(c);
    case T.LParen:
      return paren(c);
    default:
      if (tt !== undefined && UNDOTTED.has(tt)) return nameCall(c);
      throw BAIL;
  }
}

function list(c: Cursor): Expr {
  const start = c.here();
  c.take(T.LBrack);
  const it = sepItems(c, expr, EXPR_FIRST);
  c.take(T.RBrack);
  return { kind: "list", items: it.items, multiline: it.multiline, span: c.b.span(start, c.prev()) };
}

function map(c: Cursor): Expr {
  const start = c.here();
  c.take(T.LCurly);
  const it = sepItems(c, mapEntry, EXPR_FIRST);
  c.take(T.RCurly);
  return { kind: "map", entries: it.items, multiline: it.multiline, span: c.b.span(start, c.prev()) };
}

function mapEntry(c: Cursor): MapEntry {
  const start = c.here();
  const key = expr(c);
  c.take(T.Rocket);
  const value = expr(c);
  return { key, value, span: c.b.span(start, c.prev()) };
}

const STRUCT_ENTRY_FIRST = new Set([T.Identifier]);

function structLit(c: Cursor): Expr {
  const start = c.here();
  c.take(T.KwStruct);
  c.take(T.LCurly);
  const it = sepItems(c, structEntry, STRUCT_ENTRY_FIRST);
  c.take(T.RCurly);
  return { kind: "struct", fields: it.items, multiline: it.multiline, span: c.b.span(start, c.prev()) };
}

function structEntry(c: Cursor): StructEntry {
  const start = c.here();
  const id = c.take(T.Identifier);
  c.take(T.Rocket);
  const value = expr(c);
  return { name: id.image, value, span: c.b.span(start, c.prev()) };
}

/** `( args )` */
export function callArgs(c: Cursor): Items<Expr> {
  c.take(T.LParen);
  const it = sepItems(c, expr, EXPR_FIRST);
  c.take(T.RParen);
  return it;
}

const PARAM_FIRST = new Set([T.Dollar]);

/** `( $a [type], … )` */
export function params(c: Cursor): Items<Param> {
  c.take(T.LParen);
  const it = sepItems(c, param, PARAM_FIRST);
  c.take(T.RParen);
  return it;
}

function param(c: Cursor): Param {
  const start = c.here();
  c.take(T.Dollar);
  const id = c.undotted();
  const t = optType(c);
  return { name: id.image, ...(t ? { type: t } : {}), span: c.b.span(start, c.prev()) };
}

/** `a.b.c`: the identifier tokens. */
export function dottedIds(c: Cursor): Token[] {
  const ids = [c.undotted()];
  while (c.skip(T.Dot)) ids.push(c.undotted());
  return ids;
}

/** The dotted name of `ids` (never null: every id is there). */
export function dottedName(c: Cursor, ids: Token[]): string {
  const name = c.b.dotted(ids, ids.length - 1);
  if (name === null) throw BAIL;
  return name;
}

/** End offset (exclusive) of token `t`. */
function endOf(t: Token): number {
  return t.startOffset + t.image.length;
}

/** `$name[(args)]` */
function varExpr(c: Cursor): Expr {
  const start = c.here();
  c.take(T.Dollar);
  const ids = dottedIds(c);
  const name = dottedName(c, ids);
  const v: ExprVar = { kind: "var", name, span: c.b.loc.span(start, endOf(ids[ids.length - 1] as Token)) };
  if (c.la() !== T.LParen) return v;
  const args = callArgs(c);
  return { kind: "call", callee: v, args: args.items, multiline: args.multiline, span: c.b.span(start, c.prev()) };
}

/** `name(args)`, `pkg.name(args)` */
function nameCall(c: Cursor): Expr {
  const start = c.here();
  const ids = dottedIds(c);
  const name = dottedName(c, ids);
  const args = callArgs(c);
  const callee: Callee = { kind: "name", name, span: c.b.loc.span((ids[0] as Token).startOffset, endOf(ids[ids.length - 1] as Token)) };
  return { kind: "call", callee, args: args.items, multiline: args.multiline, span: c.b.span(start, c.prev()) };
}

/** `func(params) [type] { expr }` with an optional immediate call `(args)`. */
function lambda(c: Cursor): Expr {
  const start = c.here();
  c.take(T.KwFunc);
  const ps = params(c);
  const ret = optType(c);
  const body = exprBlock(c);
  const lam: ExprLambda = {
    kind: "lambda", params: ps.items, paramsMultiline: ps.multiline, ...(ret ? { ret } : {}), body, span: c.b.span(start, c.prev()),
  };
  if (c.la() !== T.LParen) return lam;
  const args = callArgs(c);
  return { kind: "call", callee: lam, args: args.items, multiline: args.multiline, span: c.b.span(start, c.prev()) };
}

/** `{ NL* expr NL* }` — function bodies and if-expression branches. */
export function exprBlock(c: Cursor): Expr {
  c.take(T.LCurly);
  while (c.skip(T.Newline));
  const e = expr(c);
  while (c.skip(T.Newline));
  c.take(T.RCurly);
  return e;
}

function ifExpr(c: Cursor): Expr {
  const start = c.here();
  c.take(T.KwIf);
  const cond = expr(c);
  const then = exprBlock(c);
  c.take(T.KwElse);
  const els = exprBlock(c);
  return { kind: "if", cond, then, else: els, span: c.b.span(start, c.prev()) };
}

function paren(c: Cursor): Expr {
  const start = c.here();
  c.take(T.LParen);
  const inner = expr(c);
  c.take(T.RParen);
  return { kind: "paren", inner, span: c.b.span(start, c.prev()) };
}
