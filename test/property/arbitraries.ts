/**
 * fast-check generators for mcl ASTs (lang/ast.ts), for the round-trip properties of the parser
 * and the formatter (ecosystem.md §5). Generated nodes carry a dummy span at line 0.
 *
 * Generated ASTs are always *printable*: wherever precedence demands it (§2.1) the generator
 * inserts an explicit ExprParen, using the formatter's own `needsParens`, so `format` never has
 * to add parentheses and `parse(format(ast))` must give back exactly `ast` (modulo spans).
 * Semantic validity (duplicate keys, unknown meta params …) is not a goal: the round-trip test
 * compares the Init diagnostics instead.
 */
import fc from "fast-check";
import type {
  BinOp, EdgeHalf, EdgeProp, Expr, ExprLambda, ExprVar, Param, Prog, ResItem, Span, Stmt, TypeAst,
} from "../../lang/ast.js";
import { format, needsParens } from "../../lang/format.js";
import type { ParenCtx } from "../../lang/format.js";

const P0 = { line: 0, col: 0, offset: 0 };
/** The span of every generated node. */
export const S: Span = { file: "gen.mcl", start: P0, end: P0 };
/** A span ending one line later: marks lambdas / if-expressions whose closing `}` is on its own line. */
const S_ML: Span = { file: "gen.mcl", start: P0, end: { line: 1, col: 0, offset: 0 } };

/** Every keyword of §1.2; none of them may be a name. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "if", "else", "for", "forkv", "in", "and", "or", "not", "func", "class", "include", "import", "as", "panic", "collect",
  "true", "false", "bool", "str", "int", "float", "map", "struct", "variant",
]);

export const ident: fc.Arbitrary<string> = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/).filter((s) => !KEYWORDS.has(s));
export const dotted: fc.Arbitrary<string> = fc.array(ident, { minLength: 1, maxLength: 3 }).map((a) => a.join("."));
const colonName: fc.Arbitrary<string> = fc.array(ident, { minLength: 1, maxLength: 3 }).map((a) => a.join(":"));

// ---------------------------------------------------------------------------------------------
// Literals

export interface GenOptions {
  /** Allow raw newlines inside string literals (they make "insert a comment at a line end" unsafe). */
  readonly rawNewlines: boolean;
}

type Piece = { readonly raw: string; readonly lit: string } | { readonly raw: string; readonly v: ExprVar };

const ESCAPES: readonly (readonly [string, string])[] = [
  ["\\n", "\n"], ["\\t", "\t"], ["\\\\", "\\"], ['\\"', '"'], ["\\$", "$"], ["\\a", "\x07"], ["\\b", "\b"],
  ["\\f", "\f"], ["\\r", "\r"], ["\\v", "\v"],
];

function pieceArb(o: GenOptions): fc.Arbitrary<Piece> {
  const raws: string[] = ["\t", ...(o.rawNewlines ? ["\n"] : [])];
  return fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z0-9 #,.:;!?'()[\]}<>|=+*\/-]{1,6}$/).map((s): Piece => ({ raw: s, lit: s })) },
    { weight: 2, arbitrary: fc.constantFrom(...ESCAPES).map(([raw, lit]): Piece => ({ raw, lit })) },
    // a lone `$` is literal; nothing generated here starts with `{`, so `${` only comes from vars
    { weight: 1, arbitrary: fc.constant<Piece>({ raw: "$", lit: "$" }) },
    { weight: 1, arbitrary: fc.constantFrom(...raws).map((r): Piece => ({ raw: r, lit: r })) },
    { weight: 2, arbitrary: dotted.map((name): Piece => ({ raw: `\${${name}}`, v: { kind: "var", name, span: S } })) },
  );
}

/** A string literal with escapes and `${x}` interpolation: an ExprStr or an ExprInterp, with `raw` and the decoded value/parts. */
export function stringArb(o: GenOptions): fc.Arbitrary<Expr> {
  return fc.array(pieceArb(o), { maxLength: 6 }).map((ps): Expr => {
    const raw = ps.map((p) => p.raw).join("");
    const parts: (string | ExprVar)[] = [];
    let lit = "";
    for (const p of ps) {
      if ("lit" in p) {
        lit += p.lit;
      } else {
        if (lit !== "") parts.push(lit);
        lit = "";
        parts.push(p.v);
      }
    }
    if (lit !== "") parts.push(lit);
    if (parts.some((p) => typeof p !== "string")) return { kind: "interp", parts, raw, span: S };
    return { kind: "str", value: parts.join(""), raw, span: S };
  });
}

