/**
 * systemd over D-Bus for resource kinds (svc, cron): a {@link SystemdManager} per bus address,
 * shared by every resource that uses that address and closed when the last one releases it.
 *
 * ```ts
 * const lease = await acquireSystemd(ctx.dbusAddress ?? systemBusAddress());
 * await lease.manager.start("sshd.service");
 * lease.release();
 * ```
 */
import { SystemdManager } from "./manager.js";

export { SystemdManager, type JobResult, type UnitFileChange, type UnitStatus } from "./manager.js";
export { BusError } from "./bus.js";
export { busLabelEscape, defaultUnitDir, systemBusAddress, unitObjectPath, unitSearchDirs, userBusAddress } from "./unit-names.js";

export interface SystemdLease {
  readonly manager: SystemdManager;
  /** Give the connection back; the last release closes it. Idempotent. */
  release(): void;
}

interface Shared {
  readonly manager: Promise<SystemdManager>;
  refs: number;
}

const shared = new Map<string, Shared>();

/** A shared connection to the systemd behind `address`; a connection that has failed is replaced by a new one. */
export async function acquireSystemd(address: string): Promise<SystemdLease> {
  let entry = shared.get(address);
  if (entry) {
    const m = await entry.manager.catch(() => undefined);
    if (!m || m.closed) {
      if (shared.get(address) === entry) shared.delete(address);
      entry = undefined;
    }
  }
  if (!entry) {
    const e: Shared = { manager: SystemdManager.connect(address), refs: 0 };
    entry = e;
    shared.set(address, e);
    e.manager.then(
      (m) => m.onClose(() => shared.get(address) === e && shared.delete(address)),
      () => shared.get(address) === e && shared.delete(address),
    );
  }
  const e = entry;
  e.refs++;
  let manager: SystemdManager;
  try {
    manager = await e.manager;
  } catch (err) {
    e.refs--;
    throw err;
  }
  let released = false;
  return {
    manager,
    release() {
      if (released) return;
      released = true;
      if (--e.refs > 0) return;
      if (shared.get(address) === e) shared.delete(address);
      manager.close();
    },
  };
}
