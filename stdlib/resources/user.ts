/**
 * `user` (engine-reference.md §10 "user / group"; mgmt engine/resources/user.go): a local account
 * in /etc/passwd, managed with `useradd`, `usermod` and `userdel`.
 *
 * | param | type | default | meaning |
 * |---|---|---|---|
 * | state | str | `exists` | `exists` or `absent` |
 * | uid | int | unset | user id (unset: any) |
 * | gid | int | unset | primary group by id (not with `group`) |
 * | group | str | unset | primary group by name (not with `gid`) |
 * | groups | []str | unset | supplementary groups, exactly (compared only when set) |
 * | homedir | str | unset | home directory (not created: `useradd` without `-m`, as mgmt) |
 * | shell | str | unset | login shell |
 * | allowduplicateuid | bool | false | allow a uid another user has (`--non-unique`) |
 *
 * Unset fields are not managed. A new user without `group`/`gid` gets what `useradd` gives it (on
 * Debian a group of its own name). A requested uid owned by another user is an error unless
 * `allowduplicateuid`. `userdel` does not remove the home directory.
 *
 * Watch: inotify on /etc/passwd and /etc/group (supplementary groups live there).
 * Autoedges: the `group` resources of its primary group (name or gid) and each supplementary group
 * run before the user when it exists, after it when it is absent (a group can't be deleted while
 * it is someone's primary group).
 *
 * @example user "deploy" { state => "exists", group => "deploy", groups => ["adm",], shell => "/bin/bash", }
 */
import { registerKind, type AutoEdgeUid, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { watchPath } from "../../runtime/watch/index.js";
import { bool, int, optStr, str, strList, type Params } from "./file-params.js";
import { validateId } from "./group.js";
import { ACCOUNT_NAME, GROUP, PASSWD, readGroups, readPasswd, shadowTool } from "./user-db.js";

export interface UserSpec {
  readonly name: string;
  readonly state: string;
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  readonly group: string | undefined;
  readonly groups: readonly string[] | undefined;
  readonly homedir: string | undefined;
  readonly shell: string | undefined;
  readonly allowduplicateuid: boolean;
}

export function parseUserSpec(name: string, p: Params): UserSpec {
  const num = (k: string): number | undefined => {
    const v = int(p, k);
    return v === undefined ? undefined : Number(v);
  };
  return {
    name,
    state: str(p, "state", "exists"),
    uid: num("uid"),
    gid: num("gid"),
    group: optStr(p, "group"),
    groups: p["groups"] === undefined ? undefined : strList(p, "groups"),
    homedir: optStr(p, "homedir"),
    shell: optStr(p, "shell"),
    allowduplicateuid: bool(p, "allowduplicateuid"),
  };
}

export class UserResource implements Resource {
  #ctx: ResourceContext | undefined;

  constructor(readonly s: UserSpec) {}

  validate(): string | undefined {
    const s = this.s;
    if (!ACCOUNT_NAME.test(s.name) || s.name.length > 32) return `${JSON.stringify(s.name)} is not a valid user name`;
    if (s.state !== "exists" && s.state !== "absent") return `state must be exists or absent, not ${JSON.stringify(s.state)}`;
    if (s.gid !== undefined && s.group !== undefined) return "set either gid or group, not both";
    if (s.group === "") return "group must not be empty";
    for (const g of s.groups ?? []) if (!ACCOUNT_NAME.test(g)) return `${JSON.stringify(g)} is not a valid group name`;
    if (s.homedir !== undefined && !s.homedir.startsWith("/")) return "homedir must be an absolute path";
    if (s.shell !== undefined && s.shell.includes(":")) return "shell must not contain `:`";
    return validateId("uid", s.uid) ?? validateId("gid", s.gid);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const stops = [watchPath(PASSWD, () => sink.event()), watchPath(GROUP, () => sink.event())];
    sink.event();
    return () => {
      for (const s of stops) s();
    };
  }

  /** `usermod`/`useradd` flags for what differs (all of the managed fields for a new user). */
  #diff(have: ReturnType<typeof readPasswd>[number] | undefined): { args: string[]; what: string[] } {
    const s = this.s;
    const groups = readGroups();
    const args: string[] = [];
    const what: string[] = [];
    if (s.uid !== undefined && have?.uid !== s.uid) {
      const owner = readPasswd().find((u) => u.uid === s.uid && u.name !== s.name);
      if (owner && !s.allowduplicateuid) throw new Error(`uid ${s.uid} belongs to user ${owner.name} (set allowduplicateuid => true to share it)`);
      args.push("-u", String(s.uid));
      if (s.allowduplicateuid) args.push("-o");
      what.push(`uid ${have?.uid ?? "-"} → ${s.uid}`);
    }
    if (s.group !== undefined || s.gid !== undefined) {
      const want = s.gid ?? groups.find((g) => g.name === s.group)?.gid;
      if (want === undefined || have?.gid !== want) {
        args.push("-g", s.group ?? String(s.gid));
        what.push(`primary group → ${s.group ?? s.gid}`);
      }
    }
    if (s.groups !== undefined) {
      const cur = groups.filter((g) => g.members.includes(s.name)).map((g) => g.name).sort();
      const want = [...new Set(s.groups)].sort();
      if (have === undefined || cur.join(",") !== want.join(",")) {
        if (have !== undefined || want.length > 0) args.push("-G", want.join(","));
        what.push(`groups [${cur.join(",")}] → [${want.join(",")}]`);
      }
    }
    if (s.homedir !== undefined && have?.home !== s.homedir) {
      args.push("-d", s.homedir);
      what.push(`home → ${s.homedir}`);
    }
    if (s.shell !== undefined && have?.shell !== s.shell) {
      args.push("-s", s.shell);
      what.push(`shell → ${s.shell}`);
    }
    return { args, what };
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const s = this.s;
    const log = this.#ctx!.log;
    const have = readPasswd().find((u) => u.name === s.name);
    if (s.state === "absent") {
      if (!have) return true;
      if (!apply) return false;
      log.info(`userdel ${s.name}`);
      await shadowTool("userdel", [s.name], signal);
      return false;
    }
    const { args, what } = this.#diff(have);
    if (have && args.length === 0) return true;
    if (!apply) {
      log.info(have ? `would change ${what.join(", ")}` : "would create the user");
      return false;
    }
    if (!have) {
      log.info(`useradd ${[...args, s.name].join(" ")}`);
      await shadowTool("useradd", [...args, s.name], signal);
    } else {
      log.info(`usermod ${[...args, s.name].join(" ")} (${what.join(", ")})`);
      await shadowTool("usermod", [...args, s.name], signal);
    }
    return false;
  }

  async cleanup(): Promise<void> {}
}

export const userKind: KindImpl = {
  kind: "user",
  create: (name, params) => new UserResource(parseUserSpec(name, params)),
  autoedges(name, params) {
    const uids: AutoEdgeUid[] = [{ kind: "user", key: name }];
    let s: UserSpec;
    try {
      s = parseUserSpec(name, params);
    } catch {
      return { uids, seeks: [] };
    }
    if (s.uid !== undefined) uids.push({ kind: "user", key: String(s.uid) });
    const group = (key: string): AutoEdgeUid => ({ kind: "group", key });
    const seeks: AutoEdgeUid[][] = [];
    if (s.group !== undefined) seeks.push([group(s.group)]);
    if (s.gid !== undefined) seeks.push([group(String(s.gid))]);
    for (const g of s.groups ?? []) seeks.push([group(g)]);
    return { uids, seeks, before: s.state !== "absent" };
  },
};

registerKind(userKind);
