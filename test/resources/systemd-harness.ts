/**
 * Shared set-up of the tests that drive a real systemd in a systemd-nspawn container (`svc`,
 * `cron`): the container and a manager connection for a describe block, harness contexts pointed
 * at its bus, and a `systemd --user` whose bus is the session bus for the duration of a test.
 * Not a .test.ts file.
 */
import { SystemdManager } from "../../runtime/systemd/manager.js";
import { bootContainer, type Container } from "../helpers/nspawn.js";
import { makeContext, type Harness } from "./harness.js";

/** A harness context for `kind[name]` whose system bus is `bus` (undefined: the default bus). */
export function onBus(kind: string, name: string, bus: string | undefined): Harness {
  const h = makeContext(kind, name);
  return bus === undefined ? h : { ...h, ctx: { ...h.ctx, dbusAddress: bus } };
}

/** Boot a container and connect to its system manager (for a `before` hook). */
export async function bootSystemd(): Promise<{ c: Container; m: SystemdManager }> {
  const c = await bootContainer();
  console.log(`# container booted in ${c.bootMs.toFixed(0)} ms`);
  return { c, m: await SystemdManager.connect(c.busAddress) };
}

/** Close the manager and halt the container (for an `after` hook; either may be missing when `before` failed). */
export async function stopSystemd(c: Container | undefined, m: SystemdManager | undefined): Promise<void> {
  m?.close();
  const t = performance.now();
  await c?.stop();
  console.log(`# container stopped in ${(performance.now() - t).toFixed(0)} ms`);
}

/**
 * Start the container's `systemd --user` for root and run `fn` with its bus as
 * `$DBUS_SESSION_BUS_ADDRESS` (what `session => true` resources use) and a manager connected to it.
 */
export async function withUserManager(c: Container, fn: (um: SystemdManager) => Promise<void>): Promise<void> {
  const userBus = await c.startUserManager();
  const prev = process.env["DBUS_SESSION_BUS_ADDRESS"];
  process.env["DBUS_SESSION_BUS_ADDRESS"] = userBus;
  const um = await SystemdManager.connect(userBus);
  try {
    await fn(um);
  } finally {
    um.close();
    if (prev === undefined) delete process.env["DBUS_SESSION_BUS_ADDRESS"];
    else process.env["DBUS_SESSION_BUS_ADDRESS"] = prev;
  }
}

/** Poll an async condition every 5 ms; fail after `ms`. */
export async function untilAsync(cond: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
