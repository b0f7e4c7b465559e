/**
 * Types for the fast parser; the same grammar and AST as lang/parser/types.ts (the recovering
 * parser), one token of lookahead per decision.
 */
import type { Token } from "../tokens.js";
import type { TypeAst, TypeField } from "../ast.js";
import * as T from "../tokens.js";
import { BAIL, type Cursor, TYPE_FIRST } from "./cursor.js";
import { sepItems } from "./items.js";

type FuncTypeArg = { readonly name?: string; readonly type: TypeAst; readonly span: TypeAst["span"] };

/** `type` */
export function type(c: Cursor): TypeAst {
  switch (c.la()) {
    case T.KwBool:
    case T.KwStr:
    case T.KwInt:
    case T.KwFloat:
    case T.KwVariant: {
      const t = c.next();
      return { kind: "tprim", name: t.image as "bool", span: c.b.tspan(t) };
    }
    case T.LBrack:
      return listType(c);
    case T.KwMap:
      return mapType(c);
    case T.KwStruct:
      return structType(c);
    case T.KwFunc:
      return funcType(c);
    default:
      throw BAIL;
  }
}

/** An optional type annotation (before `=`, after a parameter, or a return type). */
export function optType(c: Cursor): TypeAst | undefined {
  const tt = c.la();
  return tt !== undefined && TYPE_FIRST.has(tt) ? type(c) : undefined;
}

function listType(c: Cursor): TypeAst {
  const start = c.here();
  c.take(T.LBrack);
  c.take(T.RBrack);
  const elem = type(c);
  return { kind: "tlist", elem, span: c.b.span(start, c.prev()) };
}

function mapType(c: Cursor): TypeAst {
  const start = c.here();
  c.take(T.KwMap);
  c.take(T.LCurly);
  const key = type(c);
  c.take(T.Colon);
  const val = type(c);
  c.take(T.RCurly);
  return { kind: "tmap", key, val, span: c.b.span(start, c.prev()) };
}

function structType(c: Cursor): TypeAst {
  const start = c.here();
  c.take(T.KwStruct);
  c.take(T.LCurly);
  const fields: TypeField[] = [];
  if (c.la() === T.Identifier) {
    fields.push(structTypeField(c));
    while (c.skip(T.Semicolon)) fields.push(structTypeField(c));
  }
  c.take(T.RCurly);
  return { kind: "tstruct", fields, span: c.b.span(start, c.prev()) };
}

function structTypeField(c: Cursor): TypeField {
  const start = c.here();
  const id = c.take(T.Identifier);
  const t = type(c);
  return { name: id.image, type: t, span: c.b.span(start, c.prev()) };
}

const FUNC_TYPE_ARG_FIRST = new Set([T.Dollar, ...TYPE_FIRST]);

function funcType(c: Cursor): TypeAst {
  const start = c.here();
  c.take(T.KwFunc);
  c.take(T.LParen);
  const it = sepItems(c, funcTypeArg, FUNC_TYPE_ARG_FIRST);
  c.take(T.RParen);
  const ret = type(c);
  return { kind: "tfunc", params: it.items, ret, multiline: it.multiline, span: c.b.span(start, c.prev()) };
}

function funcTypeArg(c: Cursor): FuncTypeArg {
  const start = c.here();
  let id: Token | undefined;
  if (c.skip(T.Dollar)) id = c.undotted();
  const t = type(c);
  return { ...(id ? { name: id.image } : {}), type: t, span: c.b.span(start, c.prev()) };
}
