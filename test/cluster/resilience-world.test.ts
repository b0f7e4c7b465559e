/**
 * A network blip seen from inside an agent (issue 6 §3): the agent runs in the test process (World
 * + function engine + resource engine, test/cluster/resilience-agent.ts) so that the World's own
 * connection reports can be counted exactly; etcd is a real process on loopback. The etcd member
 * is SIGKILLed and restarted 3 s later, then SIGSTOPped and SIGCONTed 3 s later: the agent keeps
 * enforcing its last graph (file drift is corrected during the outage), resumes its watches from
 * the revision it had (a key written just after or during the outage is seen), and reports the
 * outage once. Member loss, a whole-cluster outage and dead agents with real `steward run --seeds`
 * processes are in resilience-agents.test.ts.
 */
import { after, afterEach, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { skipWithoutEtcd, startTestEtcd, tmpBase, until, type TestEtcd } from "../helpers/etcd.js";
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
});