const intArb: fc.Arbitrary<Expr> = fc
  .oneof(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), fc.bigInt(-20n, 20n))
  .chain((v) => fc.constantFrom(String(v), v < 0n ? `-0${-v}` : `0${v}`).map((raw): Expr => ({ kind: "int", value: v, raw, span: S })));

const floatArb: fc.Arbitrary<Expr> = fc
  .stringMatching(/^-?[0-9]{1,4}\.[0-9]{1,4}$/)
  .map((raw): Expr => ({ kind: "float", value: Number(raw), raw, span: S }));

const boolArb: fc.Arbitrary<Expr> = fc.boolean().map((value): Expr => ({ kind: "bool", value, span: S }));
const varArb: fc.Arbitrary<ExprVar> = dotted.map((name): ExprVar => ({ kind: "var", name, span: S }));

// ---------------------------------------------------------------------------------------------
// Types

export const typeArb: fc.Arbitrary<TypeAst> = fc.letrec<{ type: TypeAst }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", maxDepth: 3, withCrossShrink: true },
    fc.constantFrom("bool", "str", "int", "float", "variant").map((name): TypeAst => ({ kind: "tprim", name, span: S })),
    tie("type").map((elem): TypeAst => ({ kind: "tlist", elem, span: S })),
    fc.tuple(tie("type"), tie("type")).map(([key, val]): TypeAst => ({ kind: "tmap", key, val, span: S })),
    fc
      .uniqueArray(fc.tuple(ident, tie("type")), { maxLength: 3, selector: ([n]) => n })
      .map((fs): TypeAst => ({ kind: "tstruct", fields: fs.map(([name, type]) => ({ name, type, span: S })), span: S })),
    fc
      .tuple(
        fc.boolean(),
        fc.uniqueArray(fc.tuple(ident, tie("type")), { maxLength: 3, selector: ([n]) => n }),
        tie("type"),
        fc.boolean(),
      )
      .map(([named, ps, ret, multiline]): TypeAst => ({
        kind: "tfunc",
        params: ps.map(([name, type]) => (named ? { name, type, span: S } : { type, span: S })),
        ret,
        multiline: multiline && ps.length > 0,
        span: S,
      })),
  ),
})).type;

const paramsArb: fc.Arbitrary<Param[]> = fc
  .uniqueArray(fc.tuple(ident, fc.option(typeArb, { nil: undefined, freq: 2 })), { maxLength: 3, selector: ([n]) => n })
  .map((ps) => ps.map(([name, type]): Param => (type ? { name, type, span: S } : { name, span: S })));

// ---------------------------------------------------------------------------------------------
// Expressions

const BINOPS: readonly BinOp[] = ["+", "-", "*", "/", "==", "!=", "<", ">", "<=", ">=", "and", "or", "in"];

function wrap(ctx: ParenCtx, e: Expr): Expr {
  return needsParens(ctx, e) ? { kind: "paren", inner: e, span: S } : e;
}

