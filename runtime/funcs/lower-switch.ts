/**
 * Structural nodes (mcl-language.md §7): the parts of the function graph that are built lazily at
 * run time and swapped when their input changes.
 *
 *  - `if` expression: cond → switch → output. The switch builds only the taken branch and rewires
 *    the output to it; when the condition flips it builds the other one and removes the old one.
 *  - `<|>`: primary → switch (a catch point) → output; the fallback exists only while the primary
 *    holds a catchable error.
 *  - `if` statement: the switch builds the taken branch's statements; its value is a func value
 *    whose `impl` is the branch's output model (lang/program-output.ts).
 *  - `for` / `forkv`: one element node and one body instance per element (by index, or by key).
 *    When the length (or the key set) changes only the instances of new elements are built and
 *    those of removed ones torn down; the element values of kept instances just flow through.
 *
 * Each build gets its own Group (torn down as a whole) and Layer (so a rebuilt body starts clean).
 * Edits go through the evaluator's transaction from inside the node (`ctx.txn()`), so the new nodes
 * join the current wave and no table mixes two structures.
 */
import type { ExprExcept, ExprIf, StmtFor, StmtIf } from "../../lang/ast.js";
import type { Scope } from "../../lang/checker/scope.js";
import type { OutProg, OutSwitch } from "../../lang/program-output.js";
import { CatchableError, funcValue, hashKey, isCatchable, printValue, sortedEntries, type MapValue, type Value } from "../../lang/values.js";
import type { NodeContext, NodeId, Result } from "./graph.js";
import { LowerError } from "./lower-direct.js";
import { Group, Layer } from "./lower-env.js";
import type { Lowerer } from "./lower.js";

/** Commit what the lowerer built, rewire `rewire`, and remove the old groups. */
function commit(lw: Lowerer, ctx: NodeContext, old: readonly Group[], rewire?: readonly [NodeId, readonly NodeId[]]): void {
  const removed: NodeId[] = [];
  for (const o of old) o.collect(removed);
  const t = ctx.txn();
  for (const spec of lw.take()) t.add(spec);
  if (rewire) t.setDeps(rewire[0], rewire[1]);
  for (const id of removed) t.remove(id);
  t.commit();
  for (const o of old) o.detach();
  lw.forget(removed);
}

const noop = (): Value => false;

export function lowerIfStmt(lw: Lowerer, s: StmtIf, sc: Scope, L: Layer, g: Group): OutSwitch {
  const info = lw.sh.elab.ifOf(s, sc);
  if (!info) throw new LowerError("internal: if statement was not type-checked");
  const cond = lw.expr(s.cond, sc, L, g);
  let cur: boolean | undefined;
  let grp: Group | undefined;
  let token: Value = false;
  const node = lw.add({
    deps: [cond],
    span: s.cond.span,
    label: "if-stmt",
    fn: ([c], ctx) => {
      const want = c === true;
      if (want === cur) return token;
      const old = grp ? [grp] : [];
      grp = new Group(g);
      const stmts = want ? s.then : s.else;
      const scope = want ? info.then : info.else;
      const out: OutProg = stmts && scope ? lw.prog(stmts, scope, new Layer(L), grp) : { items: [] };
      commit(lw, ctx, old);
      cur = want;
      token = funcValue(noop, undefined, out);
      return token;
    },
  }, g);
  return { k: "switch", node, span: s.span };
}

