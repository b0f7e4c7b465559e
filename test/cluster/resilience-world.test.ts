/**
 * Resilience of agents on etcd (issue 6 §3), with the agents inside the test process (World +
 * function engine + resource engine, test/cluster/resilience-agent.ts) and etcd as real
 * processes on loopback:
 *
 * - a blip (the only etcd member SIGKILLed and restarted 3 s later, or SIGSTOPped and SIGCONTed):
 *   the agent keeps enforcing its last graph (file drift is corrected during the outage), resumes
 *   its watches from the revision it had (a key written just after the outage is seen), and
 *   reports the outage once;
 * - a 3-member cluster loses a member while two agents run: nothing stops, no write is lost, and
 *   the member catches up when it returns;
 * - an agent dies: its scheduler slot moves to the other agent within the TTL; its exports stay
 *   until it runs again and prunes them (the documented policy).
 */
import { after, afterEach, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { record, skipWithoutEtcd, startTestEtcd, tmpBase, until, type TestEtcd } from "../helpers/etcd.js";
import { startAgent, type InProcessAgent } from "./resilience-agent.js";

const read = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, "utf8") : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A program: one file enforced as is, one file carrying world.getval("greeting"). */
function blipProgram(dir: string): string {
  const p = join(dir, "main.mcl");
  writeFileSync(
    p,
    `import "world"
$v = world.getval("greeting")
file "${dir}/managed" {
	state => "exists",
	content => "enforced\\n",
}
file "${dir}/greeting" {
	state => "exists",
	content => $v->value,
}
`,
  );
  return p;
}

/** A per-host program: a greeting file, this host's value for kvlookup, and a schedule (max 1, ttl 2). */
function clusterProgram(dir: string): string {
  const p = join(dir, "cluster.mcl");
  writeFileSync(
    p,
    `import "world"
import "strings"
$v = world.getval("greeting")
file "${dir}/\${hostname}-greeting" {
	state => "exists",
	content => $v->value,
}
kv "present" {
	key => "present",
	mapped => true,
	value => $hostname,
}
schedule "singleton" {
	max => 1,
	ttl => 2,
}
`,
  );
  return p;
}

