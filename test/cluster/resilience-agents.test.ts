/**
 * Resilience with real agents (issue 6 §3): two `steward run --seeds …` processes on a real
 * 3-member etcd cluster (three etcd processes on loopback), one program deployed to both:
 * a file carrying `world.getval("greeting")`, a managed file, a `kv` per-host value, a `schedule`
 * (max 1, ttl 2) and a file exported to every host and collected by both.
 *
 * In order: a member dies and returns (nothing stops, nothing is lost, it catches up); the whole
 * cluster goes away for 3 s (the agents keep enforcing, report the outage once, and see a key
 * written just after it); an agent is SIGKILLed (its schedule slot moves within the TTL, its
 * export stays and is still applied by the other agent, until its next run prunes it).
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { startRun, type RunChild, type RunEvent } from "../cli-run-harness.js";
import { record, skipWithoutEtcd, startTestEtcd, tmpBase, until, type TestEtcd } from "../helpers/etcd.js";

const read = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, "utf8") : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function program(dir: string, exporting: boolean): string {
  return `import "world"
$dir = "${dir}/"
$v = world.getval("greeting")
file "\${dir}\${hostname}-greeting" {
	state => "exists",
	content => $v->value,
}
file "\${dir}\${hostname}-managed" {
	state => "exists",
	content => "enforced\\n",
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
${
  exporting
    ? `file "\${dir}exp-\${hostname}" {
	state => "exists",
	content => "exported by \${hostname}\\n",
	Meta:export => ["*"],
	Meta:hidden => true,
}
collect file ["\${dir}exp-h1", "\${dir}exp-h2"] {}
`
    : ""
}`;
}

/** The agent's outage reports: `world` events with `connected: false`. */
const downs = (a: RunChild, from = 0) => a.events.slice(from).filter((e: RunEvent) => e.event === "world" && e["connected"] === false);
const ups = (a: RunChild, from = 0) => a.events.slice(from).filter((e: RunEvent) => e.event === "world" && e["connected"] === true);

