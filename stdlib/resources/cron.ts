/**
 * The `cron` kind (engine-reference.md §10 "cron"; mgmt engine/resources/cron.go): a systemd timer
 * `<name>.timer` that activates the service `unit` (default `<name>.service`).
 *
 * checkApply: the timer's unit file (and, with `command`, the service's) is written into the unit
 * directory; any change is followed by a daemon-reload. Then, for `state => "exists"`, the timer
 * is enabled or disabled (`startup`) and started, or restarted when its file changed or a refresh
 * arrived; for `state => "absent"` the timer is stopped and disabled, its files are removed and
 * systemd reloaded. All systemd calls go over D-Bus (runtime/systemd/).
 *
 * Watch: the timer unit's D-Bus property changes (a timer stopped or disabled by hand) and inotify
 * on the unit files (edited or deleted by hand).
 *
 * Params beyond mgmt's (Steward extensions):
 * - `command`: when set, cron also writes the service `unit` (`Type=oneshot`, `ExecStart=command`),
 *   so one resource makes the whole `.timer` + `.service` pair. When unset, the service is managed
 *   elsewhere (a `file` and `svc`), as in mgmt, and cron depends on that `svc` (autoedge).
 * - `unitdir`: the folder the unit files go in; default `/etc/systemd/system/`, or
 *   `~/.config/systemd/user/` with `session`. Tests point it at a container's root.
 *
 * `accuracysec` and `randomizeddelaysec` are systemd time spans (`"1min"`, `"30s"`), as in mgmt.
 *
 * ```mcl
 * cron "backup" { trigger => "OnCalendar", time => "*-*-* 03:00:00", command => "/usr/local/bin/backup", }
 * ```
 */
