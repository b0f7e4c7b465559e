/**
 * Statements, resources and edges for the fast parser; the same grammar and AST as
 * lang/parser/statements.ts and lang/parser/resources.ts (the recovering parser).
 */
import type { Token } from "../tokens.js";
import type { EdgeHalf, Expr, ResItem, Span, Stmt, StmtRes } from "../ast.js";
import * as T from "../tokens.js";
import type { EdgeOrExpr } from "../to-ast.js";
import { BAIL, type Cursor } from "./cursor.js";
import { callArgs, dottedIds, dottedName, expr, exprBlock, params } from "./expressions.js";
import { optType } from "./types.js";

/** The top level: `( stmt NL | NL )*` to the end of the tokens. */
export function file(c: Cursor, out: Stmt[]): void {
  while (c.i < c.toks.length) {
    if (!c.skip(T.Newline)) out.push(stmt(c));
  }
}

function block(c: Cursor): Stmt[] {
  const out: Stmt[] = [];
  c.take(T.LCurly);
  for (;;) {
    const tt = c.la();
    if (tt === T.Newline) c.next();
    else if (tt === T.RCurly || tt === undefined) break;
    else out.push(stmt(c));
  }
  c.take(T.RCurly);
  return out;
}

/** One statement and its terminating newline. */
function stmt(c: Cursor): Stmt {
  let s: Stmt;
  switch (c.la()) {
    case T.Dollar: s = bindStmt(c); break;
    case T.Identifier: s = resource(c); break;
    case T.CapIdentifier: s = edgeStmt(c); break;
    case T.KwIf: s = ifStmt(c); break;
    case T.KwFor:
    case T.KwForkv: s = forStmt(c); break;
    case T.KwFunc: s = funcStmt(c); break;
    case T.KwClass: s = classStmt(c); break;
    case T.KwInclude: s = includeStmt(c); break;
    case T.KwImport: s = importStmt(c); break;
    case T.KwPanic: s = panicStmt(c); break;
    case T.KwCollect: s = collectStmt(c); break;
    default: throw BAIL;
  }
  c.take(T.Newline);
  return s;
}

/** `$x [type] = expr` (`==` is an error: the recovering parser reports it). */
function bindStmt(c: Cursor): Stmt {
  const start = c.here();
  c.take(T.Dollar);
  const name = c.undotted();
  const type = optType(c);
  c.take(T.Equals);
  const value = expr(c);
  return { kind: "bind", name: name.image, nameSpan: c.b.tspan(name), ...(type ? { type } : {}), value, span: c.b.span(start, c.prev()) };
}

function resource(c: Cursor): StmtRes {
  const start = c.here();
  const kn = colonName(c);
  const name = expr(c);
  c.take(T.LCurly);
  const items: ResItem[] = [];
  for (;;) {
    const tt = c.la();
    if (tt === T.Newline) c.next();
    else if (tt === T.Identifier) items.push(resFieldItem(c));
    else if (tt === T.CapIdentifier) items.push(resCapItem(c));
    else break;
  }
  c.take(T.RCurly);
  return { kind: "res", collect: false, kindName: kn.name, kindSpan: kn.span, name, items, span: c.b.span(start, c.prev()) };
}

/** `field => [cond ?:] value,` */
function resFieldItem(c: Cursor): ResItem {
  const start = c.here();
  const id = c.take(T.Identifier);
  c.take(T.Rocket);
  const e0 = expr(c);
  const e1 = c.skip(T.Elvis) ? expr(c) : undefined;
  c.take(T.Comma);
  const b = c.b;
  const span = b.span(start, c.prev());
  return e1
    ? { kind: "field", name: id.image, nameSpan: b.tspan(id), cond: e0, value: e1, span }
    : { kind: "field", name: id.image, nameSpan: b.tspan(id), value: e0, span };
}

/** `Meta:prop => …,`, `Meta => …,`, `Before => [cond ?:] Kind[n],` … */
function resCapItem(c: Cursor): ResItem {
  const start = c.here();
  const cap = c.take(T.CapIdentifier);
  let metaProp: Token | undefined;
  let e0: Expr | undefined;
  let e1: Expr | undefined;
  let p0: EdgeOrExpr | undefined;
  let p1: EdgeOrExpr | undefined;
  if (c.skip(T.Colon)) {
    metaProp = c.take(T.Identifier);
    c.take(T.Rocket);
    e0 = expr(c);
    if (c.skip(T.Elvis)) e1 = expr(c);
  } else {
    c.take(T.Rocket);
    p0 = edgeOrExpr(c);
    if (c.skip(T.Elvis)) p1 = edgeOrExpr(c);
  }
  c.take(T.Comma);
  const item = c.b.capItem(cap, metaProp, e0, e1, p0, p1, c.b.span(start, c.prev()));
  if (item == null) throw BAIL;
  return item;
}

function edgeOrExpr(c: Cursor): EdgeOrExpr {
  const start = c.here();
  if (c.la() === T.CapIdentifier) {
    const edge = edgeHalf(c);
    return { edge, span: c.b.span(start, c.prev()) };
  }
  const e = expr(c);
  return { expr: e, span: c.b.span(start, c.prev()) };
}

