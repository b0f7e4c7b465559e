/**
 * `SystemdManager`: the few calls of systemd's D-Bus API (org.freedesktop.systemd1(5)) that the
 * `svc` and `cron` kinds need, over one {@link DBusConnection}. Never parses `systemctl` output.
 *
 * ```ts
 * const m = await SystemdManager.connect("unix:path=/run/dbus/system_bus_socket");
 * const st = await m.unitStatus("sshd.service");  // { activeState: "active", unitFileState: "enabled", … }
 * await m.start("sshd.service");                  // resolves when the job is done
 * const stop = await m.watchUnit("sshd.service", () => recheck());
 * m.close();
 * ```
 *
 * Jobs: Start/Stop/Restart return a job object; systemd announces its end with the Manager's
 * `JobRemoved(id, job, unit, result)` signal, which it only sends to subscribed clients
 * (`Subscribe`). Results are buffered per job path because the signal can arrive in the same read
 * as the method reply, before the caller has started waiting.
 */
import { BusError, DBusConnection } from "./bus.js";
import { unitObjectPath } from "./unit-names.js";

const DEST = "org.freedesktop.systemd1";
const MANAGER_PATH = "/org/freedesktop/systemd1";
const MANAGER = "org.freedesktop.systemd1.Manager";
const UNIT = "org.freedesktop.systemd1.Unit";
const PROPS = "org.freedesktop.DBus.Properties";

/** What a unit looks like now (org.freedesktop.systemd1.Unit properties). */
export interface UnitStatus {
  /** `loaded`, `not-found`, `bad-setting`, `error`, `masked`. */
  readonly loadState: string;
  /** `active`, `reloading`, `inactive`, `failed`, `activating`, `deactivating`. */
  readonly activeState: string;
  readonly subState: string;
  /** `enabled`, `enabled-runtime`, `linked`, `masked`, `static`, `disabled`, `indirect`, `generated`, `transient`, `bad`, or "" when there is no unit file. */
  readonly unitFileState: string;
  /** The unit file changed on disk since systemd loaded it (a daemon-reload is due). */
  readonly needDaemonReload: boolean;
  readonly fragmentPath: string;
}

/** JobRemoved results (systemd.job): only `done` is success. */
export type JobResult = "done" | "canceled" | "timeout" | "failed" | "dependency" | "skipped" | "invalid" | "assert" | "unsupported" | "collected" | "once";

/** One change made by EnableUnitFiles/DisableUnitFiles: `[type, file, destination]`, e.g. `["symlink", "/etc/…/wants/x.service", "/etc/…/x.service"]`. */
export type UnitFileChange = readonly [type: string, file: string, destination: string];

/** Properties whose change can alter what svc/cron check. Other changes (timestamps, CPU use…) are ignored. */
const WATCHED_PROPS = new Set(["ActiveState", "SubState", "LoadState", "UnitFileState", "NeedDaemonReload", "FragmentPath"]);

/** How many finished jobs to remember for callers that have not started waiting yet. */
const JOB_BUFFER = 512;

export class SystemdManager {
  readonly #bus: DBusConnection;
  readonly #jobResults = new Map<string, JobResult>();
  readonly #jobWaiters = new Map<string, (r: JobResult) => void>();

  private constructor(bus: DBusConnection) {
    this.#bus = bus;
  }

  /** Connect to the systemd reachable on the bus at `address` and subscribe to its signals. */
  static async connect(address: string): Promise<SystemdManager> {
    const bus = await DBusConnection.connect(address);
    const m = new SystemdManager(bus);
    try {
      await bus.onSignal({ sender: DEST, path: MANAGER_PATH, iface: MANAGER, member: "JobRemoved" }, (s) => {
        const job = s.body[1];
        const result = s.body[3];
        if (typeof job === "string" && typeof result === "string") m.#jobDone(job, result as JobResult);
      });
      await m.#manager("Subscribe");
    } catch (e) {
      bus.close();
      throw e;
    }
    return m;
  }

  get closed(): boolean {
    return this.#bus.closed;
  }

  /** Called once if the connection fails or the peer goes away (e.g. the bus daemon restarts). */
  onClose(fn: (e: Error) => void): () => void {
    return this.#bus.onClose(fn);
  }

  close(): void {
    this.#bus.close();
  }