describe("resilience: agents in-process, etcd as real processes", { skip: skipWithoutEtcd() }, () => {
  const dir = tmpBase("resil");
  let etcd: TestEtcd | undefined;
  const agents: InProcessAgent[] = [];
  const worlds: EtcdWorld[] = [];
  const stopped = new Set<number>();

  const open = async (hostname: string, endpoints: readonly string[], namespace: string) => {
    const w = await EtcdWorld.connect({ endpoints: [...endpoints], hostname, namespace, sessionTtl: 10 });
    worlds.push(w);
    return w;
  };
  /** Write through `w`, retrying while etcd comes back. */
  const setRetrying = (w: EtcdWorld, k: string, v: string) =>
    until(`set ${k}=${v}`, async () => (await w.set(k, v), true), 15_000);

  before(() => mkdirSync(dir, { recursive: true }));
  afterEach(async () => {
    // SIGCONT anything a failed test left stopped, then stop every agent, World and etcd it started.
    for (const pid of stopped) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        // gone
      }
    }
    stopped.clear();
    for (const a of agents.splice(0)) await a.crash().catch(() => undefined);
    for (const w of worlds.splice(0)) w.disconnect();
    await etcd?.stop();
    etcd = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("blip: etcd killed for 3 s and restarted; then frozen (SIGSTOP) for 3 s", async (t) => {
    etcd = await startTestEtcd({ tag: "blip" });
    const d = join(dir, "blip");
    mkdirSync(d);
    const writer = await open("writer", etcd.endpoints, "/t-blip/");
    await writer.set("greeting", "hello");
    const agent = await startAgent({ hostname: "a", endpoints: etcd.endpoints, namespace: "/t-blip/", program: blipProgram(d), stateDir: d });
    agents.push(agent);
    await until("first graph applied", () => read(join(d, "greeting")) === "hello" && read(join(d, "managed")) === "enforced\n", 15_000);

    // ---- outage 1: the member is gone (connection refused) for 3 s.
    const member = etcd.servers[0]!;
    const t0 = Date.now();
    await member.kill();
    await until("the agent noticed", () => agent.worldEvents.some((e) => e.type === "disconnected"), 5000);
    // Drift during the outage is corrected: the resource engine does not need etcd.
    writeFileSync(join(d, "managed"), "drifted\n");
    await until("drift corrected during the outage", () => read(join(d, "managed")) === "enforced\n", 5000);
    // A pause first: a delete within a few ms of the file resource's own correction is missed by
    // its watch (a file-watch race reproduced without etcd, reported to the lead), which is not
    // what this test is about.
    await sleep(300);
    unlinkSync(join(d, "managed"));
    await until("deleted file restored during the outage", () => read(join(d, "managed")) === "enforced\n", 5000);
    await sleep(Math.max(0, 3000 - (Date.now() - t0)));
    await member.start();
    // Written the moment etcd is back, possibly before the agent's watch has reconnected: the
    // watch resumes from the revision it had applied, so it must still see it.
    await setRetrying(writer, "greeting", "after the outage");
    await until("the key written after the outage reached the agent", () => read(join(d, "greeting")) === "after the outage", 15_000);
    await until("the agent reconnected", () => agent.worldEvents.some((e) => e.type === "connected"), 5000);
    await sleep(1500); // let late retries report, if they would
    const downs = agent.worldEvents.filter((e) => e.type === "disconnected").length;
    const ups = agent.worldEvents.filter((e) => e.type === "connected").length;
    t.diagnostic(`outage 1 reports: ${JSON.stringify(agent.worldEvents)}`);
    assert.equal(downs, 1, "one outage, one report");
    assert.equal(ups, 1, "one reconnection report");
    assert.ok(agent.worldEvents.filter((e) => e.type === "error").length <= 1, "no error flood");

    // ---- outage 2: the member freezes (SIGSTOP) for 3 s; a write issued meanwhile lands on SIGCONT.
    const n = agent.worldEvents.length;
    process.kill(member.pid!, "SIGSTOP");
    stopped.add(member.pid!);
    const frozenWrite = writer.set("greeting", "written during the freeze");
    writeFileSync(join(d, "managed"), "drifted again\n");
    await until("drift corrected while etcd is frozen", () => read(join(d, "managed")) === "enforced\n", 5000);
    await sleep(3000);
    process.kill(member.pid!, "SIGCONT");
    stopped.delete(member.pid!);
    await frozenWrite;
    await until("the write issued during the freeze reached the agent", () => read(join(d, "greeting")) === "written during the freeze", 15_000);
    await writer.set("greeting", "live");
    await until("live again", () => read(join(d, "greeting")) === "live", 5000);
    const during = agent.worldEvents.slice(n);
    t.diagnostic(`outage 2 reports: ${JSON.stringify(during)}`);
    // A 3 s freeze is shorter than gRPC's keepalive timeout (5 + 2 s): the agent may not notice it
    // at all; if it does, it says so once.
    assert.ok(during.filter((e) => e.type === "disconnected").length <= 1, "at most one report");
    assert.deepEqual(agent.problems, []);
  });

  test("3-member cluster: a member dies while two agents run; nothing is lost; it catches up on return", async () => {
    etcd = await startTestEtcd({ members: 3, tag: "resil3" });
    const d = join(dir, "three");
    mkdirSync(d);
    const ns = "/t-three/";
    const writer = await open("writer", [etcd.endpoints[1]!], ns);
    await writer.set("greeting", "g0");
    const prog = clusterProgram(d);
    for (const h of ["h1", "h2"]) agents.push(await startAgent({ hostname: h, endpoints: etcd.endpoints, namespace: ns, program: prog, stateDir: d }));
    const observer = await open("observer", [etcd.endpoints[2]!], ns);
    const present = record(observer.watchHostValues("present"));
    const chosen = record(observer.watchSchedule("singleton"));
    await until("both agents running", () => ["h1", "h2"].every((h) => read(join(d, `${h}-greeting`)) === "g0"), 15_000);
    await until("both present", () => present.last()?.size === 2, 10_000);
    await until("one host scheduled", () => chosen.last()?.length === 1, 10_000);

    // Member 0 dies. Both agents listed all three members.
    const victim = etcd.servers[0]!;
    await victim.kill();
    for (let i = 1; i <= 20; i++) await writer.set(`k/${i}`, String(i));
    await writer.set("greeting", "g-during");
    await until("agents follow without member 0", () => ["h1", "h2"].every((h) => read(join(d, `${h}-greeting`)) === "g-during"), 15_000);
    // A foreign overwrite of an agent's kv value is seen and corrected through the remaining members.
    await writer.client.put(`${ns}hostvalues/present/h1`).value("tampered");
    await until("kv value corrected", () => present.last()?.get("h1") === "h1" && present.last()?.get("h2") === "h2", 10_000);
    assert.equal(chosen.last()?.length, 1, "still exactly one scheduled");

    await victim.start();
    const onlyVictim = await open("v", [victim.clientUrls[0]!], ns);
    const caught = await until(
      "member 0 caught up",
      async () => (await onlyVictim.client.kv.range({ key: Buffer.from(`${ns}kv/greeting`), serializable: true })).kvs[0]?.value.toString() === "g-during",
      15_000,
    );
    assert.ok(caught);
    const keys = await onlyVictim.client.kv.range({ key: Buffer.from(`${ns}kv/k/`), range_end: Buffer.from(`${ns}kv/k0`), serializable: true });
    assert.equal(keys.kvs.length, 20, "every write made while it was away");
    for (const a of agents) assert.deepEqual(a.problems, []);
    present.stop();
    chosen.stop();
  });

  test("an agent dies: its schedule slot moves within the TTL; its exports stay until it runs again and prunes", async (t) => {
    etcd = await startTestEtcd({ tag: "dead" });
    const d = join(dir, "dead");
    mkdirSync(d);
    const ns = "/t-dead/";
    const prog = clusterProgram(d);
    const observer = await open("observer", etcd.endpoints, ns);
    const chosen = record(observer.watchSchedule("singleton"));
    const a1 = await startAgent({ hostname: "h1", endpoints: etcd.endpoints, namespace: ns, program: prog, stateDir: d });
    agents.push(a1);
    await until("h1 scheduled", () => chosen.last()?.join() === "h1", 15_000);
    const a2 = await startAgent({ hostname: "h2", endpoints: etcd.endpoints, namespace: ns, program: prog, stateDir: d });
    agents.push(a2);
    await until("h2 running", () => read(join(d, "h2-greeting")) === "", 15_000);
    // h1 exports a resource (World level: the engine's Meta:export is another engineer's part).
    await a1.world.exportResource({ kind: "file", name: "/srv/h1", data: "from h1" });
    const seenByH2 = record(a2.world.watchExported("file"));
    await until("h2 sees h1's export", () => seenByH2.last()?.length === 1, 5000);
    assert.equal(chosen.last()?.join(), "h1", "rr keeps h1");

    const t0 = Date.now();
    await a1.crash();
    await until("slot moved to h2", () => chosen.last()?.join() === "h2", 10_000);
    const moved = Date.now() - t0;
    t.diagnostic(`slot moved ${moved} ms after h1 died (ttl 2 s)`);
    assert.ok(moved < 2000 + 6000, `within the TTL plus slack: ${moved} ms`);
    // Its exports carry no lease: still there well after every TTL of h1.
    await sleep(500);
    assert.deepEqual(
      seenByH2.last()?.map((r) => `${r.name}@${r.host}`),
      ["/srv/h1@h1"],
      "a dead host's exports stay",
    );

    // h1 runs again (same hostname): its new graph exports nothing, so it prunes the old record.
    const h1again = await open("h1", etcd.endpoints, ns);
    await h1again.pruneExports([]);
    await until("pruned by h1's next run", () => seenByH2.last()?.length === 0, 5000);
    seenByH2.stop();
    chosen.stop();
  });
});
