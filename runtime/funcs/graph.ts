/**
 * The function graph as the evaluator sees it: node specs (what the lowering produces) and the
 * transaction API used to change the graph between waves or from inside a structural node
 * (mcl-language.md §7 "Txn: AddVertex/AddEdge/…/Commit/Reverse").
 */
import type { Observable } from "rxjs";
import type { Span } from "../../lang/ast.js";
import type { CatchableError, Value } from "../../lang/values.js";

export type NodeId = string;

/** What a node produces: a value, or a catchable error that flows downstream in its place. */
export type Result = Value | CatchableError;

/** Handed to every `fn`: lets structural nodes (if/call/for/except) edit the graph mid-wave. */
export interface NodeContext {
  readonly id: NodeId;
  /** A transaction applied as soon as `commit()` is called; new and rewired nodes join the current wave. */
  txn(): Txn;
}

interface NodeCommon {
  readonly id: NodeId;
  /** Inputs, positional. The same dep may appear twice (`$now - $now`). */
  readonly deps?: readonly NodeId[];
  /** Reported with runtime diagnostics. */
  readonly span?: Span;
  /** For debugging and messages, e.g. `call:len`. */
  readonly label?: string;
}

/**
 * A computing node. Called only when one of its inputs changed (memoised). Return or throw a
 * `CatchableError` for a catchable failure; anything else thrown is fatal and stops the engine.
 * If an input is a catchable error the call is skipped and the error is forwarded, unless
 * `catches` is set (an except node), in which case `fn` receives the errors as arguments.
 */
export interface FnNodeSpec extends NodeCommon {
  readonly fn: (args: readonly Result[], ctx: NodeContext) => Result;
  readonly catches?: boolean;
}

/**
 * A source node. `source` with no deps, or `stream(args)` which is (re)subscribed whenever the
 * inputs change (e.g. `os.readfile($path)`); until the new stream emits the node is unloaded, so
 * no table mixes new inputs with a stale output. An Observable `error` is fatal.
 */
export interface SourceNodeSpec extends NodeCommon {
  readonly source?: Observable<Result>;
  readonly stream?: (args: readonly Value[]) => Observable<Result>;
}

export interface ConstNodeSpec extends NodeCommon {
  readonly value: Value;
}

export type NodeSpec = FnNodeSpec | SourceNodeSpec | ConstNodeSpec;

/**
 * A batch of graph edits, applied atomically by `commit()` (all or nothing). Adding an id that
 * exists only takes a reference; `remove` drops one, and the node goes (its stream unsubscribed)
 * when the last reference is dropped. Removing a node that a surviving node still uses is an error.
 */
export interface Txn {
  add(spec: NodeSpec): Txn;
  remove(id: NodeId): Txn;
  /** Rewire a node's inputs (an `OutputFunc` switching to a new body); the node recomputes. */
  setDeps(id: NodeId, deps: readonly NodeId[]): Txn;
  /** Apply; throws `GraphError` (cycle, unknown dep, node in use) and leaves the graph unchanged. Returns the reversal. */
  commit(): () => void;
}

/** A structurally invalid edit. Not a runtime diagnostic: the lowering produced a bad graph. */
export class GraphError extends Error {
  override readonly name = "GraphError";
}