  /** systemd's version string (`252.39-1~deb12u2`); a cheap liveness probe. */
  async version(): Promise<string> {
    return String(await this.#getProperty(MANAGER_PATH, MANAGER, "Version"));
  }

  /** `initializing`, `starting`, `running`, `degraded`, `maintenance`, `stopping`. */
  async systemState(): Promise<string> {
    return String(await this.#getProperty(MANAGER_PATH, MANAGER, "SystemState"));
  }

  /** The unit's state. Asking loads the unit if systemd had not (LoadState `not-found` when no file exists). */
  async unitStatus(unit: string): Promise<UnitStatus> {
    const [all] = await this.#bus.call({ destination: DEST, path: unitObjectPath(unit), iface: PROPS, member: "GetAll", signature: "s", body: [UNIT] });
    const props = (all ?? {}) as Record<string, { value: unknown } | undefined>;
    const str = (k: string): string => {
      const v = props[k]?.value;
      return typeof v === "string" ? v : "";
    };
    return {
      loadState: str("LoadState"),
      activeState: str("ActiveState"),
      subState: str("SubState"),
      unitFileState: str("UnitFileState"),
      needDaemonReload: props["NeedDaemonReload"]?.value === true,
      fragmentPath: str("FragmentPath"),
    };
  }

  /** StartUnit and wait for the job's result. `mode` as systemctl's `--job-mode` (default `replace`). */
  start(unit: string, signal?: AbortSignal, mode = "replace"): Promise<JobResult> {
    return this.#job("StartUnit", unit, mode, signal);
  }

  stop(unit: string, signal?: AbortSignal, mode = "replace"): Promise<JobResult> {
    return this.#job("StopUnit", unit, mode, signal);
  }

  restart(unit: string, signal?: AbortSignal, mode = "replace"): Promise<JobResult> {
    return this.#job("RestartUnit", unit, mode, signal);
  }

  /** Restart if running, else do nothing. */
  tryRestart(unit: string, signal?: AbortSignal, mode = "replace"): Promise<JobResult> {
    return this.#job("TryRestartUnit", unit, mode, signal);
  }

  /** `systemctl enable` without the reload: EnableUnitFiles(units, runtime, force). Call {@link reload} afterwards. */
  async enable(units: readonly string[], runtime = false, force = true): Promise<readonly UnitFileChange[]> {
    // reply: (b carries_install_info, a(sss) changes)
    const body = await this.#manager("EnableUnitFiles", "asbb", [[...units], runtime, force]);
    return changes(body[1]);
  }

  /** `systemctl disable` without the reload: DisableUnitFiles(units, runtime). */
  async disable(units: readonly string[], runtime = false): Promise<readonly UnitFileChange[]> {
    const body = await this.#manager("DisableUnitFiles", "asb", [[...units], runtime]);
    return changes(body[0]);
  }

  /** daemon-reload: re-read all unit files. Resolves when systemd has finished reloading. */
  async reload(): Promise<void> {
    await this.#manager("Reload");
  }

  /**
   * Call `fn` whenever a state-relevant property of `unit` changes (PropertiesChanged on the unit's
   * object: ActiveState, SubState, LoadState, UnitFileState, NeedDaemonReload, FragmentPath), and
   * after every daemon-reload and unit-file change (Manager `Reloading(false)`, `UnitFilesChanged`),
   * which systemd does not announce per unit. Resolves once the bus has accepted the match rules.
   */
  async watchUnit(unit: string, fn: () => void): Promise<() => void> {
    const path = unitObjectPath(unit);
    const stops: (() => void)[] = [];
    const stop = (): void => {
      for (const s of stops.splice(0)) s();
    };
    try {
      stops.push(
        await this.#bus.onSignal({ sender: DEST, path, iface: PROPS, member: "PropertiesChanged" }, (s) => {
          const [, changed, invalidated] = s.body as [unknown, Record<string, unknown> | undefined, unknown[] | undefined];
          const names = [...Object.keys(changed ?? {}), ...(invalidated ?? []).map(String)];
          if (names.some((n) => WATCHED_PROPS.has(n))) fn();
        }),
      );
      stops.push(
        await this.#bus.onSignal({ sender: DEST, path: MANAGER_PATH, iface: MANAGER, member: "Reloading" }, (s) => {
          if (s.body[0] === false) fn(); // Reloading(true) starts it, Reloading(false) ends it
        }),
      );
      stops.push(await this.#bus.onSignal({ sender: DEST, path: MANAGER_PATH, iface: MANAGER, member: "UnitFilesChanged" }, () => fn()));
    } catch (e) {
      stop();
      throw e;
    }
    return stop;
  }

  async #job(method: string, unit: string, mode: string, signal: AbortSignal | undefined): Promise<JobResult> {
    signal?.throwIfAborted();
    const [job] = await this.#manager(method, "ss", [unit, mode]);
    if (typeof job !== "string") throw new Error(`${method} ${unit}: no job in the reply`);
    return this.#waitJob(job, `${method} ${unit}`, signal);
  }

  #waitJob(job: string, what: string, signal: AbortSignal | undefined): Promise<JobResult> {
    const ready = this.#jobResults.get(job);
    if (ready !== undefined) {
      this.#jobResults.delete(job);
      return Promise.resolve(ready);
    }
    return new Promise<JobResult>((resolve, reject) => {
      const cleanup = (): void => {
        this.#jobWaiters.delete(job);
        signal?.removeEventListener("abort", onAbort);
        stopClose();
      };
      const onAbort = (): void => {
        cleanup();
        const r: unknown = signal?.reason;
        reject(r instanceof Error ? r : new Error(`${what}: aborted`));
      };
      const stopClose = this.#bus.onClose((e) => {
        cleanup();
        reject(new Error(`${what}: ${e.message} before the job finished`));
      });
      this.#jobWaiters.set(job, (r) => {
        cleanup();
        resolve(r);
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #jobDone(job: string, result: JobResult): void {
    const waiter = this.#jobWaiters.get(job);
    if (waiter) return waiter(result);
    this.#jobResults.set(job, result);
    if (this.#jobResults.size > JOB_BUFFER) {
      const oldest = this.#jobResults.keys().next().value;
      if (oldest !== undefined) this.#jobResults.delete(oldest);
    }
  }

  #manager(member: string, signature?: string, body?: readonly unknown[]): Promise<unknown[]> {
    return this.#bus.call({ destination: DEST, path: MANAGER_PATH, iface: MANAGER, member, ...(signature ? { signature, body: body ?? [] } : {}) });
  }

  async #getProperty(path: string, iface: string, name: string): Promise<unknown> {
    const [v] = await this.#bus.call({ destination: DEST, path, iface: PROPS, member: "Get", signature: "ss", body: [iface, name] });
    return (v as { value?: unknown } | undefined)?.value;
  }
}

function changes(v: unknown): readonly UnitFileChange[] {
  if (!Array.isArray(v)) return [];
  return v.map((c: unknown) => {
    const [type, file, dest] = Array.isArray(c) ? c : [];
    return [String(type ?? ""), String(file ?? ""), String(dest ?? "")] as const;
  });
}

export { BusError };