describe("resilience with real agents on a 3-member etcd cluster", { skip: skipWithoutEtcd() }, () => {
  const dir = tmpBase("agents");
  const d = join(dir, "files");
  let etcd: TestEtcd;
  const agents: RunChild[] = [];
  const worlds: EtcdWorld[] = [];
  const ns = "/steward/";
  let seeds = "";

  const agent = (hostname: string, path?: string) => {
    // State under the test's directory (removed at the end), not --tmp-prefix: a SIGKILLed agent
    // cannot remove its own temporary state directory.
    const a = startRun(["--seeds", seeds, "--hostname", hostname, "--prefix", join(dir, `state-${hostname}`), ...(path ? [path] : [])], { tmpPrefix: false });
    agents.push(a);
    return a;
  };
  const open = async (hostname: string, endpoints: readonly string[]) => {
    const w = await EtcdWorld.connect({ endpoints: [...endpoints], hostname, namespace: ns, sessionTtl: 10 });
    worlds.push(w);
    return w;
  };

  before(async () => {
    mkdirSync(d, { recursive: true });
    etcd = await startTestEtcd({ members: 3, tag: "agents" });
    seeds = etcd.endpoints.join(",");
  });
  after(async () => {
    for (const a of agents) a.stop();
    await Promise.all(agents.map((a) => a.exited));
    for (const w of worlds) w.disconnect();
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("member loss, a whole-cluster blip, a dead agent", async (t) => {
    const prog1 = join(dir, "prog1.mcl");
    writeFileSync(prog1, program(d, true));
    const writer = await open("writer", [etcd.endpoints[1]!]);
    const observer = await open("observer", [etcd.endpoints[2]!]);
    await writer.set("greeting", "g0");
    const chosen = record(observer.watchSchedule("singleton"));
    const present = record(observer.watchHostValues("present"));

    const h1 = agent("h1", prog1);
    await until("h1 applied deploy 1", () => read(join(d, "h1-greeting")) === "g0", 60_000);
    await until("h1 scheduled", () => chosen.last()?.join() === "h1", 10_000);
    const h2 = agent("h2"); // no PATH: runs the newest deploy
    await until("h2 applied it", () => read(join(d, "h2-greeting")) === "g0" && read(join(d, "h2-managed")) === "enforced\n", 60_000);
    await until("both present", () => present.last()?.size === 2, 10_000);
    await until("both exports collected", () => read(join(d, "exp-h1")) === "exported by h1\n" && read(join(d, "exp-h2")) === "exported by h2\n", 15_000);
    assert.equal(chosen.last()?.join(), "h1", "rr: h1 keeps the slot");

    // ---- 1. member 0 dies: the agents go on through the others; nothing is lost.
    const victim = etcd.servers[0]!;
    await victim.kill();
    for (let i = 1; i <= 20; i++) await writer.set(`k/${i}`, String(i));
    await writer.set("greeting", "g-member-down");
    await until("agents follow without member 0", () => ["h1", "h2"].every((h) => read(join(d, `${h}-greeting`)) === "g-member-down"), 15_000);
    await victim.start();
    const onlyVictim = await open("v", [victim.clientUrls[0]!]);
    await until(
      "member 0 caught up",
      async () => (await onlyVictim.client.kv.range({ key: Buffer.from(`${ns}kv/greeting`), serializable: true })).kvs[0]?.value.toString() === "g-member-down",
      15_000,
    );
    const ks = await onlyVictim.client.kv.range({ key: Buffer.from(`${ns}kv/k/`), range_end: Buffer.from(`${ns}kv/k0`), serializable: true });
    assert.equal(ks.kvs.length, 20, "every write made while member 0 was away");
    onlyVictim.disconnect();

    // ---- 2. the whole cluster goes away for 3 s (SIGKILL all, restart with their data).
    const mark = [h1.events.length, h2.events.length] as const;
    await Promise.all(etcd.servers.map((s) => s.kill()));
    await until("both agents noticed", () => downs(h1, mark[0]).length > 0 && downs(h2, mark[1]).length > 0, 10_000);
    writeFileSync(join(d, "h1-managed"), "drifted\n");
    unlinkSync(join(d, "h2-managed"));
    await until("drift corrected with no etcd at all", () => read(join(d, "h1-managed")) === "enforced\n" && read(join(d, "h2-managed")) === "enforced\n", 10_000);
    await sleep(3000);
    // Members of a cluster only become healthy together: spawn all, then wait.
    await Promise.all(etcd.servers.map((s) => s.start(false)));
    await until("etcd back", async () => (await writer.set("greeting", "g-after-blip"), true), 30_000);
    await until("a key written just after the outage reached both agents", () => ["h1", "h2"].every((h) => read(join(d, `${h}-greeting`)) === "g-after-blip"), 20_000);
    await until("both reconnected", () => ups(h1, mark[0]).length > 0 && ups(h2, mark[1]).length > 0, 15_000);
    await sleep(1500); // late retries would report now
    for (const [a, m] of [[h1, mark[0]], [h2, mark[1]]] as const) {
      t.diagnostic(`outage reports: ${JSON.stringify(downs(a, m).concat(ups(a, m)).map((e) => e.msg))}`);
      assert.equal(downs(a, m).length, 1, "the outage is reported once");
      assert.equal(ups(a, m).length, 1, "and its end once");
    }

    // ---- 3. h1 is SIGKILLed: its slot moves to h2 within its ttl; its export stays.
    const killedAt = Date.now();
    h1.stop();
    await h1.exited;
    await until("h1's slot moved to h2", () => chosen.last()?.join() === "h2", 15_000);
    const moved = Date.now() - killedAt;
    t.diagnostic(`schedule slot moved ${moved} ms after SIGKILL (ttl 2 s)`);
    assert.ok(moved < 2000 + 8000, `moved after ${moved} ms`);
    await sleep(1000);
    const exported = await observer.collectExported({ kind: "file" });
    assert.deepEqual(
      exported.map((r) => `${r.name}@${r.host}`),
      [`${d}/exp-h1@h1`, `${d}/exp-h2@h2`],
      "a dead agent's export stays",
    );
    unlinkSync(join(d, "exp-h1"));
    await until("h2 still applies h1's export", () => read(join(d, "exp-h1")) === "exported by h1\n", 10_000);

    // h1 runs again with a program that exports nothing: its exporter prunes the old record.
    const prog2 = join(dir, "prog2.mcl");
    writeFileSync(prog2, program(d, false));
    const h1b = agent("h1", prog2);
    await until("exports pruned by their hosts' next graphs", async () => (await observer.collectExported({ kind: "file" })).length === 0, 60_000);
    await h1b.waitFor((e) => e.event === "swap", 30_000);
    assert.equal(h1b.proc.exitCode, null, "h1 runs again");
    chosen.stop();
    present.stop();
  });
});