/** Expressions of every kind, nested up to a small depth. */
export function exprArb(o: GenOptions): fc.Arbitrary<Expr> {
  const str = stringArb(o);
  return fc.letrec<{ expr: Expr }>((tie) => {
    const e = tie("expr");
    const lambda = fc
      .tuple(paramsArb, fc.boolean(), fc.option(typeArb, { nil: undefined, freq: 3 }), e, fc.boolean())
      .map(([params, pml, ret, body, ml]): ExprLambda => ({
        kind: "lambda",
        params,
        paramsMultiline: pml && params.length > 0,
        ...(ret ? { ret } : {}),
        body,
        span: ml ? S_ML : S,
      }));
    return {
      expr: fc.oneof(
        { depthSize: "small", maxDepth: 4, withCrossShrink: true },
        boolArb,
        intArb,
        floatArb,
        str,
        varArb,
        fc.tuple(fc.array(e, { maxLength: 3 }), fc.boolean()).map(([items, ml]): Expr => ({ kind: "list", items, multiline: ml && items.length > 0, span: S })),
        fc
          .tuple(fc.array(fc.tuple(e, e), { maxLength: 3 }), fc.boolean())
          .map(([kvs, ml]): Expr => ({ kind: "map", entries: kvs.map(([key, value]) => ({ key, value, span: S })), multiline: ml && kvs.length > 0, span: S })),
        fc
          .tuple(fc.array(fc.tuple(ident, e), { maxLength: 3 }), fc.boolean())
          .map(([fs, ml]): Expr => ({ kind: "struct", fields: fs.map(([name, value]) => ({ name, value, span: S })), multiline: ml && fs.length > 0, span: S })),
        lambda,
        fc
          .tuple(
            fc.oneof(dotted.map((name) => ({ kind: "name" as const, name, span: S })), varArb, lambda),
            fc.array(e, { maxLength: 3 }),
            fc.boolean(),
          )
          .map(([callee, args, ml]): Expr => ({ kind: "call", callee, args, multiline: ml && args.length > 0, span: S })),
        fc.tuple(e, e, e, fc.boolean()).map(([cond, then, els, ml]): Expr => ({ kind: "if", cond, then, else: els, span: ml ? S_ML : S })),
        fc.tuple(fc.constantFrom(...BINOPS), e, e).map(([op, l, r]): Expr => ({
          kind: "binary",
          op,
          left: wrap({ kind: "binL", op }, l),
          right: wrap({ kind: "binR", op }, r),
          opSpan: S,
          span: S,
        })),
        e.map((x): Expr => ({ kind: "not", operand: wrap({ kind: "not" }, x), span: S })),
        fc.tuple(e, e).map(([l, r]): Expr => ({ kind: "except", left: wrap({ kind: "exceptL" }, l), right: wrap({ kind: "exceptR" }, r), span: S })),
        fc.tuple(e, e).map(([t, i]): Expr => ({ kind: "index", target: wrap({ kind: "postfix" }, t), index: i, span: S })),
        fc.tuple(e, ident, fc.option(e, { nil: undefined, freq: 3 })).map(([t, field, d]): Expr => ({
          kind: "field",
          target: wrap({ kind: "postfix" }, t),
          field,
          fieldSpan: S,
          ...(d ? { default: wrap({ kind: "fieldDefault" }, d) } : {}),
          span: S,
        })),
        e.map((inner): Expr => ({ kind: "paren", inner, span: S })),
      ),
    };
  }).expr;
}

// ---------------------------------------------------------------------------------------------
// Statements

const EDGE_PROPS: readonly EdgeProp[] = ["before", "depend", "notify", "listen"];
const META_PROPS = ["noop", "retry", "delay", "poll", "limit", "burst", "sema", "hidden", "export", "autoedge"];

