/**
 * The `mount` kind (engine-reference.md §10 "mount"): a filesystem mounted at the mount point the
 * resource is named after, and its `/etc/fstab` entry. mgmt mounts through systemd (daemon-reload,
 * restart `local-fs.target`); Steward must also work where systemd is not PID 1 (containers, this
 * project's CI), so it uses util-linux directly: `mount(8)` and `umount(8)`.
 *
 * checkApply, `state => "exists"`: the fstab holds exactly one entry for the mount point, with
 * `device`, `type`, `options`, `freq` and `passno` (any other entries for it are replaced; every
 * other line is kept); then, when nothing is mounted there, `mount --fstab <fstab> <mount point>`
 * mounts it from that entry. `state => "absent"`: unmounted (`umount`) and the entry removed. What
 * is already mounted is not compared with the params (a change takes effect at the next mount).
 *
 * Watch: the fstab through the shared watcher, and the mount table through one shared
 * `findmnt --poll` child (mount-watch.ts), so a mount point unmounted by hand is mounted again at
 * once. Autoedges: the `file` resources of the mount point directory and of a device file (a loop
 * image) run first.
 *
 * ```mcl
 * mount "/mnt/scratch" { state => "exists", device => "tmpfs", type => "tmpfs", options => {"size" => "64m"}, }
 * ```
 */
import { stat } from "node:fs/promises";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { DEFAULT_PATH, runCommand } from "./exec-run.js";
import { readTextOrUndefined, watchTextFile, writeText } from "./line-file.js";
import { editFstab, mountAt, parseMount, validateMount, type MountInfo, type MountSpec } from "./mount-spec.js";
import { watchMounts } from "./mount-watch.js";
import type { Params } from "./param-fields.js";

/** The two tables; tests keep the defaults and run in a private mount namespace. */
export interface MountHost {
  readonly fstab: string;
  readonly mountinfo: string;
}

export const SYSTEM_MOUNT_HOST: MountHost = { fstab: "/etc/fstab", mountinfo: "/proc/self/mountinfo" };

/** Bound on one mount(8)/umount(8) run; a hung network mount must not hold the vertex forever. */
const COMMAND_TIMEOUT_MS = 60_000;

export class MountResource implements Resource {
  readonly spec: MountSpec;
  #ctx: ResourceContext | undefined;

  constructor(
    private readonly name: string,
    private readonly params: Params,
    readonly host: MountHost = SYSTEM_MOUNT_HOST,
  ) {
    this.spec = parseMount(name, params);
  }

  validate(): string | undefined {
    return validateMount(this.name, this.params);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  async #mounted(): Promise<MountInfo | undefined> {
    return mountAt((await readTextOrUndefined(this.host.mountinfo)) ?? "", this.spec.target);
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const before = await this.#mounted();
    const target = this.spec.target;
    const mounts = watchMounts(
      (ev) => {
        if (ev.target === target || ev.oldTarget === target) sink.event();
      },
      (e) => sink.error(e),
    );
    let stopped = false;
    const stopFstab = await watchTextFile(this.host.fstab, () => sink.event(), (e) => sink.error(e));
    sink.event();
    // A change between our first look and findmnt's first poll(2) would be lost: look again.
    void mounts.ready.then(async () => {
      const now = await this.#mounted().catch(() => undefined);
      if (!stopped && JSON.stringify(now) !== JSON.stringify(before)) sink.event();
    });
    return () => {
      stopped = true;
      mounts.stop();
      stopFstab();
    };
  }

  async #run(cmd: string, args: readonly string[], signal: AbortSignal): Promise<void> {
    const r = await runCommand({ file: cmd, args, env: { PATH: DEFAULT_PATH, LC_ALL: "C" }, stopSignal: "SIGTERM" }, { timeoutMs: COMMAND_TIMEOUT_MS, signal });
    if (r.code !== 0) {
      // util-linux says "mount: <target>: <reason>"; keep the reason
      const last = r.output.trim().split("\n").at(-1) || `exit ${r.code ?? r.signal}`;
      const why = last.replace(/^u?mount: /, "").replace(`${this.spec.target}: `, "");
      throw new Error(`${cmd} ${this.spec.target} failed: ${why}`);
    }
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const s = this.spec;
    const log = this.#ctx?.log;
    let ok = true;

    // unmount before the entry goes, so a failed umount leaves fstab describing what is mounted
    if (s.state === "absent" && (await this.#mounted()) !== undefined) {
      ok = false;
      if (apply) {
        await this.#run("umount", [s.target], signal);
        log?.info(`unmounted ${s.target}`);
      }
    }

    const fstab = (await readTextOrUndefined(this.host.fstab)) ?? "";
    const next = editFstab(fstab, s);
    if (next !== undefined) {
      ok = false;
      if (apply) {
        await writeText(this.host.fstab, next).catch((e: NodeJS.ErrnoException) => {
          throw new Error(`can't write ${this.host.fstab}: ${e.code ?? e.message}`);
        });
        log?.info(s.state === "exists" ? `${this.host.fstab}: entry for ${s.target} written` : `${this.host.fstab}: entry for ${s.target} removed`);
      }
    }

    // Whatever is mounted there counts: comparing device or type would unmount a user's data on a
    // false difference (an `nfs` entry mounts as `nfs4`, an image file shows as /dev/loopN).
    if (s.state === "exists" && (await this.#mounted()) === undefined) {
      ok = false;
      if (apply) {
        const dir = await stat(s.target).catch(() => undefined);
        if (!dir?.isDirectory()) throw new Error(`the mount point ${s.target} is not a directory`);
        await this.#run("mount", ["--fstab", this.host.fstab, s.target], signal);
        log?.info(`mounted ${s.device} on ${s.target}`);
      }
    }
    return ok;
  }

  async cleanup(): Promise<void> {}
}

export const mountKind: KindImpl = {
  kind: "mount",
  create: (name, params) => new MountResource(name, params),
  // file → mount: the mount point directory, and an image file used as the device, are made first
  autoedges(name, params) {
    const device = parseMount(name, params).device;
    const seeks = [[{ kind: "file", key: name === "/" ? "/" : `${name}/` }]];
    if (device.startsWith("/")) seeks.push([{ kind: "file", key: device }]);
    return { uids: [], seeks };
  },
};

registerKind(mountKind);
