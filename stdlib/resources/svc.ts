/**
 * The `svc` kind (engine-reference.md §10 "svc"; mgmt engine/resources/svc.go): a systemd service
 * `<name>.service`, run state and startup state, through systemd's D-Bus API (runtime/systemd/),
 * never by parsing `systemctl` output.
 *
 * - `state`: `running` (ActiveState `active`), `stopped` (`inactive` or `failed`), "" unmanaged.
 * - `startup`: `enabled` / `disabled` (UnitFileState) via EnableUnitFiles / DisableUnitFiles plus a
 *   daemon-reload, as `systemctl enable` does; "" unmanaged.
 * - `session`: the calling user's `systemd --user`, on the user bus (`$DBUS_SESSION_BUS_ADDRESS`,
 *   else `$XDG_RUNTIME_DIR/bus`). System units use the engine's bus address (`dbusAddress`,
 *   default the system bus).
 *
 * Watch: PropertiesChanged of the unit's object (ActiveState, SubState, LoadState, UnitFileState,
 * …) plus the Manager's `Reloading`/`UnitFilesChanged`, so a unit stopped, killed or disabled by
 * hand is noticed within milliseconds and the engine re-runs checkApply. A lost bus connection is
 * a watch error (the engine retries it per `Meta:rewatch`).
 *
 * Refresh (`Notify =>` into this vertex): the unit is restarted, unless this run just started or
 * stopped it, or it is meant to be stopped. (mgmt calls ReloadOrTryRestart; issue 5 asks for a
 * restart, which also picks up a changed ExecStart.)
 *
 * A unit file that is new or changed on disk (LoadState `not-found`, NeedDaemonReload) gets a
 * daemon-reload first, so a file resource that writes the unit before this svc just works.
 *
 * ```mcl
 * svc "nginx" { state => "running", startup => "enabled", }
 * ```
 */
import { registerKind, type AutoEdgeUid, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { SystemdHandle, watchUnit } from "../../runtime/systemd/handle.js";
import { unitSearchDirs } from "../../runtime/systemd/index.js";
import { reconcileUnit } from "../../runtime/systemd/reconcile.js";
import { boolField, strField, type Params } from "./param-fields.js";

export interface SvcSpec {
  /** The unit name, `<name>.service`. */
  readonly unit: string;
  readonly state: string;
  readonly startup: string;
  readonly session: boolean;
}

/** `nginx` → `nginx.service`; a name that already ends in `.service` is kept. */
export function serviceUnit(name: string): string {
  return name.endsWith(".service") ? name : `${name}.service`;
}

export function parseSvcSpec(name: string, params: Params): SvcSpec {
  return {
    unit: serviceUnit(name),
    state: strField(params, "state"),
    startup: strField(params, "startup"),
    session: boolField(params, "session"),
  };
}

/** Autoedge uid of a service: key `nginx.service` (and, for seekers that use the bare name, `nginx`); user units are prefixed `user:`. */
export function svcUids(unit: string, session: boolean): AutoEdgeUid[] {
  const p = session ? "user:" : "";
  return [
    { kind: "svc", key: p + unit },
    { kind: "svc", key: p + unit.replace(/\.service$/, "") },
  ];
}

class SvcResource implements Resource {
  #ctx: ResourceContext | undefined;
  #systemd: SystemdHandle | undefined;

  constructor(readonly spec: SvcSpec) {}

  validate(): string | undefined {
    const s = this.spec;
    if (s.unit === ".service" || s.unit.includes("/")) return `invalid unit name ${JSON.stringify(s.unit)}`;
    if (s.state !== "" && s.state !== "running" && s.state !== "stopped") return `state must be "running", "stopped" or "", got ${JSON.stringify(s.state)}`;
    if (s.startup !== "" && s.startup !== "enabled" && s.startup !== "disabled") return `startup must be "enabled", "disabled" or "", got ${JSON.stringify(s.startup)}`;
    return undefined;
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
    this.#systemd = new SystemdHandle(SystemdHandle.addressFor(ctx, this.spec.session));
  }

  async cleanup(): Promise<void> {
    this.#systemd?.release();
  }

  watch(sink: WatchSink): Promise<() => void> {
    return watchUnit(this.#handle(), this.spec.unit, sink);
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const s = this.spec;
    const m = await this.#handle().get();
    const want = {
      state: s.state as "running" | "stopped" | "",
      startup: s.startup as "enabled" | "disabled" | "",
      restart: this.#ctx?.refresh() ?? false,
    };
    return reconcileUnit(m, s.unit, want, apply, signal, (msg) => this.#ctx?.log.info(msg));
  }

  #handle(): SystemdHandle {
    if (!this.#systemd) throw new Error("svc: used before init");
    return this.#systemd;
  }
}

registerKind({
  kind: "svc",
  create(name, params) {
    return new SvcResource(parseSvcSpec(name, params));
  },
  refreshable: true,
  autoedges(name, params) {
    const s = parseSvcSpec(name, params);
    // file → svc: the unit file wherever systemd would find it, most specific directory first
    const files = unitSearchDirs(s.session).map((d): AutoEdgeUid => ({ kind: "file", key: d + s.unit }));
    return { uids: svcUids(s.unit, s.session), seeks: [files] };
  },
});
