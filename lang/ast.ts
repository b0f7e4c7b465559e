/**
 * The mcl abstract syntax tree. Every node carries a source span. The parser produces it
 * (lang/parse.ts); string escapes and `${}` interpolation are already resolved by the parser
 * (ExprStr holds the decoded value, ExprInterp the pieces), so later phases never re-lex.
 *
 * Nodes are plain readonly objects discriminated by `kind`. Wrapper nodes that matter for the
 * formatter (ExprParen) are kept; the checker treats them as transparent, except for the
 * `a->f <|> d` rule (§2.1): the parser turns the unparenthesised form into ExprField with a
 * `default`, and leaves `(a->f) <|> d` as ExprExcept.
 */

/** A position: 1-based line, 1-based column (characters, a tab is one column), 0-based offset. */
export interface Pos {
  readonly line: number;
  readonly col: number;
  readonly offset: number;
}

/** A source range. `end` is exclusive: one past the last character. */
export interface Span {
  readonly file: string;
  readonly start: Pos;
  readonly end: Pos;
}

// ---------------------------------------------------------------------------------------------
// Types as written in source (`$x []str = …`, `func($a int) str {…}`).

export type TypeAst =
  | { readonly kind: "tprim"; readonly name: "bool" | "str" | "int" | "float" | "variant"; readonly span: Span }
  | { readonly kind: "tlist"; readonly elem: TypeAst; readonly span: Span }
  | { readonly kind: "tmap"; readonly key: TypeAst; readonly val: TypeAst; readonly span: Span }
  | { readonly kind: "tstruct"; readonly fields: readonly TypeField[]; readonly span: Span }
  | {
      readonly kind: "tfunc";
      /** `name` is the param name without `$`, when written (`func($a int) str`). */
      readonly params: readonly { readonly name?: string; readonly type: TypeAst; readonly span: Span }[];
      readonly ret: TypeAst;
      readonly multiline: boolean;
      readonly span: Span;
    };