import { mkdir, readFile, unlink } from "node:fs/promises";
import { posix } from "node:path";
import { registerKind, type AutoEdgeUid, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { watchPath } from "../../runtime/watch/index.js";
import { SystemdHandle, watchUnit } from "../../runtime/systemd/handle.js";
import { defaultUnitDir, type SystemdManager } from "../../runtime/systemd/index.js";
import { reconcileUnit } from "../../runtime/systemd/reconcile.js";
import { atomicWrite } from "./file-fs.js";
import { boolField, optStrField, strField, withReceived, type Params } from "./param-fields.js";
import { serviceUnit, svcUids } from "./svc.js";

/** systemd.timer(5) triggers that take a time (`OnCalendar=` a calendar event, the others a time span). */
export const CRON_TRIGGERS = ["OnCalendar", "OnActiveSec", "OnBootSec", "OnStartupSec", "OnUnitActiveSec", "OnUnitInactiveSec"] as const;

export interface CronSpec {
  /** `<name>.timer` */
  readonly timer: string;
  /** The service the timer activates. */
  readonly unit: string;
  readonly state: string;
  readonly startup: string;
  readonly session: boolean;
  readonly trigger: string;
  readonly time: string;
  readonly accuracysec: string;
  readonly randomizeddelaysec: string;
  readonly persistent: boolean;
  readonly wakesystem: boolean;
  readonly remainafterelapse: boolean;
  readonly description: string | undefined;
  readonly command: string;
  /** Absolute, with a trailing slash. */
  readonly unitdir: string;
}

export function parseCronSpec(name: string, params: Params): CronSpec {
  const base = name.endsWith(".timer") ? name.slice(0, -".timer".length) : name;
  const session = boolField(params, "session");
  const dir = strField(params, "unitdir") || defaultUnitDir(session);
  return {
    timer: `${base}.timer`,
    unit: serviceUnit(strField(params, "unit") || base),
    state: strField(params, "state", "exists"),
    startup: strField(params, "startup", "enabled"),
    session,
    trigger: strField(params, "trigger"),
    time: strField(params, "time"),
    accuracysec: strField(params, "accuracysec"),
    randomizeddelaysec: strField(params, "randomizeddelaysec"),
    persistent: boolField(params, "persistent"),
    wakesystem: boolField(params, "wakesystem"),
    remainafterelapse: boolField(params, "remainafterelapse", true),
    description: optStrField(params, "description"),
    command: strField(params, "command"),
    unitdir: dir.endsWith("/") ? dir : dir + "/",
  };
}

export function validateCronSpec(s: CronSpec): string | undefined {
  if (s.timer === ".timer" || s.timer.includes("/")) return `invalid timer name ${JSON.stringify(s.timer)}`;
  if (s.unit.includes("/")) return `invalid unit name ${JSON.stringify(s.unit)}`;
  if (s.state !== "exists" && s.state !== "absent") return `state must be "exists" or "absent", got ${JSON.stringify(s.state)}`;
  if (s.startup !== "enabled" && s.startup !== "disabled") return `startup must be "enabled" or "disabled", got ${JSON.stringify(s.startup)}`;
  if (!s.unitdir.startsWith("/")) return `unitdir must be an absolute path, got ${JSON.stringify(s.unitdir)}`;
  if (s.state === "absent") return undefined;
  if (!(CRON_TRIGGERS as readonly string[]).includes(s.trigger)) return `trigger must be one of ${CRON_TRIGGERS.join(", ")}, got ${JSON.stringify(s.trigger)}`;
  if (s.time.trim() === "") return "time is required (a calendar event for OnCalendar, else a time span)";
  for (const [k, v] of [
    ["time", s.time],
    ["accuracysec", s.accuracysec],
    ["randomizeddelaysec", s.randomizeddelaysec],
    ["description", s.description ?? ""],
    ["command", s.command],
  ] as const) {
    if (/[\n\r]/.test(v)) return `${k} must be one line`;
  }
  return undefined;
}

/** The `.timer` unit file. */
export function timerUnitFile(s: CronSpec): string {
  const lines = ["[Unit]", `Description=${s.description ?? `timer generated by steward for ${s.unit}`}`, "", "[Timer]", `${s.trigger}=${s.time}`];
  if (s.accuracysec) lines.push(`AccuracySec=${s.accuracysec}`);
  if (s.randomizeddelaysec) lines.push(`RandomizedDelaySec=${s.randomizeddelaysec}`);
  lines.push(`Unit=${s.unit}`);
  lines.push(`Persistent=${s.persistent}`, `WakeSystem=${s.wakesystem}`, `RemainAfterElapse=${s.remainafterelapse}`);
  lines.push("", "[Install]", "WantedBy=timers.target", "");
  return lines.join("\n");
}

/** The `.service` unit file written when `command` is set: a oneshot run of the command. */
export function serviceUnitFile(s: CronSpec): string {
  const desc = s.description ?? `service of ${s.timer}, generated by steward`;
  return ["[Unit]", `Description=${desc}`, "", "[Service]", "Type=oneshot", `ExecStart=${s.command}`, ""].join("\n");
}

class CronResource implements Resource {
  #ctx: ResourceContext | undefined;
  #systemd: SystemdHandle | undefined;

  constructor(
    private readonly name: string,
    private readonly params: Params,
  ) {}

  /** The spec with received values (send/recv) laid over the params. */
  #spec(): CronSpec {
    return parseCronSpec(this.name, withReceived(this.params, this.#ctx));
  }

  validate(): string | undefined {
    return validateCronSpec(this.#spec());
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
    this.#systemd = new SystemdHandle(SystemdHandle.addressFor(ctx, this.#spec().session));
  }

  async cleanup(): Promise<void> {
    this.#systemd?.release();
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const s = this.#spec();
    const files = [s.unitdir + s.timer, ...(s.command ? [s.unitdir + s.unit] : [])];
    const stops = files.map((f) => watchPath(f, () => sink.event()));
    try {
      stops.push(await watchUnit(this.#handle(), s.timer, sink));
    } catch (e) {
      for (const stop of stops) stop();
      throw e;
    }
    return () => {
      for (const stop of stops) stop();
    };
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const s = this.#spec();
    const why = validateCronSpec(s);
    if (why) throw new Error(`received values: ${why}`);
    const note = (msg: string): void => this.#ctx?.log.info(msg);
    const m = await this.#handle().get();
    const files: [string, string][] = [[s.unitdir + s.timer, timerUnitFile(s)]];
    if (s.command) files.push([s.unitdir + s.unit, serviceUnitFile(s)]);

    if (s.state === "absent") return this.#absent(m, s, files, apply, signal, note);

    let changed = false;
    for (const [path, content] of files) {
      const have = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT") return undefined;
        throw e;
      });
      if (have === content) continue;
      changed = true;
      note(apply ? `${have === undefined ? "wrote" : "updated"} ${path}` : `would ${have === undefined ? "write" : "update"} ${path}`);
      if (apply) {
        await mkdir(posix.dirname(path), { recursive: true });
        await atomicWrite(path, content, null, 0o644);
      }
    }
    if (!apply && changed) return false;
    signal.throwIfAborted();
    const refresh = this.#ctx?.refresh() ?? false;
    // a changed timer file is re-read (reload) and the running timer restarted, so the new schedule applies now
    const ok = await reconcileUnit(m, s.timer, { state: "running", startup: s.startup as "enabled" | "disabled", reload: changed, restart: changed || refresh }, apply, signal, note);
    return ok && !changed;
  }

  async #absent(m: SystemdManager, s: CronSpec, files: [string, string][], apply: boolean, signal: AbortSignal, note: (msg: string) => void): Promise<boolean> {
    let ok = true;
    const st = await m.unitStatus(s.timer);
    if (st.loadState !== "not-found") {
      ok = await reconcileUnit(m, s.timer, { state: "stopped", startup: "disabled" }, apply, signal, note);
    }
    let removed = false;
    for (const [path] of files) {
      const exists = await readFile(path).then(
        () => true,
        () => false,
      );
      if (!exists) continue;
      removed = true;
      note(apply ? `removed ${path}` : `would remove ${path}`);
      if (apply) await unlink(path).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));
    }
    if (removed && apply) await m.reload();
    return ok && !removed;
  }

  #handle(): SystemdHandle {
    if (!this.#systemd) throw new Error("cron: used before init");
    return this.#systemd;
  }
}

registerKind({
  kind: "cron",
  create(name, params) {
    return new CronResource(name, params);
  },
  refreshable: true,
  recvable: true,
  autoedges(name, params) {
    const s = parseCronSpec(name, params);
    const p = s.session ? "user:" : "";
    const uids: AutoEdgeUid[] = [
      { kind: "cron", key: p + s.timer },
      { kind: "file", key: s.unitdir + s.timer },
    ];
    if (s.command) uids.push({ kind: "file", key: s.unitdir + s.unit });
    // svc → cron: the service the timer activates is set up first. Not when cron writes that
    // service itself (the svc would then seek cron's unit file and the edges would form a cycle).
    const seeks = s.command ? [] : [svcUids(s.unit, s.session).slice(0, 1)];
    return { uids, seeks };
  },
});
