/**
 * EtcdWorld on a real 3-member etcd cluster (three `etcd` processes on loopback): a member dies
 * and the World keeps reading and writing; it comes back with its data dir and catches up; a watch
 * whose only endpoint went away resumes from the revision it had applied and replays what
 * happened meanwhile, once each.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { record, skipWithoutEtcd, startTestEtcd, until, type TestEtcd } from "../helpers/etcd.js";

describe("EtcdWorld on a 3-member cluster", { skip: skipWithoutEtcd() }, () => {
  let etcd: TestEtcd;
  const worlds: EtcdWorld[] = [];
  const open = async (hostname: string, endpoints: string[]) => {
    const w = await EtcdWorld.connect({ endpoints, hostname, sessionTtl: 5, namespace: "/t-cluster/" });
    worlds.push(w);
    return w;
  };
  before(async () => {
    etcd = await startTestEtcd({ members: 3, tag: "cluster" });
  });
  after(async () => {
    for (const w of worlds) w.disconnect();
    await etcd?.stop();
  });

  test("kill a member: reads and writes go on; restart it: it catches up", async () => {
    const a = await open("a", etcd.endpoints);
    const seen = record(a.watchPrefix("k/"));
    await a.set("k/0", "before");
    await until("seen", () => seen.last()?.get("k/0") === "before");

    const victim = etcd.servers[2]!;
    await victim.kill();
    for (let i = 1; i <= 20; i++) await a.set(`k/${i}`, String(i));
    assert.equal(await a.get("k/20"), "20");
    await until("watch saw every write", () => seen.last()?.size === 21);

    await victim.start();
    // Read member 2's own copy (serializable: no forwarding to the leader) through a World that
    // knows no other member.
    const onlyVictim = await open("v", [victim.clientUrls[0]!]);
    const direct = await until(
      "member 2 serves the data",
      async () => (await onlyVictim.client.kv.range({ key: Buffer.from("/t-cluster/kv/k/20"), serializable: true })).kvs[0]?.value.toString(),
      10_000,
    );
    assert.equal(direct, "20");
    assert.equal((await onlyVictim.list("k/")).size, 21);
    seen.stop();
  });

  test("a watch whose member goes away for 2 s resumes from its revision: the missed changes, once each", async () => {
    const member = etcd.servers[1]!;
    const other = etcd.servers[0]!;
    const w = await open("w", [member.clientUrls[0]!]);
    const writer = await open("writer", [other.clientUrls[0]!]);
    const seen = record(w.watchPrefix("r/"));
    await writer.set("r/x", "0");
    await until("seen 0", () => seen.last()?.get("r/x") === "0");

    await member.stop();
    // Changes while the watcher's only member is away.
    for (let i = 1; i <= 5; i++) await writer.set("r/x", String(i));
    await writer.set("r/gone", "soon");
    await writer.delete("r/gone");
    await writer.set("r/y", "new");
    await new Promise((r) => setTimeout(r, 2000));
    await member.start();

    await until("caught up", () => seen.last()?.get("r/x") === "5" && seen.last()?.get("r/y") === "new" && !seen.last()?.has("r/gone"), 10_000);
    await writer.set("r/x", "6");
    await until("live again", () => seen.last()?.get("r/x") === "6");
    // Values of r/x only ever move forward: no replayed (older) state after the reconnect.
    const xs = seen.seen.map((m) => Number(m.get("r/x") ?? -1));
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! >= xs[i - 1]!, `r/x went back: ${xs.join(",")}`);
    const states = seen.seen.map((m) => JSON.stringify([...m]));
    assert.equal(new Set(states).size, states.length, `no duplicate states: ${states.join(" | ")}`);
    seen.stop();
  });
});
