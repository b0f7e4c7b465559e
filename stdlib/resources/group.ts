/**
 * `group` (engine-reference.md §10 "user / group"; mgmt engine/resources/group.go): a local group
 * in /etc/group, managed with `groupadd`, `groupmod` and `groupdel`.
 *
 * | param | type | default | meaning |
 * |---|---|---|---|
 * | state | str | `exists` | `exists` or `absent` |
 * | gid | int | unset | the group id (unset: any; `groupadd` picks one) |
 *
 * Watch: inotify on /etc/group. A gid owned by another group is an error (no duplicate gids).
 * Autoedges: a target only: `user` resources seek their groups by name and by gid.
 *
 * @example group "deploy" { state => "exists", gid => 2001, }
 */
import { registerKind, type AutoEdgeUid, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { watchPath } from "../../runtime/watch/index.js";
import { int, str, type Params } from "./file-params.js";
import { ACCOUNT_NAME, GROUP, MAX_ID, readGroups, shadowTool } from "./user-db.js";

export interface GroupSpec {
  readonly name: string;
  readonly state: string;
  readonly gid: number | undefined;
}

export function parseGroupSpec(name: string, p: Params): GroupSpec {
  const gid = int(p, "gid");
  return { name, state: str(p, "state", "exists"), gid: gid === undefined ? undefined : Number(gid) };
}

export function validateId(what: string, id: number | undefined): string | undefined {
  if (id !== undefined && (!Number.isInteger(id) || id < 0 || id > MAX_ID)) return `${what} must be between 0 and ${MAX_ID}`;
  return undefined;
}

export class GroupResource implements Resource {
  #ctx: ResourceContext | undefined;

  constructor(readonly s: GroupSpec) {}

  validate(): string | undefined {
    const s = this.s;
    if (!ACCOUNT_NAME.test(s.name) || s.name.length > 32) return `${JSON.stringify(s.name)} is not a valid group name`;
    if (s.state !== "exists" && s.state !== "absent") return `state must be exists or absent, not ${JSON.stringify(s.state)}`;
    return validateId("gid", s.gid);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const stop = watchPath(GROUP, () => sink.event());
    sink.event();
    return stop;
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const s = this.s;
    const log = this.#ctx!.log;
    const groups = readGroups();
    const have = groups.find((g) => g.name === s.name);
    if (s.state === "absent") {
      if (!have) return true;
      if (!apply) return false;
      log.info(`groupdel ${s.name}`);
      await shadowTool("groupdel", [s.name], signal);
      return false;
    }
    if (have && (s.gid === undefined || have.gid === s.gid)) return true;
    if (s.gid !== undefined) {
      const owner = groups.find((g) => g.gid === s.gid && g.name !== s.name);
      if (owner) throw new Error(`gid ${s.gid} belongs to group ${owner.name}`);
    }
    if (!apply) return false;
    if (!have) {
      const args = s.gid === undefined ? [s.name] : ["-g", String(s.gid), s.name];
      log.info(`groupadd ${args.join(" ")}`);
      await shadowTool("groupadd", args, signal);
    } else {
      log.info(`groupmod -g ${s.gid} ${s.name} (was ${have.gid})`);
      await shadowTool("groupmod", ["-g", String(s.gid), s.name], signal);
    }
    return false;
  }

  async cleanup(): Promise<void> {}
}

export const groupKind: KindImpl = {
  kind: "group",
  create: (name, params) => new GroupResource(parseGroupSpec(name, params)),
  autoedges(name, params) {
    const uids: AutoEdgeUid[] = [{ kind: "group", key: name }];
    try {
      const s = parseGroupSpec(name, params);
      if (s.gid !== undefined) uids.push({ kind: "group", key: String(s.gid) });
    } catch {
      // invalid params: validate reports them
    }
    return { uids, seeks: [] };
  },
};

registerKind(groupKind);
