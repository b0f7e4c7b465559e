/**
 * AST construction helpers for the parser's embedded actions (lang/parser.ts): source spans,
 * operator precedence climbing over the flat operand/operator lists (mcl-language.md §2.1),
 * literal decoding (strings via lang/strings.ts, int64 range), and the few structural errors the
 * grammar cannot express (invalid capitalised properties, wrong edge property forms, `$x == …`
 * binds, chained comparisons).
 *
 * Recovery convention: a grammar rule whose input was incomplete (chevrotain re-synced it, or a
 * required token was inserted by single-token recovery) yields `null` ("missing"); a statement
 * with a missing required part is dropped (the syntax error has already been reported).
 */
import type { Token } from "./tokens.js";
import type { BinOp, EdgeHalf, EdgeProp, Expr, ExprVar, Pos, ResItem, Span } from "./ast.js";
import { diag } from "./diagnostics.js";
import type { Diagnostic } from "./diagnostics.js";
import { decodeString } from "./strings.js";

/** Maps UTF-16 offsets to 1-based line/col spans. */
export class Locator {
  private readonly lineStarts: number[] = [0];
  constructor(readonly file: string, readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }
  /** Line index of the previous lookup: positions are mostly requested in source order. */
  private last = 0;
  pos(offset: number): Pos {
    const o = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : 0;
    const ls = this.lineStarts;
    const h = this.last;
    if ((ls[h] as number) <= o && (h + 1 >= ls.length || (ls[h + 1] as number) > o)) {
      return { line: h + 1, col: o - (ls[h] as number) + 1, offset: o };
    }
    let lo = 0, hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((ls[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return { line: lo + 1, col: o - (ls[lo] as number) + 1, offset: o };
  }
  private clamp(offset: number): number {
    return Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : 0;
  }
  /**
   * `end` is exclusive. The span holds two offsets; its line/column positions are computed on
   * first read (most spans of a valid program are never printed), so a span is one object, not three.
   */
  span(start: number, end: number): Span {
    const s = this.clamp(start);
    return new LazySpan(this, s, this.clamp(Number.isFinite(end) && end >= s ? end : s));
  }
}

/**
 * A `Span` whose `start`/`end` are resolved through the file's Locator when read. The locator and
 * the resolved positions are private fields, so the own enumerable properties are `file` and the
 * two offsets: deep equality of two ASTs of one text compares the offsets and does not depend on
 * which positions were read. `toJSON` gives the plain `{file, start, end}` shape.
 */
class LazySpan implements Span {
  readonly #loc: Locator;
  #start: Pos | undefined;
  #end: Pos | undefined;
  readonly file: string;
  constructor(loc: Locator, readonly from: number, readonly to: number) {
    this.file = loc.file;
    this.#loc = loc;
  }
  get start(): Pos {
    return (this.#start ??= this.#loc.pos(this.from));
  }
  get end(): Pos {
    return (this.#end ??= this.#loc.pos(this.to));
  }
  toJSON(): { file: string; start: Pos; end: Pos } {
    return { file: this.file, start: this.start, end: this.end };
  }
}

/** Message of a top-level `}` that closes nothing (parse.ts treats it as a likely cascade after an earlier error). */
export const STRAY_CLOSER_MESSAGE = "syntax error: unexpected '}' (no block to close)";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const PREC: Readonly<Record<string, number>> = {
  "<|>": 1, or: 2, and: 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "==": 4, "!=": 4, in: 4, "+": 5, "-": 5, "*": 6, "/": 6,
};

/** A real (lexed) token, as opposed to one inserted by chevrotain's single-token recovery. */
export function real(t: Token | undefined): t is Token {
  return t !== undefined && t.isInsertedInRecovery !== true && Number.isFinite(t.startOffset);
}

/** Parts of a `sepItems` comma list: the items (null when one is incomplete) and the multi-line flag. */
export interface Items<T> {
  readonly items: T[];
  readonly multiline: boolean;
}

/** An `edgeOrExpr`: a resource reference or an expression (edge properties and `Meta =>`); null parts are incomplete. */
export type EdgeOrExpr =
  | { readonly edge: EdgeHalf | null; readonly expr?: undefined; readonly span: Span }
  | { readonly edge?: undefined; readonly expr: Expr | null; readonly span: Span };

const EDGE_PROPS: ReadonlySet<string> = new Set(["before", "depend", "notify", "listen"]);

/** Builds AST nodes and parse-phase diagnostics for one file. */
export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly loc: Locator) {}

  err(code: string, message: string, span: Span): void {
    this.diagnostics.push(diag("parse", code, message, span));
  }
  /** Span of a token. */
  tspan(t: Token): Span {
    return this.loc.span(t.startOffset, (t.endOffset ?? NaN) + 1);
  }
  /** Span from offset `start` to the end of token `last` (inclusive). */
  span(start: number, last: Token): Span {
    return this.loc.span(start, (last.endOffset ?? NaN) + 1);
  }

  /** Operands and operators of an `expr` → one tree by precedence climbing; null if incomplete. */
  expr(operands: (Expr | null)[], ops: Token[]): Expr | null {
    if (operands.length === 0 || operands.length !== ops.length + 1) return null;
    for (const o of operands) if (o === null) return null;
    const vals = operands as Expr[];
    if (ops.length === 0) return vals[0] as Expr;
    let i = 0; // next operand
    let j = 0; // next operator
    const climb = (minPrec: number): Expr => {
      let left = vals[i++] as Expr;
      while (j < ops.length) {
        const opTok = ops[j] as Token;
        const p = PREC[opTok.image] ?? 0;
        if (p < minPrec) break;
        j++;
        const right = climb(p + 1);
        left = this.binary(opTok, left, right);
        const next = ops[j];
        if (p === 4 && next && PREC[next.image] === 4) {
          this.err(
            "E-PARSE-SYNTAX",
            `syntax error: unexpected '${next.image}' (comparison operators are non-associative; add parentheses)`,
            this.tspan(next),
          );
        }
      }
      return left;
    };
    return climb(1);
  }

  private binary(opTok: Token, left: Expr, right: Expr): Expr {
    const span: Span = { file: left.span.file, start: left.span.start, end: right.span.end };
    const op = opTok.image;
    if (op === "<|>") {
      // §2.1: `a->f <|> d` is the static optional lookup; `(a->f) <|> d` stays an except.
      if (left.kind === "field" && left.default === undefined) return { ...left, default: right, span };
      return { kind: "except", left, right, span };
    }
    return { kind: "binary", op: op as BinOp, left, right, opSpan: this.tspan(opTok), span };
  }

  /** A literal token operand (bool, int, float, string); null when inserted by recovery. */
  literal(t: Token): Expr | null {
    if (!real(t)) return null;
    const span = this.tspan(t);
    switch (t.image.charCodeAt(0)) {
      case 34: // "
        return this.string(t, span);
      case 116: // t(rue)
        return { kind: "bool", value: true, span };
      case 102: // f(alse)
        return { kind: "bool", value: false, span };
      default:
        return t.image.includes(".") ? { kind: "float", value: Number(t.image), raw: t.image, span } : this.int(t, span);
    }
  }

  private int(t: Token, span: Span): Expr {
    const v = BigInt(t.image);
    if (v < INT64_MIN || v > INT64_MAX) {
      this.err("E-PARSE-INT-OVERFLOW", `integer: overflow: \`${t.image}\``, span);
    }
    return { kind: "int", value: BigInt.asIntN(64, v), raw: t.image, span };
  }

  private string(t: Token, span: Span): Expr {
    const raw = t.image.slice(1, -1);
    const d = decodeString(raw);
    const base = t.startOffset + 1;
    for (const e of d.errors) this.err(e.code, e.message, this.loc.span(base + e.start, base + e.end));
    if (!d.interpolated || d.errors.length > 0) return { kind: "str", value: d.value, raw, span };
    const parts = d.parts.map((p) =>
      typeof p === "string" ? p : ({ kind: "var", name: p.name, span: this.loc.span(base + p.start, base + p.end) } satisfies ExprVar),
    );
    return { kind: "interp", parts, raw, span };
  }

  /**
   * A capitalised resource item from its parts (`Cap:metaProp => e0 [?: e1]` or `Cap => p0 [?: p1]`):
   * a Meta param, an edge property or the `Meta =>` struct. Null when a part is incomplete;
   * undefined when the item is invalid (reported here).
   */
  capItem(
    cap: Token, metaProp: Token | undefined, e0: Expr | null | undefined, e1: Expr | null | undefined,
    p0: EdgeOrExpr | null | undefined, p1: EdgeOrExpr | null | undefined, span: Span,
  ): ResItem | null | undefined {
    const prop = cap.image.toLowerCase();
    if (metaProp !== undefined) {
      if (prop !== "meta") {
        this.err("E-PARSE-INVALID-PROPERTY", `invalid property: ${cap.image}:${metaProp.image} (only Meta takes a :param)`, this.tspan(cap));
        return undefined;
      }
      if (e0 == null || e1 === null) return null;
      return e1
        ? { kind: "meta", prop: metaProp.image, propSpan: this.tspan(metaProp), cond: e0, value: e1, span }
        : { kind: "meta", prop: metaProp.image, propSpan: this.tspan(metaProp), value: e0, span };
    }
    if (p0 == null || p1 === null) return null;
    if (EDGE_PROPS.has(prop)) {
      const edgeProp = prop as EdgeProp;
      const target = p1 ?? p0;
      if (target.edge === undefined) {
        this.err("E-PARSE-EDGE-PROPERTY", `invalid property: ${cap.image} expects a resource like Kind["name"]`, target.span);
        return undefined;
      }
      if (target.edge === null) return null;
      if (p1) {
        if (p0.expr === undefined) {
          this.err("E-PARSE-EDGE-PROPERTY", `invalid property: the condition of ${cap.image} must be an expression`, p0.span);
          return undefined;
        }
        if (p0.expr === null) return null;
        return { kind: "edge", prop: edgeProp, cond: p0.expr, target: target.edge, span };
      }
      return { kind: "edge", prop: edgeProp, target: target.edge, span };
    }
    if (prop === "meta") {
      for (const p of p1 ? [p0, p1] : [p0]) {
        if (p.expr === undefined) {
          this.err("E-PARSE-INVALID-PROPERTY", "invalid property: Meta expects a struct value, not a resource", p.span);
          return undefined;
        }
      }
      if (p0.expr == null || (p1 && p1.expr == null)) return null;
      return p1?.expr ? { kind: "metastruct", cond: p0.expr, value: p1.expr, span } : { kind: "metastruct", value: p0.expr, span };
    }
    this.err("E-PARSE-INVALID-PROPERTY", `invalid property: ${cap.image}`, this.tspan(cap));
    return undefined;
  }

  /** `Kind:Sub[name]` from its capitalised tokens (the kind is lowercased: `http:server`), from offset `start` to token `end`. */
  edgeHalf(caps: readonly Token[], name: Expr, start: number, end: Token): EdgeHalf {
    const first = caps[0] as Token;
    const last = caps[caps.length - 1] as Token;
    return { kindName: caps.map((t) => t.image.toLowerCase()).join(":"), kindSpan: this.span(first.startOffset, last), name, span: this.span(start, end) };
  }

  /** `a.b.c` from its identifier tokens and number of dots; null if incomplete. */
  dotted(ids: Token[], dots: number): string | null {
    if (ids.length === 0 || ids.length !== dots + 1) return null;
    let s = (ids[0] as Token).image;
    for (let i = 1; i < ids.length; i++) s += "." + (ids[i] as Token).image;
    return s;
  }
}