function edgeStmt(c: Cursor): Stmt {
  const start = c.here();
  const halves = [edgeHalfField(c)];
  while (c.skip(T.Arrow)) halves.push(edgeHalfField(c));
  return { kind: "edge", halves, span: c.b.span(start, c.prev()) };
}

function edgeHalfField(c: Cursor): EdgeHalf {
  const start = c.here();
  const h = edgeHalf(c);
  if (!c.skip(T.Dot)) return h;
  const f = c.take(T.Identifier);
  return { ...h, field: f.image, fieldSpan: c.b.tspan(f), span: c.b.span(start, c.prev()) };
}

/** `Kind:Sub[expr]` */
function edgeHalf(c: Cursor): EdgeHalf {
  const start = c.here();
  const caps = [c.take(T.CapIdentifier)];
  while (c.skip(T.Colon)) caps.push(c.take(T.CapIdentifier));
  c.take(T.LBrack);
  const name = expr(c);
  c.take(T.RBrack);
  return c.b.edgeHalf(caps, name, start, c.prev());
}

/** `if c { … } [else { … }]` */
function ifStmt(c: Cursor): Stmt {
  const start = c.here();
  c.take(T.KwIf);
  const cond = expr(c);
  const then = block(c);
  const els = c.skip(T.KwElse) ? block(c) : undefined;
  const span = c.b.span(start, c.prev());
  return els ? { kind: "if", cond, then, else: els, span } : { kind: "if", cond, then, span };
}

function forStmt(c: Cursor): Stmt {
  const start = c.here();
  const kw = c.next();
  c.take(T.Dollar);
  const k = c.undotted();
  c.take(T.Comma);
  c.take(T.Dollar);
  const v = c.undotted();
  c.take(T.KwIn);
  const e = expr(c);
  const body = block(c);
  const b = c.b;
  return {
    kind: "for", kv: kw.tokenType === T.KwForkv, key: k.image, keySpan: b.tspan(k), val: v.image, valSpan: b.tspan(v), expr: e, body,
    span: b.span(start, c.prev()),
  };
}

function funcStmt(c: Cursor): Stmt {
  const start = c.here();
  c.take(T.KwFunc);
  const id = c.take(T.Identifier);
  const ps = params(c);
  const ret = optType(c);
  const body = exprBlock(c);
  const b = c.b;
  return {
    kind: "func", name: id.image, nameSpan: b.tspan(id), params: ps.items, paramsMultiline: ps.multiline,
    ...(ret ? { ret } : {}), body, span: b.span(start, c.prev()),
  };
}

function classStmt(c: Cursor): Stmt {
  const start = c.here();
  c.take(T.KwClass);
  const cn = colonName(c);
  const ps = c.la() === T.LParen ? params(c) : undefined;
  const body = block(c);
  return {
    kind: "class", name: cn.name, nameSpan: cn.span, ...(ps ? { params: ps.items } : {}),
    paramsMultiline: ps?.multiline ?? false, body, span: c.b.span(start, c.prev()),
  };
}

function includeStmt(c: Cursor): Stmt {
  const start = c.here();
  c.take(T.KwInclude);
  const dStart = c.here();
  const name = dottedName(c, dottedIds(c));
  const nameSpan = c.b.span(dStart, c.prev());
  const args = c.la() === T.LParen ? callArgs(c) : undefined;
  const alias = c.skip(T.KwAs) ? c.take(T.Identifier) : undefined;
  return {
    kind: "include", name, nameSpan, ...(args ? { args: args.items } : {}),
    argsMultiline: args?.multiline ?? false, ...(alias ? { alias: alias.image } : {}), span: c.b.span(start, c.prev()),
  };
}

function importStmt(c: Cursor): Stmt {
  const start = c.here();
  c.take(T.KwImport);
  const s = c.take(T.StringLit);
  let alias: Token | undefined;
  if (c.skip(T.KwAs)) alias = c.la() === T.Star ? c.next() : c.take(T.Identifier);
  return {
    kind: "import", path: s.image.slice(1, -1), pathSpan: c.b.tspan(s), ...(alias ? { alias: alias.image } : {}),
    span: c.b.span(start, c.prev()),
  };
}

function panicStmt(c: Cursor): Stmt {
  const start = c.here();
  c.take(T.KwPanic);
  const args = callArgs(c);
  return { kind: "panic", args: args.items, span: c.b.span(start, c.prev()) };
}

function collectStmt(c: Cursor): Stmt {
  const start = c.here();
  c.take(T.KwCollect);
  const r = resource(c);
  return { ...r, collect: true, span: c.b.span(start, c.prev()) };
}

/** `a:b:c` (resource kinds and class names). */
function colonName(c: Cursor): { name: string; span: Span } {
  const start = c.here();
  let name = c.take(T.Identifier).image;
  while (c.skip(T.Colon)) name += ":" + c.take(T.Identifier).image;
  return { name, span: c.b.span(start, c.prev()) };
}
