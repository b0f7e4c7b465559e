/**
 * `svc` against a real systemd: a container booted with systemd-nspawn (test/helpers/nspawn.ts),
 * its system bus reached from here, unit files written into its overlay root. Covers start/stop,
 * enable/disable, noop, an unknown unit, drift corrected by the engine through the D-Bus watch
 * (stop and SIGKILL by hand inside the container), refresh restarts, a file => svc notify edge
 * with a changed unit file, and a user unit under `systemd --user` (`session`).
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { makeGraph, makeVertex, META_DEFAULTS, type Meta } from "../../lang/resource-graph.js";
import type { Value } from "../../lang/values.js";
import { Engine, type EngineEvent } from "../../runtime/engine/engine.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { SystemdManager } from "../../runtime/systemd/manager.js";
import { MemoryWorld } from "../../runtime/world/memory.js";
import "../../stdlib/resources/index.js";
import { canBootContainer, type Container } from "../helpers/nspawn.js";
import { invalid, makeContext, recordWatch, removeTempDirs, start, tempDir, until } from "./harness.js";
import { bootSystemd, onBus, stopSystemd, untilAsync, withUserManager } from "./systemd-harness.js";

const skip = canBootContainer();

const SLEEPER = (desc: string, exec = "/bin/sleep infinity"): string =>
  `[Unit]\nDescription=${desc}\n[Service]\nExecStart=${exec}\n[Install]\nWantedBy=multi-user.target\n`;

after(removeTempDirs);

test("svc: validation and autoedges", () => {
  assert.equal(invalid("svc", "nginx", { state: "running", startup: "enabled" }), undefined);
  assert.match(invalid("svc", "nginx", { state: "started" }) ?? "", /state must be "running", "stopped" or ""/);
  assert.match(invalid("svc", "nginx", { startup: "on" }) ?? "", /startup must be/);
  assert.match(invalid("svc", "a/b", {}) ?? "", /invalid unit name/);
  const ae = getKindImpl("svc")!.autoedges!("nginx", { state: "running" });
  assert.deepEqual(ae.uids, [
    { kind: "svc", key: "nginx.service" },
    { kind: "svc", key: "nginx" },
  ]);
  assert.deepEqual(
    ae.seeks[0]?.map((u) => u.key),
    ["/etc/systemd/system/nginx.service", "/run/systemd/system/nginx.service", "/usr/lib/systemd/system/nginx.service", "/lib/systemd/system/nginx.service"],
  );
  const user = getKindImpl("svc")!.autoedges!("x.service", { session: true });
  assert.equal(user.uids[0]?.key, "user:x.service");
  assert.match(user.seeks[0]?.[0]?.key ?? "", /\/\.config\/systemd\/user\/x\.service$/);
});

describe("svc in a systemd container", { skip }, () => {
  let c: Container;
  let m: SystemdManager;
  const unitDir = (): string => `${c.root}/etc/systemd/system`;
  const status = (unit: string) => m.unitStatus(unit);
  const mainPid = async (unit: string): Promise<string> => (await c.exec(["systemctl", "show", "-P", "MainPID", unit])).stdout.trim();

  before(async () => ({ c, m } = await bootSystemd()));
  after(() => stopSystemd(c, m));

  test("start and stop; noop reports without acting; idempotent", async () => {
    writeFileSync(`${unitDir()}/steward-a.service`, SLEEPER("a"));
    const h = onBus("svc", "steward-a", c.busAddress);
    const { res } = await start("svc", "steward-a", { state: "running" }, h);
    assert.equal(await res.checkApply(false, h.abort.signal), false, "noop: would start");
    assert.equal((await status("steward-a.service")).activeState, "inactive", "noop started nothing");
    assert.ok(h.logs.some((l) => /would start \(is inactive\)/.test(l)), h.logs.join("\n"));
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    assert.equal((await status("steward-a.service")).activeState, "active");
    assert.equal(await res.checkApply(true, h.abort.signal), true, "second run: nothing to do");
    await res.cleanup();

    const h2 = onBus("svc", "steward-a", c.busAddress);
    const { res: stop } = await start("svc", "steward-a", { state: "stopped" }, h2);
    assert.equal(await stop.checkApply(true, h2.abort.signal), false);
    assert.equal((await status("steward-a.service")).activeState, "inactive");
    assert.equal(await stop.checkApply(true, h2.abort.signal), true);
    await stop.cleanup();
  });

  test("enable and disable (EnableUnitFiles/DisableUnitFiles + daemon-reload)", async () => {
    writeFileSync(`${unitDir()}/steward-b.service`, SLEEPER("b"));
    const h = onBus("svc", "steward-b", c.busAddress);
    const { res } = await start("svc", "steward-b", { startup: "enabled" }, h);
    assert.equal((await status("steward-b.service")).unitFileState, "disabled");
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    assert.equal((await status("steward-b.service")).unitFileState, "enabled");
    assert.equal((await c.exec(["test", "-L", "/etc/systemd/system/multi-user.target.wants/steward-b.service"])).code, 0, "symlink made");
    assert.equal((await status("steward-b.service")).activeState, "inactive", "startup alone does not start");
    assert.equal(await res.checkApply(true, h.abort.signal), true);
    await res.cleanup();

    const h2 = onBus("svc", "steward-b", c.busAddress);
    const { res: dis } = await start("svc", "steward-b", { startup: "disabled" }, h2);
    assert.equal(await dis.checkApply(true, h2.abort.signal), false);
    assert.equal((await status("steward-b.service")).unitFileState, "disabled");
    assert.equal(await dis.checkApply(true, h2.abort.signal), true);
    await dis.cleanup();
  });

  test("an unknown unit and a unit that cannot be enabled are clear errors", async () => {
    const h = onBus("svc", "steward-nope", c.busAddress);
    const { res } = await start("svc", "steward-nope", { state: "running" }, h);
    await assert.rejects(res.checkApply(true, h.abort.signal), /unit steward-nope\.service not found/);
    await res.cleanup();
    writeFileSync(`${unitDir()}/steward-static.service`, "[Service]\nExecStart=/bin/sleep infinity\n");
    const h2 = onBus("svc", "steward-static", c.busAddress);
    const { res: st } = await start("svc", "steward-static", { startup: "enabled" }, h2);
    await assert.rejects(st.checkApply(true, h2.abort.signal), /can't be enabled: its unit file state is static/);
    await st.cleanup();
    const h3 = onBus("svc", "steward-fail", c.busAddress);
    writeFileSync(`${unitDir()}/steward-fail.service`, "[Service]\nType=oneshot\nExecStart=/bin/false\n");
    const { res: fail } = await start("svc", "steward-fail", { state: "running" }, h3);
    await assert.rejects(fail.checkApply(true, h3.abort.signal), /start of steward-fail\.service ended with job result "failed"; now failed\/failed/);
    await fail.cleanup();
  });

  test("watch: the startup event, then an event when the unit is stopped by hand", async () => {
    writeFileSync(`${unitDir()}/steward-w.service`, SLEEPER("w"));
    await m.start("steward-w.service");
    const h = onBus("svc", "steward-w", c.busAddress);
    const { res } = await start("svc", "steward-w", { state: "running" }, h);
    const w = await recordWatch(res);
    await w.next(0);
    const n = w.times.length;
    await c.exec(["systemctl", "stop", "steward-w.service"]);
    await w.next(n, 5000);
    assert.equal(await res.checkApply(true, h.abort.signal), false, "drift fixed");
    assert.equal((await status("steward-w.service")).activeState, "active");
    w.stop();
    assert.deepEqual(w.errors, []);
    await res.cleanup();
  });

  test("drift: the engine starts a unit again at once after it is stopped or killed by hand", async () => {
    writeFileSync(`${unitDir()}/steward-d.service`, SLEEPER("d"));
    const events: EngineEvent[] = [];
    const engine = new Engine({ hostname: "h", world: new MemoryWorld("h"), stateDir: tempDir(), noop: false, autoedges: true, autogroup: true, dbusAddress: c.busAddress });
    engine.events$.subscribe((e) => events.push(e));
    const changes = (): number => events.filter((e) => e.event === "checkapply" && e.vertex === "svc[steward-d]" && e.changed).length;
    try {
      await engine.apply(makeGraph([makeVertex("svc", "steward-d", { state: "running", startup: "enabled" }, META_DEFAULTS)], []));
      await until(() => changes() >= 1, "first start", 20_000);
      const active = async (): Promise<boolean> => (await status("steward-d.service")).activeState === "active";
      await untilAsync(active, "active after the first run");
      const pid1 = await mainPid("steward-d.service");

      // stopped by hand
      const r = await c.exec(["systemctl", "stop", "steward-d.service"]);
      assert.equal(r.code, 0, r.stderr);
      const tStopped = performance.now();
      await until(() => changes() >= 2, "engine restarts the stopped unit", 10_000);
      await untilAsync(active, "active again after stop");
      const stopFix = performance.now() - tStopped;
      const pid2 = await mainPid("steward-d.service");
      assert.notEqual(pid2, pid1);

      // killed by hand (SIGKILL → failed)
      await c.exec(["systemctl", "kill", "-s", "KILL", "steward-d.service"]);
      const tKilled = performance.now();
      await until(() => changes() >= 3, "engine restarts the killed unit", 10_000);
      await untilAsync(active, "active again after kill");
      const killFix = performance.now() - tKilled;
      assert.notEqual(await mainPid("steward-d.service"), pid2);

      // disabled by hand
      await c.exec(["systemctl", "disable", "steward-d.service"]);
      await untilAsync(async () => (await status("steward-d.service")).unitFileState === "enabled", "enabled again", 10_000);
      console.log(`# drift: stop → active again ${stopFix.toFixed(0)} ms after systemctl returned; kill → ${killFix.toFixed(0)} ms`);
      assert.equal(events.filter((e) => e.event === "error").length, 0, JSON.stringify(events.filter((e) => e.event === "error")));
    } finally {
      await engine.shutdown();
    }
    await m.stop("steward-d.service");
  });

  test("refresh restarts a running unit; not when it was just started or is to be stopped", async () => {
    writeFileSync(`${unitDir()}/steward-r.service`, SLEEPER("r"));
    const h = onBus("svc", "steward-r", c.busAddress);
    const { res } = await start("svc", "steward-r", { state: "running" }, h);
    h.setRefresh(true);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    assert.ok(!h.logs.some((l) => /restart/.test(l)), "a fresh start is not restarted again");
    const pid1 = await mainPid("steward-r.service");
    assert.equal(await res.checkApply(false, h.abort.signal), false, "noop with refresh: would restart");
    assert.equal(await mainPid("steward-r.service"), pid1);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    assert.ok(h.logs.includes("info: restarted (refresh)"), h.logs.join("\n"));
    const pid2 = await mainPid("steward-r.service");
    assert.notEqual(pid2, pid1, "a new main process");
    h.setRefresh(false);
    assert.equal(await res.checkApply(true, h.abort.signal), true);
    await res.cleanup();

    // state unmanaged: a refresh restarts it only if it runs
    await m.stop("steward-r.service");
    const h2 = onBus("svc", "steward-r", c.busAddress);
    const { res: un } = await start("svc", "steward-r", {}, h2);
    h2.setRefresh(true);
    assert.equal(await un.checkApply(true, h2.abort.signal), true, "not running: nothing to restart");
    assert.equal((await status("steward-r.service")).activeState, "inactive");
    await un.cleanup();
  });

  test("file => svc: a changed unit file is reloaded and the unit restarted", async () => {
    const path = `${unitDir()}/steward-f.service`;
    const meta: Meta = META_DEFAULTS;
    const g = (exec: string) =>
      makeGraph(
        [makeVertex("file", path, { state: "exists", content: SLEEPER("f", exec) }, meta), makeVertex("svc", "steward-f", { state: "running" }, meta)],
        [{ from: `file[${path}]`, to: "svc[steward-f]", notify: true }],
      );
    const engine = new Engine({ hostname: "h", world: new MemoryWorld("h"), stateDir: tempDir(), noop: false, autoedges: true, autogroup: true, dbusAddress: c.busAddress });
    const errors: string[] = [];
    engine.events$.subscribe((e) => e.event === "error" && errors.push(e.message));
    const execStart = async (): Promise<string> => (await c.exec(["systemctl", "show", "-P", "ExecStart", "steward-f.service"])).stdout;
    try {
      await engine.apply(g("/bin/sleep 1001"));
      await untilAsync(async () => (await status("steward-f.service")).activeState === "active" && (await execStart()).includes("1001"), "first version running", 20_000);
      const pid1 = await mainPid("steward-f.service");
      await engine.apply(g("/bin/sleep 1002"));
      await untilAsync(async () => (await execStart()).includes("1002") && (await mainPid("steward-f.service")) !== pid1, "second version running", 20_000);
      assert.equal((await status("steward-f.service")).activeState, "active");
      assert.equal((await status("steward-f.service")).needDaemonReload, false);
      assert.deepEqual(errors, []);
    } finally {
      await engine.shutdown();
    }
    await m.stop("steward-f.service");
  });

  test("session: a user unit under systemd --user", async () => {
    const dir = `${c.root}/root/.config/systemd/user`;
    await withUserManager(c, async (um) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${dir}/steward-u.service`, `[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=default.target\n`);
      const params: Record<string, Value> = { state: "running", startup: "enabled", session: true };
      const h = makeContext("svc", "steward-u"); // no dbusAddress: session units use the user bus
      const { res } = await start("svc", "steward-u", params, h);
      const w = await recordWatch(res);
      await w.next(0);
      assert.equal(await res.checkApply(true, h.abort.signal), false);
      const st = await um.unitStatus("steward-u.service");
      assert.equal(st.activeState, "active");
      assert.equal(st.unitFileState, "enabled");
      assert.equal((await m.unitStatus("steward-u.service")).loadState, "not-found", "not a system unit");
      assert.equal(await res.checkApply(true, h.abort.signal), true);
      const n = w.times.length;
      await um.stop("steward-u.service"); // drift on the user manager
      await w.next(n, 5000);
      assert.equal(await res.checkApply(true, h.abort.signal), false);
      assert.equal((await um.unitStatus("steward-u.service")).activeState, "active");
      w.stop();
      await res.cleanup();
    });
  });

  // last: it restarts the container's bus daemon
  test("a lost bus connection is a watch error; the next checkApply reconnects", async () => {
    writeFileSync(`${unitDir()}/steward-l.service`, SLEEPER("l"));
    const h = onBus("svc", "steward-l", c.busAddress);
    const { res } = await start("svc", "steward-l", { state: "running" }, h);
    const w = await recordWatch(res);
    await w.next(0);
    await c.exec(["systemctl", "restart", "dbus.service"]);
    await until(() => w.errors.length > 0, "watch error", 10_000);
    assert.match(w.errors[0]!.message, /systemd bus: D-Bus connection closed by the peer/);
    w.stop();
    m.close();
    m = await SystemdManager.connect(c.busAddress);
    assert.equal(await res.checkApply(true, h.abort.signal), false, "reconnected and started");
    assert.equal((await status("steward-l.service")).activeState, "active");
    const w2 = await recordWatch(res);
    await w2.next(0);
    w2.stop();
    await res.cleanup();
  });
});