/** One body instance of a loop: the nodes of one element (its group) and its output model. */
interface LoopInstance {
  readonly grp: Group;
  readonly out: OutProg;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function lowerFor(lw: Lowerer, s: StmtFor, sc: Scope, L: Layer, g: Group): OutSwitch {
  const info = lw.sh.elab.forOf(s, sc);
  if (!info) throw new LowerError("internal: for statement was not type-checked");
  const keyEntry = info.loop.vars.get(s.key);
  const valEntry = info.loop.vars.get(s.val);
  if (!keyEntry || !valEntry) throw new LowerError("internal: loop variables missing");
  const coll = lw.expr(s.expr, sc, L, g);
  // Instances by hashKey of the element's key (a list's key is its index): a key that stays keeps
  // its instance, so a host joining a `forkv` over hosts builds one body, not one per host, and
  // the sources inside kept bodies stay subscribed. The instance of a key is the same as a fresh
  // build would make (its key node is that key, its value node reads that key), so the output
  // equals a from-scratch build.
  let insts = new Map<string, LoopInstance>();
  let order: string[] | undefined;
  let token: Value = false;
  const build = (k: Value, i: number): LoopInstance => {
    const grp = new Group(g);
    const layer = new Layer(L);
    const kNode = lw.constant(k, grp, s.kv ? "forkv:key" : "for:index");
    const vNode = lw.add({
      deps: [coll],
      span: s.expr.span,
      label: s.kv ? "forkv:value" : "for:value",
      fn: ([x]): Result => {
        const r = s.kv ? (x as MapValue).get(k) : (x as readonly Value[])[i];
        return r ?? new CatchableError(`internal: loop element ${printValue(k)} vanished`);
      },
    }, grp);
    layer.bind(keyEntry, kNode);
    layer.bind(valEntry, vNode);
    return { grp, out: lw.prog(s.body, info.body, layer, grp) };
  };
  const node = lw.add({
    deps: [coll],
    span: s.expr.span,
    label: s.kv ? "forkv" : "for",
    fn: ([v], ctx) => {
      const keys: Value[] = s.kv ? sortedEntries(v as MapValue).map(([k]) => k) : (v as readonly Value[]).map((_, i) => BigInt(i));
      const hashes = keys.map(hashKey);
      if (order && sameKeys(hashes, order)) return token;
      const next = new Map<string, LoopInstance>();
      const outs: OutProg[] = [];
      keys.forEach((k, i) => {
        const h = hashes[i]!;
        const inst = insts.get(h) ?? build(k, i);
        next.set(h, inst);
        outs.push(inst.out);
      });
      const gone: Group[] = [];
      for (const [h, inst] of insts) if (!next.has(h)) gone.push(inst.grp);
      commit(lw, ctx, gone);
      insts = next;
      order = hashes;
      token = funcValue(noop, undefined, outs);
      return token;
    },
  }, g);
  return { k: "switch", node, span: s.span };
}

export function lowerIfExpr(lw: Lowerer, e: ExprIf, sc: Scope, L: Layer, g: Group): NodeId {
  const cond = lw.expr(e.cond, sc, L, g);
  let cur: boolean | undefined;
  let grp: Group | undefined;
  let out = "";
  const sw = lw.add({
    deps: [cond],
    span: e.cond.span,
    label: "if-expr",
    fn: ([c], ctx) => {
      const want = c === true;
      if (want !== cur) {
        const old = grp ? [grp] : [];
        grp = new Group(g);
        const r = lw.expr(want ? e.then : e.else, sc, new Layer(L), grp);
        commit(lw, ctx, old, [out, [sw, r]]);
        cur = want;
      }
      return want;
    },
  }, g);
  out = lw.add({ deps: [sw], span: e.span, label: "if-expr:out", fn: (args) => args[1] ?? new CatchableError("internal: if expression without a branch") }, g);
  return out;
}

export function lowerExcept(lw: Lowerer, e: ExprExcept, sc: Scope, L: Layer, g: Group): NodeId {
  const primary = lw.expr(e.left, sc, L, g);
  let grp: Group | undefined;
  let out = "";
  const sw = lw.add({
    deps: [primary],
    span: e.span,
    label: "except",
    catches: true,
    fn: ([a], ctx) => {
      const bad = isCatchable(a);
      if (bad && !grp) {
        grp = new Group(g);
        const r = lw.expr(e.right, sc, new Layer(L), grp);
        commit(lw, ctx, [], [out, [sw, r]]);
      } else if (!bad && grp) {
        const old = grp;
        grp = undefined;
        commit(lw, ctx, [old], [out, [sw, primary]]);
      }
      return bad ? "fallback" : "primary";
    },
  }, g);
  out = lw.add({ deps: [sw, primary], span: e.span, label: "except:out", fn: (args) => args[1]! }, g);
  return out;
}
