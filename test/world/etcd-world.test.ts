/**
 * EtcdWorld's shared state between hosts against a real single-member etcd: membership through
 * leases, per-host values, exported resources (targets, prune, collect), the scheduler's election
 * and reactive results, and the strict deploy sequence.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { DeployConflictError } from "../../runtime/world/world.js";
import { record, skipWithoutEtcd, startTestEtcd, until, type TestEtcd } from "../helpers/etcd.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

describe("EtcdWorld between hosts", { skip: skipWithoutEtcd() }, () => {
  let etcd: TestEtcd;
  const worlds: EtcdWorld[] = [];
  const open = async (hostname: string, namespace: string) => {
    const w = await EtcdWorld.connect({ endpoints: etcd.endpoints, hostname, sessionTtl: 1, namespace });
    worlds.push(w);
    return w;
  };
  before(async () => {
    etcd = await startTestEtcd({ tag: "world" });
  });
  after(async () => {
    for (const w of worlds) w.disconnect();
    await etcd?.stop();
  });

  test("membership: a host that stops its keepalives disappears after its TTL; close() leaves at once", async () => {
    const ns = "/t-members/";
    const a = await open("a", ns);
    const hosts = record(a.watchHosts());
    const b = await open("b", ns);
    const c = await open("c", ns);
    await until("three hosts", () => hosts.last()?.length === 3);
    assert.deepEqual(hosts.last(), ["a", "b", "c"]);

    const t0 = Date.now();
    b.disconnect(); // as if the process died: no more keepalives
    await until("b expired", () => hosts.last()?.join() === "a,c", 5000);
    const expiredAfter = Date.now() - t0;
    assert.ok(expiredAfter >= 500, `b stayed until its 1 s lease ran out (${expiredAfter} ms)`);

    await c.close(); // clean leave: revoked at once
    await until("c left", () => hosts.last()?.join() === "a", 500);
    hosts.stop();
  });

  test("per-host values: each host writes its own, everyone sees the map", async () => {
    const ns = "/t-hostvalues/";
    const a = await open("a", ns);
    const b = await open("b", ns);
    const m = record(a.watchHostValues("app"));
    const deeper = record(a.watchHostValues("app/sub")); // a namespace below another stays apart
    await a.setHostValue("app", "1");
    await b.setHostValue("app", "2");
    await b.setHostValue("app/sub", "x");
    await until("both", () => m.last()?.size === 2);
    assert.deepEqual([...m.last()!], [["a", "1"], ["b", "2"]]);
    await until("sub", () => deeper.last()?.size === 1);
    assert.deepEqual([...deeper.last()!], [["b", "x"]]);
    await b.close();
    await until("b's values withdrawn", () => m.last()?.size === 1);
    m.stop();
    deeper.stop();
  });

  test("exports: per target host, unchanged re-exports write nothing, prune, collect and watch", async () => {
    const ns = "/t-exports/";
    const a = await open("a", ns);
    const b = await open("b", ns);
    const c = await open("c", ns);
    const onB = record(b.watchExported("file"));
    const onC = record(c.watchExported());
    await until("loaded", () => onB.seen.length === 1 && onC.seen.length === 1);

    assert.equal(await a.exportResource({ kind: "file", name: "/tmp/all", data: "A" }), true);
    assert.equal(await a.exportResource({ kind: "file", name: "/tmp/all", data: "A" }), false, "unchanged: no write");
    assert.equal(await a.exportResource({ kind: "file", name: "/tmp/for-b", data: "B", targets: ["b"] }), true);
    await c.exportResource({ kind: "print", name: "p", data: "P", targets: ["*", "c"] });

    const names = (rs: readonly { kind: string; name: string; host: string }[] | undefined) => (rs ?? []).map((r) => `${r.kind}[${r.name}]@${r.host}`);
    await until("b sees a's files", () => onB.last()?.length === 2);
    assert.deepEqual(names(onB.last()), ["file[/tmp/all]@a", "file[/tmp/for-b]@a"]);
    await until("c sees its own print once and a's file", () => onC.last()?.length === 2);
    assert.deepEqual(names(onC.last()), ["file[/tmp/all]@a", "print[p]@c"]);

    assert.deepEqual(names(await b.collectExported({ kind: "file", name: "/tmp/for-b" })), ["file[/tmp/for-b]@a"]);
    assert.deepEqual(names(await c.collectExported({ kind: "file", name: "/tmp/for-b" })), [], "not aimed at c");
    assert.deepEqual(names(await b.collectExported({ host: "c" })), ["print[p]@c"]);
    assert.equal((await b.collectExported({ kind: "file", name: "/tmp/all" }))[0]?.data, "A");

    // Retarget: /tmp/for-b now goes to c only.
    assert.equal(await a.exportResource({ kind: "file", name: "/tmp/for-b", data: "B", targets: ["c"] }), true);
    await until("moved", () => onB.last()?.length === 1 && onC.last()?.length === 3);

    // Prune after a "swap" that keeps only /tmp/all.
    await a.pruneExports([{ kind: "file", name: "/tmp/all" }]);
    await until("pruned", () => onC.last()?.length === 2);
    assert.deepEqual(names(onC.last()), ["file[/tmp/all]@a", "print[p]@c"]);

    // A host that dies keeps its exports (policy: until it runs again and prunes).
    a.disconnect();
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(names(await b.collectExported()), ["file[/tmp/all]@a", "print[p]@c"]);
    // Back again under the same name: it adopts its old records and a prune removes them.
    const a2 = await open("a", ns);
    await a2.exportResources([{ kind: "file", name: "/tmp/new", data: "N" }]);
    await until("a's old export replaced", () => names(onB.last()).join() === "file[/tmp/new]@a");
    // A clean close withdraws them.
    await a2.close();
    await until("withdrawn on close", () => onB.last()?.length === 0);
    onB.stop();
    onC.stop();
  });

  test("scheduler: one leader per namespace publishes the choice; joins and leaves change it", async () => {
    const ns = "/t-schedule/";
    const h1 = await open("h1", ns);
    const h2 = await open("h2", ns);
    const h3 = await open("h3", ns);
    const watcher = await open("observer", ns);
    const seen = record(watcher.watchSchedule("db"));
    await until("loaded", () => seen.seen.length === 1);
    assert.deepEqual(seen.last(), []);

    const s1 = record(h1.schedule("db", { max: 2 }));
    await until("h1 chosen", () => seen.last()?.join() === "h1");
    const s2 = record(h2.schedule("db", { max: 2 }));
    await until("h1 and h2 chosen", () => seen.last()?.join() === "h1,h2");
    const s3 = record(h3.schedule("db", { max: 2 }));
    await until("h3 joined", () => s3.last()?.join() === "h1,h2");
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(seen.last(), ["h1", "h2"], "rr keeps the first two, h3 waits");

    // The leader (h1, first to campaign) withdraws: h3 moves up, and a new leader publishes.
    s1.stop();
    await until("h1 replaced by h3", () => seen.last()?.join() === "h2,h3");
    // h2 dies without withdrawing: its candidacy lease (1 s) runs out, h1 is gone, so only h3.
    h2.disconnect();
    await until("h2 expired", () => seen.last()?.join() === "h3", 5000);
    // A newcomer joins: chosen at once (max 2).
    const s1b = record(h1.schedule("db", { max: 2 }));
    await until("h1 back", () => seen.last()?.join() === "h1,h3");
    await until("h1 sees it too", () => s1b.last()?.join() === "h1,h3");
    // Everybody leaves: the last leader clears the result.
    s3.stop();
    s1b.stop();
    await until("empty", () => seen.last()?.length === 0);
    s2.stop();
    seen.stop();
  });

  test("deploys: a strict sequence; concurrent publishers each get their own id; watch and read", async () => {
    const ns = "/t-deploy/";
    const a = await open("a", ns);
    const b = await open("b", ns);
    const d = record(b.watchDeploy());
    await until("loaded", () => d.seen.length === 1);
    assert.equal(d.seen[0], undefined);
    assert.equal(await a.getDeploy(), undefined);

    const files = (s: string) => new Map([["main.mcl", enc.encode(s)], ["files/data.txt", enc.encode(s.repeat(3))]]);
    const ids = await Promise.all([
      a.publishDeploy("main.mcl", files("a1")),
      b.publishDeploy("main.mcl", files("b1")),
      a.publishDeploy("main.mcl", files("a2")),
      b.publishDeploy("main.mcl", files("b2")),
    ]);
    assert.deepEqual([...ids].sort(), [1, 2, 3, 4], `each id exactly once: ${ids.join()}`);
    await until("newest watched", () => d.last()?.id === 4);
    const newest = await a.getDeploy();
    assert.equal(newest?.id, 4);
    assert.equal(newest?.entry, "main.mcl");
    // Deploy n holds what its publisher sent.
    for (const [i, id] of ids.entries()) {
      const src = ["a1", "b1", "a2", "b2"][i]!;
      assert.equal(dec.decode(await b.readDeployFile(id, "main.mcl")), src);
      assert.equal(dec.decode((await b.getDeploy(id))!.files.get("files/data.txt")), src.repeat(3));
    }
    assert.equal(await b.readDeployFile(1, "missing"), undefined);

    // With `previous`, a stale publisher is refused instead of retried.
    await assert.rejects(a.publishDeploy("main.mcl", files("x"), { previous: 3 }), DeployConflictError);
    const racers = await Promise.allSettled([a.publishDeploy("main.mcl", files("r1"), { previous: 4 }), b.publishDeploy("main.mcl", files("r2"), { previous: 4 })]);
    assert.deepEqual(racers.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
    await until("5 watched", () => d.last()?.id === 5);
    // A big file goes in chunks and comes back whole.
    const big = new Uint8Array(2_500_000).map((_, i) => i % 251);
    const id6 = await a.publishDeploy("main.mcl", new Map([["main.mcl", enc.encode("x")], ["files/big.bin", big]]));
    assert.deepEqual(await b.readDeployFile(id6, "files/big.bin"), big);
    await until("6 watched", () => d.last()?.id === 6);
    assert.deepEqual(d.seen.map((x) => x?.id).filter((x, i, xs) => xs.indexOf(x) !== i), [], "each deploy emitted once");
    d.stop();
  });
});