/** Statements of every kind (bodies nested up to a small depth). */
export function stmtArb(o: GenOptions): fc.Arbitrary<Stmt> {
  const e = exprArb(o);
  const str = stringArb(o);
  const half = (withField: boolean): fc.Arbitrary<EdgeHalf> =>
    fc.tuple(colonName, fc.oneof(str, varArb), ident).map(([kindName, name, field]): EdgeHalf => ({
      kindName,
      kindSpan: S,
      name,
      ...(withField ? { field, fieldSpan: S } : {}),
      span: S,
    }));
  const cond = fc.option(e, { nil: undefined, freq: 3 });
  const item: fc.Arbitrary<ResItem> = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(ident, cond, e).map(([name, c, value]): ResItem => ({ kind: "field", name, nameSpan: S, ...(c ? { cond: c } : {}), value, span: S })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...EDGE_PROPS), cond, half(false)).map(([prop, c, target]): ResItem => ({ kind: "edge", prop, ...(c ? { cond: c } : {}), target, span: S })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...META_PROPS), cond, e).map(([prop, c, value]): ResItem => ({ kind: "meta", prop, propSpan: S, ...(c ? { cond: c } : {}), value, span: S })) },
    { weight: 1, arbitrary: fc.tuple(cond, e).map(([c, value]): ResItem => ({ kind: "metastruct", ...(c ? { cond: c } : {}), value, span: S })) },
  );
  const resName = fc.oneof(str, varArb, fc.array(str, { maxLength: 2 }).map((items): Expr => ({ kind: "list", items, multiline: false, span: S })));

  return fc.letrec<{ stmt: Stmt }>((tie) => {
    const body = fc.array(tie("stmt"), { maxLength: 3 });
    return {
      stmt: fc.oneof(
        { depthSize: "small", maxDepth: 3, withCrossShrink: true },
        fc.tuple(ident, fc.option(typeArb, { nil: undefined, freq: 3 }), e).map(([name, type, value]): Stmt => ({ kind: "bind", name, nameSpan: S, ...(type ? { type } : {}), value, span: S })),
        fc.tuple(fc.boolean(), colonName, resName, fc.array(item, { maxLength: 4 })).map(([collect, kindName, name, items]): Stmt => ({
          kind: "res", collect, kindName, kindSpan: S, name, items, span: S,
        })),
        fc.oneof(
          fc.array(half(false), { minLength: 2, maxLength: 3 }),
          fc.tuple(half(true), half(true)).map(([a, b]) => [a, b]),
        ).map((halves): Stmt => ({ kind: "edge", halves, span: S })),
        fc.tuple(e, body, fc.option(body, { nil: undefined })).map(([c, then, els]): Stmt => ({ kind: "if", cond: c, then, ...(els ? { else: els } : {}), span: S })),
        fc.tuple(fc.boolean(), ident, ident, e, body).map(([kv, key, val, x, b]): Stmt => ({
          kind: "for", kv, key, keySpan: S, val, valSpan: S, expr: x, body: b, span: S,
        })),
        fc.tuple(ident, paramsArb, fc.boolean(), fc.option(typeArb, { nil: undefined, freq: 3 }), e).map(([name, params, ml, ret, b]): Stmt => ({
          kind: "func", name, nameSpan: S, params, paramsMultiline: ml && params.length > 0, ...(ret ? { ret } : {}), body: b, span: S,
        })),
        fc.tuple(colonName, fc.option(paramsArb, { nil: undefined }), fc.boolean(), body).map(([name, params, ml, b]): Stmt => ({
          kind: "class", name, nameSpan: S, ...(params ? { params } : {}), paramsMultiline: ml && (params?.length ?? 0) > 0, body: b, span: S,
        })),
        fc.tuple(dotted, fc.option(fc.array(e, { maxLength: 3 }), { nil: undefined }), fc.boolean(), fc.option(ident, { nil: undefined })).map(
          ([name, args, ml, alias]): Stmt => ({
            kind: "include", name, nameSpan: S, ...(args ? { args } : {}), argsMultiline: ml && (args?.length ?? 0) > 0, ...(alias ? { alias } : {}), span: S,
          }),
        ),
        fc.tuple(fc.stringMatching(/^[a-z][a-z0-9/._-]{0,10}$/), fc.option(fc.oneof(ident, fc.constant("*")), { nil: undefined })).map(
          ([path, alias]): Stmt => ({ kind: "import", path, pathSpan: S, ...(alias ? { alias } : {}), span: S }),
        ),
        fc.array(e, { minLength: 1, maxLength: 2 }).map((args): Stmt => ({ kind: "panic", args, span: S })),
      ),
    };
  }).stmt;
}

/** A whole file without comments. */
export function progArb(o: GenOptions): fc.Arbitrary<Prog> {
  return fc.array(stmtArb(o), { maxLength: 5 }).map((stmts): Prog => ({ file: "gen.mcl", stmts, comments: [] }));
}

// ---------------------------------------------------------------------------------------------
// Token soups for robustness tests

/** The mcl vocabulary, plus a few near-misses, for random token soups. */
export const VOCAB: readonly string[] = [
  ...KEYWORDS, "{", "}", "(", ")", "[", "]", ",", ":", ";", "=", "=>", "?:", "<|>", "->", ".", "$", "+", "-", "*", "/",
  "==", "!=", "<", ">", "<=", ">=", "\n", "\n", "\n", " ", "\t", "x", "$x", "$a.b", "foo", "fmt.printf", "Test", "Meta",
  "Before", "Depend", "Notify", "Listen", "Meta:noop", "Http:Server", "file", "test", "0", "-1", "42", "3.14", "-0.5",
  '"s"', '"a${x}b"', '"\\n"', '"\\q"', '"${}"', '"', "# comment", "#", "\r", "_x", "x_", "9999999999999999999999", "€", "🙂",
];

export const tokenSoup: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...VOCAB) }, { weight: 1, arbitrary: ident }), { maxLength: 60 })
  .map((ts) => ts.join(" ").replace(/ ?\n ?/g, "\n"));

/** A generated program's text with one random edit: a vocabulary token inserted over up to 3 characters. */
export const editedProgram: fc.Arbitrary<string> = fc
  .tuple(progArb({ rawNewlines: false }), fc.nat(), fc.constantFrom(...VOCAB, ""), fc.nat(3))
  .map(([ast, at, tok, del]) => {
    const text = format(ast);
    const i = at % (text.length + 1);
    return text.slice(0, i) + tok + text.slice(Math.min(text.length, i + del));
  });
