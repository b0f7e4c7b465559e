/**
 * The per-resource side of the systemd adapter, shared by `svc` and `cron`: a lazily connected
 * handle on the shared connection for the resource's bus, and a unit watch wired to a WatchSink.
 */
import type { ResourceContext, WatchSink } from "../engine/resource.js";
import { acquireSystemd, type SystemdLease } from "./index.js";
import { systemBusAddress, userBusAddress } from "./unit-names.js";

/**
 * A lazily connected, shared systemd connection for one resource: connects on first use and
 * reconnects after the connection was lost. Used by `svc` and `cron`.
 */
export class SystemdHandle {
  #lease: SystemdLease | undefined;
  #connecting: Promise<SystemdLease> | undefined;

  constructor(readonly address: string) {}

  /** Bus address for a resource: the user bus for `session`, else the engine's (default the system bus). */
  static addressFor(ctx: ResourceContext, session: boolean): string {
    return session ? userBusAddress() : (ctx.dbusAddress ?? systemBusAddress());
  }

  async get(): Promise<SystemdLease["manager"]> {
    if (this.#lease && !this.#lease.manager.closed) return this.#lease.manager;
    this.#lease?.release();
    this.#lease = undefined;
    this.#connecting ??= acquireSystemd(this.address).finally(() => (this.#connecting = undefined));
    const lease = await this.#connecting;
    if (this.#lease && this.#lease !== lease) lease.release(); // a concurrent caller won
    else this.#lease = lease;
    return this.#lease.manager;
  }

  release(): void {
    this.#lease?.release();
    this.#lease = undefined;
  }
}

/**
 * Watch `unit` on the handle's systemd: `sink.event()` on every relevant change, `sink.error()`
 * when the bus connection is lost. Reports the startup event once the match rules are in place.
 */
export async function watchUnit(handle: SystemdHandle, unit: string, sink: WatchSink, also?: () => void): Promise<() => void> {
  const m = await handle.get();
  const stopWatch = await m.watchUnit(unit, () => {
    also?.();
    sink.event();
  });
  const stopClose = m.onClose((e) => sink.error(new Error(`systemd bus: ${e.message}`)));
  sink.event();
  return () => {
    stopWatch();
    stopClose();
  };
}
