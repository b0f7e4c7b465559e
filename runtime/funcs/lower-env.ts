/**
 * Run-time environments of the lowering.
 *
 * A `Layer` maps the checker's variable entries (lang/checker/scope.ts; one entry per checked
 * instance) to function-graph nodes. The checker already made every func call and include its own
 * instance, so one layer serves a whole program; only things that the checker types once but that
 * run many times get a child layer: each `for` iteration, each instantiated lambda call, and each
 * build of an `if` branch (so a rebuilt branch starts clean). Lookups walk up the layers.
 *
 * Binds are lazy (`thunk`): a bind's node is built on first reference, in the layer and group of
 * its prog (so it is shared by every reference, §6.4), and a bind nobody reaches at run time is
 * never built (its errors or sources must not affect the program, §3.1).
 *
 * A `Group` owns the nodes built for one instance; structural nodes tear down a whole subtree of
 * groups when a branch or loop body is rebuilt.
 */
import type { Scope, VarEntry } from "../../lang/checker/scope.js";
import type { NodeId } from "./graph.js";

export class Group {
  readonly ids: NodeId[] = [];
  /** pure builtin calls of this group by function, type and input nodes (lower.ts `builtin`) */
  readonly pure = new Map<string, NodeId>();
  private readonly children = new Set<Group>();
  constructor(readonly parent?: Group) {
    parent?.children.add(this);
  }
  /** Every node of this group and its descendants (descendants first). */
  collect(out: NodeId[] = []): NodeId[] {
    for (const c of this.children) c.collect(out);
    for (let i = this.ids.length - 1; i >= 0; i--) out.push(this.ids[i]!);
    return out;
  }
  /** Forget this group (after its nodes were removed). */
  detach(): void {
    this.parent?.children.delete(this);
  }
}

type Slot = { readonly k: "node"; readonly id: NodeId } | { readonly k: "thunk"; readonly build: () => NodeId; busy: boolean };

export class Layer {
  private readonly slots = new Map<VarEntry, Slot>();
  /** prog/param scopes whose entries are registered here */
  readonly registered = new Set<Scope>();
  constructor(readonly parent?: Layer) {}

  bind(entry: VarEntry, id: NodeId): void {
    this.slots.set(entry, { k: "node", id });
  }
  lazy(entry: VarEntry, build: () => NodeId): void {
    this.slots.set(entry, { k: "thunk", build, busy: false });
  }

  /** The node of `entry`, building a lazy bind on first use; undefined when no layer knows it. */
  lookup(entry: VarEntry): NodeId | undefined {
    for (let l: Layer | undefined = this; l; l = l.parent) {
      const s = l.slots.get(entry);
      if (!s) continue;
      if (s.k === "node") return s.id;
      if (s.busy) throw new Error("internal: cyclic bind while lowering");
      s.busy = true;
      const id = s.build();
      l.slots.set(entry, { k: "node", id });
      return id;
    }
    return undefined;
  }

  root(): Layer {
    let l: Layer = this;
    while (l.parent) l = l.parent;
    return l;
  }
}
