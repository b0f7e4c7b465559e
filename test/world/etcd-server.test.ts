/**
 * The etcd supervisor (runtime/etcd/server.ts) and `steward etcd`: a crashed server is restarted
 * with its data, `stop()` ends it for good, and the CLI runs a server in the foreground until
 * SIGTERM and removes nothing but the process.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { EtcdServer, checkHealth } from "../../runtime/etcd/server.js";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { freePorts, skipWithoutEtcd, tmpBase, until } from "../helpers/etcd.js";

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const killPid = (pid: number | undefined) => {
  if (pid !== undefined && alive(pid)) process.kill(pid, "SIGKILL");
};

test("a crashed etcd is restarted with its data; stop() ends it for good", { skip: skipWithoutEtcd() }, async () => {
  const dir = tmpBase("server");
  const [client, peer] = (await freePorts(2)) as [number, number];
  const events: string[] = [];
  const s = new EtcdServer({
    name: "n",
    dataDir: join(dir, "data"),
    clientUrls: [`http://127.0.0.1:${client}`],
    peerUrls: [`http://127.0.0.1:${peer}`],
    heartbeatMs: 10,
    electionMs: 100,
    onEvent: (e) => events.push(e.type),
  });
  const pids: (number | undefined)[] = [];
  let w: EtcdWorld | undefined;
  try {
    await s.start();
    pids.push(s.pid);
    w = await EtcdWorld.connect({ endpoints: [...s.clientUrls], hostname: "h", sessionTtl: 5 });
    await w.set("survives", "yes");
    s.crash();
    await until("restarted", () => s.pid !== undefined && s.pid !== pids[0], 5000);
    pids.push(s.pid);
    await s.waitHealthy(10_000);
    assert.equal(await w.get("survives"), "yes", "same data dir");
    assert.ok(events.includes("restarting"), events.join());
    await s.stop();
    assert.equal(s.pid, undefined);
    assert.ok(!alive(pids[1]), "stopped");
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(s.pid, undefined, "not restarted after stop()");
    assert.equal(await checkHealth(s.clientUrls[0]!), false);
  } finally {
    w?.disconnect();
    await s.kill();
    for (const p of pids) killPid(p);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("steward etcd runs a server in the foreground until SIGTERM; bad flags are usage errors", { skip: skipWithoutEtcd() }, async () => {
  const dir = tmpBase("cli");
  const [client, peer] = (await freePorts(2)) as [number, number];
  const main = join(import.meta.dirname, "..", "..", "runtime", "cli", "main.ts");
  const run = (args: string[]) => spawn(process.execPath, ["--import", "tsx", main, "etcd", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let etcdPid: number | undefined;
  const child = run(["--prefix", dir, "--name", "solo", "--client-url", `http://127.0.0.1:${client}`, "--peer-url", `http://127.0.0.1:${peer}`]);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  try {
    await until("healthy", () => /healthy/.test(stderr), 20_000);
    etcdPid = Number(/pid (\d+)/.exec(stderr)?.[1]);
    assert.ok(alive(etcdPid));
    assert.equal(await checkHealth(`http://127.0.0.1:${client}`), true);
    assert.ok(existsSync(join(dir, "etcd", "server", "member")), "data in <prefix>/etcd/server");
    child.kill("SIGTERM");
    assert.equal(await exited, 0, stderr);
    assert.ok(!alive(etcdPid), "the etcd process is gone");

    const bad = run(["--prefix", dir, "--client-url", "localhost:1"]);
    let err = "";
    bad.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    assert.equal(await new Promise((r) => bad.on("exit", r)), 2);
    assert.match(err, /^steward: etcd: --client-url/);
  } finally {
    child.kill("SIGKILL");
    killPid(etcdPid);
    rmSync(dir, { recursive: true, force: true });
  }
});
