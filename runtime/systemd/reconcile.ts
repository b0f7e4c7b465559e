/**
 * Bring one unit to a wanted run state and startup state through the {@link SystemdManager}: the
 * checkApply core shared by `svc` and `cron` (engine-reference.md §10 svc; mgmt
 * engine/resources/svc.go). Order as in mgmt: unit file state first (enable/disable, then a
 * daemon-reload as `systemctl enable` does), then start/stop, then the refresh restart.
 */
import type { SystemdManager, UnitStatus } from "./manager.js";

export interface UnitWant {
  /** `running` (ActiveState active), `stopped` (inactive or failed), "" unmanaged. */
  readonly state: "running" | "stopped" | "";
  readonly startup: "enabled" | "disabled" | "";
  /** Restart the unit if it is running and was not just started or stopped (a notify edge fired). */
  readonly restart?: boolean;
  /** Reload systemd first (a unit file was just rewritten). */
  readonly reload?: boolean;
}

/** UnitFileStates that `EnableUnitFiles` can't turn into `enabled` (no [Install] section, generated, …). */
const NOT_ENABLEABLE = new Set(["static", "indirect", "generated", "transient", "masked", "masked-runtime", "alias", "bad"]);
const ENABLED = new Set(["enabled", "enabled-runtime"]);
const RUNNING = new Set(["active", "reloading"]);
const STOPPED = new Set(["inactive", "failed"]);

/**
 * Check `unit` against `want` and, if `apply`, fix it. Returns true when nothing needed doing.
 * `note(done, would)` reports each change (past tense when applied, "would …" otherwise).
 */
export async function reconcileUnit(m: SystemdManager, unit: string, want: UnitWant, apply: boolean, signal: AbortSignal, note: (msg: string) => void): Promise<boolean> {
  const say = (done: string, would: string): void => note(apply ? done : `would ${would}`);
  let ok = true;
  if (want.reload) {
    ok = false;
    say("daemon-reload", "daemon-reload");
    if (apply) await m.reload();
  }
  let st = await m.unitStatus(unit);
  if (st.loadState === "not-found" || st.needDaemonReload) {
    // the unit file is new or changed on disk since systemd read it (e.g. written by a file resource)
    ok = false;
    say(`daemon-reload (${unit} ${st.loadState === "not-found" ? "was not loaded" : "changed on disk"})`, `daemon-reload (${unit} ${st.loadState === "not-found" ? "is not loaded" : "changed on disk"})`);
    if (!apply) return false;
    await m.reload();
    st = await m.unitStatus(unit);
  }
  if (st.loadState === "not-found") throw new Error(`unit ${unit} not found`);
  if (st.loadState === "masked" && (want.state === "running" || want.startup === "enabled")) throw new Error(`unit ${unit} is masked`);
  signal.throwIfAborted();

  if (want.startup === "enabled" && st.unitFileState !== "enabled") {
    if (NOT_ENABLEABLE.has(st.unitFileState)) throw new Error(`unit ${unit} can't be enabled: its unit file state is ${st.unitFileState}`);
    ok = false;
    say(`enabled (was ${st.unitFileState || "no unit file state"})`, `enable (is ${st.unitFileState || "no unit file state"})`);
    if (apply) {
      await m.enable([unit]);
      await m.reload();
    }
  } else if (want.startup === "disabled" && ENABLED.has(st.unitFileState)) {
    ok = false;
    say(`disabled (was ${st.unitFileState})`, `disable (is ${st.unitFileState})`);
    if (apply) {
      await m.disable([unit], st.unitFileState === "enabled-runtime");
      await m.reload();
    }
  }
  signal.throwIfAborted();

  let moved = false;
  if (want.state === "running" && !RUNNING.has(st.activeState)) {
    ok = false;
    moved = true;
    say(`started (was ${st.activeState})`, `start (is ${st.activeState})`);
    if (apply) await expectDone(m, unit, "start", await m.start(unit, signal));
  } else if (want.state === "stopped" && !STOPPED.has(st.activeState)) {
    ok = false;
    moved = true;
    say(`stopped (was ${st.activeState})`, `stop (is ${st.activeState})`);
    if (apply) await expectDone(m, unit, "stop", await m.stop(unit, signal));
  }

  if (want.restart && !moved && want.state !== "stopped" && (RUNNING.has(st.activeState) || st.activeState === "activating")) {
    ok = false;
    say("restarted (refresh)", "restart (refresh)");
    if (apply) await expectDone(m, unit, "restart", await m.restart(unit, signal));
  }
  return ok;
}

async function expectDone(m: SystemdManager, unit: string, what: string, result: string): Promise<void> {
  if (result === "done") return;
  let st: UnitStatus | undefined;
  try {
    st = await m.unitStatus(unit);
  } catch {
    // keep the job result alone
  }
  const now = st ? `; now ${st.activeState}/${st.subState}` : "";
  throw new Error(`${what} of ${unit} ended with job result "${result}"${now} (journalctl -u ${unit})`);
}
