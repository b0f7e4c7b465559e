/**
 * `noop` (engine-reference.md §10; mgmt engine/resources/noop.go): does nothing and is always in
 * its desired state. Refreshable (it logs the notification) and groupable: every noop groups with
 * every other noop (§2.6), so a grouped vertex stands for all of its members.
 *
 * @example noop "wait-here" { comment => "an anchor for edges", }
 */
import { registerKind, type GroupMember, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { startupOnlyWatch, strField, type Params } from "./param-fields.js";

export class NoopResource implements Resource {
  #ctx: ResourceContext | undefined;
  /** The comment of each member (one for an ungrouped noop); documentation only. */
  readonly comments: readonly string[];

  constructor(
    readonly names: readonly string[],
    params: readonly Params[],
  ) {
    this.comments = params.map((p) => strField(p, "comment"));
  }

  validate(): string | undefined {
    return undefined;
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }
  watch(sink: WatchSink): Promise<() => void> {
    return startupOnlyWatch(sink);
  }
  async checkApply(_apply?: boolean, _signal?: AbortSignal): Promise<boolean> {
    // mgmt: "received a notification!"; the state is always okay, so a refresh changes nothing.
    if (this.#ctx?.refresh()) this.#ctx.log.info(this.names.length > 1 ? `received a notification (grouped: ${this.names.join(", ")})` : "received a notification");
    return true;
  }
  async cleanup(): Promise<void> {}
}

export const noopKind: KindImpl = {
  kind: "noop",
  create: (name, params) => new NoopResource([name], [params]),
  refreshable: true,
  groupCmp: (_a: GroupMember, _b: GroupMember) => true,
  createGroup: (members) => new NoopResource(members.map((m) => m.name), members.map((m) => m.params)),
};

registerKind(noopKind);
