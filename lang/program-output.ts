/**
 * The output model of a lowered program (mcl-language.md §9 step 1): for every statement instance
 * that produces output, which function-graph node holds each value. Interpret reads it together
 * with a table; it is a pure function of (model, table).
 *
 * The parts that change shape at run time (`if` branches, `for` bodies) are `switch` items: the
 * structural node's value in the table is a func value whose `impl` is the currently built
 * `OutProg` (if) or `OutProg[]` (for/forkv), so a table always names the structure it belongs to.
 */
import type { EdgeProp, Span, StmtEdge, StmtRes } from "./ast.js";
import type { CatchableError, Value } from "./values.js";

/** A function-graph node id. */
export type NodeRef = string;

/** What interpret needs from a table (runtime/funcs/table.ts `Table` satisfies it). */
export interface ValueLookup {
  result(id: NodeRef): Value | CatchableError | undefined;
}

export interface OutField {
  readonly name: string;
  readonly cond?: NodeRef;
  readonly value: NodeRef;
  readonly span: Span;
}

export interface OutEdgeItem {
  readonly prop: EdgeProp;
  readonly cond?: NodeRef;
  readonly kind: string;
  readonly name: NodeRef;
  readonly span: Span;
}

export interface OutMeta {
  /** undefined for `Meta => struct{…}` */
  readonly prop?: string;
  readonly cond?: NodeRef;
  readonly value: NodeRef;
  readonly span: Span;
}

export interface OutRes {
  readonly k: "res";
  readonly stmt: StmtRes;
  /** the name (str or []str), or for `collect` the `_collect` node ([]struct{name; host; data}) */
  readonly name: NodeRef;
  readonly fields: readonly OutField[];
  readonly edges: readonly OutEdgeItem[];
  readonly metas: readonly OutMeta[];
}

export interface OutHalf {
  readonly kind: string;
  readonly name: NodeRef;
  readonly field?: string;
  readonly span: Span;
}

export interface OutEdge {
  readonly k: "edge";
  readonly stmt: StmtEdge;
  readonly halves: readonly OutHalf[];
}

/** An `if` statement or a loop: see the file comment. */
export interface OutSwitch {
  readonly k: "switch";
  readonly node: NodeRef;
  readonly span: Span;
}

/** An include: the class body instance. */
export interface OutInclude {
  readonly k: "prog";
  readonly prog: OutProg;
}

export type OutItem = OutRes | OutEdge | OutSwitch | OutInclude;

export interface OutProg {
  readonly items: readonly OutItem[];
}