export interface TypeField {
  readonly name: string;
  readonly type: TypeAst;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type BinOp = "+" | "-" | "*" | "/" | "==" | "!=" | "<" | ">" | "<=" | ">=" | "and" | "or" | "in";

export interface ExprBool { readonly kind: "bool"; readonly value: boolean; readonly span: Span }
/** int64 literal; `raw` is the source text (e.g. `-013`). */
export interface ExprInt { readonly kind: "int"; readonly value: bigint; readonly raw: string; readonly span: Span }
export interface ExprFloat { readonly kind: "float"; readonly value: number; readonly raw: string; readonly span: Span }
/** A string without interpolation. `value` is decoded; `raw` is the body between the quotes as written. */
export interface ExprStr { readonly kind: "str"; readonly value: string; readonly raw: string; readonly span: Span }
/**
 * A string with at least one `${name}`: decoded literal pieces and variable references, in order
 * (adjacent literals merged, empty literals dropped). `"${x}"` alone is `parts: [ExprVar]`.
 * Semantically the right fold of `concat` (§1.4); every var must be str.
 */
export interface ExprInterp {
  readonly kind: "interp";
  readonly parts: readonly (string | ExprVar)[];
  readonly raw: string;
  readonly span: Span;
}
export interface ExprList { readonly kind: "list"; readonly items: readonly Expr[]; readonly multiline: boolean; readonly span: Span }
export interface MapEntry { readonly key: Expr; readonly value: Expr; readonly span: Span }
export interface ExprMap { readonly kind: "map"; readonly entries: readonly MapEntry[]; readonly multiline: boolean; readonly span: Span }
export interface StructEntry { readonly name: string; readonly value: Expr; readonly span: Span }
export interface ExprStruct { readonly kind: "struct"; readonly fields: readonly StructEntry[]; readonly multiline: boolean; readonly span: Span }
/** `$name`; `name` is the dotted name without `$` (`x`, `i1.x`, `const.res.file.state.exists`). */
export interface ExprVar { readonly kind: "var"; readonly name: string; readonly span: Span }

/** A lambda or function parameter: `$name [type]`. */
export interface Param { readonly name: string; readonly type?: TypeAst; readonly span: Span }

export interface ExprLambda {
  readonly kind: "lambda";
  readonly params: readonly Param[];
  readonly paramsMultiline: boolean;
  readonly ret?: TypeAst;
  readonly body: Expr;
  readonly span: Span;
}

/** What is being called: a function name (`f`, `fmt.printf`), a variable holding a function value, or an inline lambda. */
export type Callee =
  | { readonly kind: "name"; readonly name: string; readonly span: Span }
  | ExprVar
  | ExprLambda;

export interface ExprCall {
  readonly kind: "call";
  readonly callee: Callee;
  readonly args: readonly Expr[];
  readonly multiline: boolean;
  readonly span: Span;
}

export interface ExprIf { readonly kind: "if"; readonly cond: Expr; readonly then: Expr; readonly else: Expr; readonly span: Span }
export interface ExprBinary { readonly kind: "binary"; readonly op: BinOp; readonly left: Expr; readonly right: Expr; readonly opSpan: Span; readonly span: Span }
export interface ExprNot { readonly kind: "not"; readonly operand: Expr; readonly span: Span }
/** `a <|> b` — the runtime except operator. */
export interface ExprExcept { readonly kind: "except"; readonly left: Expr; readonly right: Expr; readonly span: Span }
/** `a[i]` */
export interface ExprIndex { readonly kind: "index"; readonly target: Expr; readonly index: Expr; readonly span: Span }
/** `a->f`, or with `default` the static optional lookup `a->f <|> d`. */
export interface ExprField {
  readonly kind: "field";
  readonly target: Expr;
  readonly field: string;
  readonly fieldSpan: Span;
  readonly default?: Expr;
  readonly span: Span;
}
export interface ExprParen { readonly kind: "paren"; readonly inner: Expr; readonly span: Span }

export type Expr =
  | ExprBool
  | ExprInt
  | ExprFloat
  | ExprStr
  | ExprInterp
  | ExprList
  | ExprMap
  | ExprStruct
  | ExprVar
  | ExprLambda
  | ExprCall
  | ExprIf
  | ExprBinary
  | ExprNot
  | ExprExcept
  | ExprIndex
  | ExprField
  | ExprParen;

// ---------------------------------------------------------------------------------------------
// Statements

export type EdgeProp = "before" | "depend" | "notify" | "listen";

/** `Kind:Sub["name"]` or, in a send/recv edge, `Kind["name"].field`. `kindName` is lowercased (`http:server:flag`). */
export interface EdgeHalf {
  readonly kindName: string;
  readonly kindSpan: Span;
  readonly name: Expr;
  readonly field?: string;
  readonly fieldSpan?: Span;
  readonly span: Span;
}

/** `field => value,` or `field => cond ?: value,` */
export interface ResField { readonly kind: "field"; readonly name: string; readonly nameSpan: Span; readonly cond?: Expr; readonly value: Expr; readonly span: Span }
/** `Before => Kind[n],` (optionally `cond ?: Kind[n]`). */
export interface ResEdge { readonly kind: "edge"; readonly prop: EdgeProp; readonly cond?: Expr; readonly target: EdgeHalf; readonly span: Span }
/** `Meta:prop => value,` */
export interface ResMeta { readonly kind: "meta"; readonly prop: string; readonly propSpan: Span; readonly cond?: Expr; readonly value: Expr; readonly span: Span }
/** `Meta => struct{…},` */
export interface ResMetaStruct { readonly kind: "metastruct"; readonly cond?: Expr; readonly value: Expr; readonly span: Span }
export type ResItem = ResField | ResEdge | ResMeta | ResMetaStruct;

export interface StmtBind { readonly kind: "bind"; readonly name: string; readonly nameSpan: Span; readonly type?: TypeAst; readonly value: Expr; readonly span: Span }
/** `kind NAME { … }`, or with `collect: true` the `collect kind NAME { … }` statement. */
export interface StmtRes {
  readonly kind: "res";
  readonly collect: boolean;
  readonly kindName: string;
  readonly kindSpan: Span;
  readonly name: Expr;
  readonly items: readonly ResItem[];
  readonly span: Span;
}
/** `A[n] -> B[m] -> …` (≥1 halves parse; one half is a type error), or a send/recv pair when both halves have `field`. */
export interface StmtEdge { readonly kind: "edge"; readonly halves: readonly EdgeHalf[]; readonly span: Span }
export interface StmtIf { readonly kind: "if"; readonly cond: Expr; readonly then: readonly Stmt[]; readonly else?: readonly Stmt[]; readonly span: Span }
/** `for $k, $v in expr { … }` (kv false) or `forkv $k, $v in expr { … }` (kv true). */
export interface StmtFor {
  readonly kind: "for";
  readonly kv: boolean;
  readonly key: string;
  readonly keySpan: Span;
  readonly val: string;
  readonly valSpan: Span;
  readonly expr: Expr;
  readonly body: readonly Stmt[];
  readonly span: Span;
}
export interface StmtFunc {
  readonly kind: "func";
  readonly name: string;
  readonly nameSpan: Span;
  readonly params: readonly Param[];
  readonly paramsMultiline: boolean;
  readonly ret?: TypeAst;
  readonly body: Expr;
  readonly span: Span;
}
/** `class name [(params)] { … }`; `name` may be a colon name (`base:inner`) before nesting is resolved by the checker. `params` is undefined when no parentheses were written. */
export interface StmtClass {
  readonly kind: "class";
  readonly name: string;
  readonly nameSpan: Span;
  readonly params?: readonly Param[];
  readonly paramsMultiline: boolean;
  readonly body: readonly Stmt[];
  readonly span: Span;
}
/** `include name[(args)] [as alias]`; `name` is dotted. `args` is undefined when no parentheses were written. */
export interface StmtInclude {
  readonly kind: "include";
  readonly name: string;
  readonly nameSpan: Span;
  readonly args?: readonly Expr[];
  readonly argsMultiline: boolean;
  readonly alias?: string;
  readonly span: Span;
}
/** `import "path" [as alias|*]`; `path` is the raw string body (never interpolated). */
export interface StmtImport { readonly kind: "import"; readonly path: string; readonly pathSpan: Span; readonly alias?: string; readonly span: Span }
/** `panic(x)` or `panic(x, msg)`. */
export interface StmtPanic { readonly kind: "panic"; readonly args: readonly Expr[]; readonly span: Span }

export type Stmt = StmtBind | StmtRes | StmtEdge | StmtIf | StmtFor | StmtFunc | StmtClass | StmtInclude | StmtImport | StmtPanic;

/** A `#` comment, kept for the formatter. `text` includes the leading `#`. */
export interface Comment { readonly text: string; readonly span: Span }

/** One parsed file. */
export interface Prog {
  readonly file: string;
  readonly stmts: readonly Stmt[];
  readonly comments: readonly Comment[];
}

export function assertNever(x: never): never {
  throw new Error(`unexpected AST node: ${JSON.stringify(x)}`);
}
