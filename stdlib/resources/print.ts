/**
 * `print` (engine-reference.md §10, resource-kinds-test.md): logs `msg`. Groupable, recvable,
 * refreshable; not sendable.
 *
 * A message is displayed when it differs from the last one this instance displayed (so on the
 * first run, and after a received `msg` changed it) or when a refresh arrives; with
 * `refresh_only` it is displayed only on refresh. Displaying returns `false` (a change, which
 * notifies children) and pokes the watch so a second pass confirms the state with `true`, as mgmt
 * does. In noop mode nothing is displayed and the result is `false`.
 *
 * Grouping (§2.6): any two prints group unless either is `refresh_only`; the grouped vertex
 * displays each member that needs it, in member order. Received values apply to the vertex's own
 * member (the engine's `recv()` is per vertex).
 *
 * @example print "hello" { msg => "hello world", }
 */
import { registerKind, type GroupMember, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { boolField, strField, withReceived, type Params } from "./param-fields.js";

interface Member {
  readonly name: string;
  readonly base: Params;
  msg: string;
  refreshOnly: boolean;
  /** What this instance displayed last; `undefined` before the first display. */
  shown: string | undefined;
}

export class PrintResource implements Resource {
  readonly #members: Member[];
  #ctx: ResourceContext | undefined;
  #sink: WatchSink | undefined;

  constructor(members: readonly GroupMember[]) {
    this.#members = members.map((m) => ({
      name: m.name,
      base: m.params,
      msg: strField(m.params, "msg"),
      refreshOnly: boolField(m.params, "refresh_only"),
      shown: undefined,
    }));
  }

  /** The current message of each member (after received values). */
  get messages(): readonly string[] {
    return this.#members.map((m) => m.msg);
  }

  validate(): string | undefined {
    return undefined;
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }
  async watch(sink: WatchSink): Promise<() => void> {
    this.#sink = sink;
    sink.event();
    return () => {
      this.#sink = undefined;
    };
  }

  async checkApply(apply: boolean, _signal?: AbortSignal): Promise<boolean> {
    const ctx = this.#ctx;
    const own = this.#members[0];
    if (own && ctx) {
      const p = withReceived(own.base, ctx);
      own.msg = strField(p, "msg");
      own.refreshOnly = boolField(p, "refresh_only");
      if (ctx.recv().get("msg")?.changed) ctx.log.debug(`received msg ${JSON.stringify(own.msg)}`);
    }
    const refresh = ctx?.refresh() ?? false;
    const due = this.#members.filter((m) => (m.refreshOnly ? refresh : refresh || m.shown !== m.msg));
    if (due.length === 0) return true;
    if (!apply) return false;
    for (const m of due) {
      ctx?.log.info(m === own ? `msg: ${m.msg}` : `print[${m.name}] msg: ${m.msg}`);
      m.shown = m.msg;
    }
    // mgmt: self-poke so the next pass sees the settled state (true) and the converger can count it.
    this.#sink?.event();
    return false;
  }

  async cleanup(): Promise<void> {}
}

export const printKind: KindImpl = {
  kind: "print",
  create: (name, params) => new PrintResource([{ name, params }]),
  refreshable: true,
  recvable: true,
  groupCmp: (a, b) => !boolField(a.params, "refresh_only") && !boolField(b.params, "refresh_only"),
  createGroup: (members) => new PrintResource(members),
};

registerKind(printKind);
