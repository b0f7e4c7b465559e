/**
 * EtcdWorld key/values against a real single-member etcd: get/set/delete/list, watches by key and
 * by prefix, no self-wake on unchanged writes, and a watch that survives the server going away for
 * 2 s (same data dir) without missing or repeating anything.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { record, skipWithoutEtcd, startTestEtcd, until, type TestEtcd } from "../helpers/etcd.js";

describe("EtcdWorld key/values", { skip: skipWithoutEtcd() }, () => {
  let etcd: TestEtcd;
  const worlds: EtcdWorld[] = [];
  const open = async (hostname: string) => {
    const w = await EtcdWorld.connect({ endpoints: etcd.endpoints, hostname, sessionTtl: 2 });
    worlds.push(w);
    return w;
  };
  before(async () => {
    etcd = await startTestEtcd({ tag: "kv" });
  });
  after(async () => {
    for (const w of worlds) w.disconnect();
    await etcd?.stop();
  });

  test("get, set, delete, list; watch a key and a prefix", async () => {
    const w = await open("h1");
    const k = record(w.watch("a/x"));
    const p = record(w.watchPrefix("a/"));
    await until("initial key state", () => k.seen.length === 1);
    await until("initial prefix state", () => p.seen.length === 1);
    assert.deepEqual(k.seen, [undefined]);
    assert.deepEqual([...p.seen[0]!], []);

    await w.set("a/x", "1");
    await w.set("a/y", "2");
    await w.set("b", "3");
    assert.equal(await w.get("a/x"), "1");
    assert.equal(await w.get("nope"), undefined);
    assert.deepEqual([...(await w.list("a/"))], [["a/x", "1"], ["a/y", "2"]]);
    await until("key watch sees 1", () => k.last() === "1");
    await until("prefix watch sees both", () => p.last()?.size === 2);

    await w.delete("a/x");
    await w.delete("a/x"); // absent: no event
    assert.equal(await w.get("a/x"), undefined);
    await until("key watch sees the delete", () => k.seen.length === 3);
    await until("prefix watch sees the delete", () => p.last()?.size === 1);
    assert.deepEqual(k.seen, [undefined, "1", undefined]);
    // `b` is outside the prefix: never seen by it.
    // Changes that arrive in one etcd watch response may be delivered as one state (["a/x"] can
    // be skipped when both puts land together), but the order of states is kept.
    const states = p.seen.map((m) => [...m.keys()].join(","));
    assert.ok(states.every((st) => ["", "a/x", "a/x,a/y", "a/y"].includes(st)), states.join(" | "));
    assert.equal(states[0], "");
    assert.ok(states.includes("a/x,a/y"), states.join(" | "));
    assert.equal(states.at(-1), "a/y");
    assert.ok(states.indexOf("a/x,a/y") < states.lastIndexOf("a/y"), states.join(" | "));
    // A second watcher of the same key gets the current state at once (shared etcd watch).
    const k2 = record(w.watch("a/y"));
    await until("late subscriber", () => k2.seen.length === 1);
    assert.deepEqual(k2.seen, ["2"]);
    for (const r of [k, p, k2]) r.stop();
  });

  test("an unchanged write creates no revision and wakes no watcher (the writer's own included)", async () => {
    const w = await open("h2");
    const other = await open("h3");
    await w.set("same", "v");
    const mine = record(w.watch("same"));
    const theirs = record(other.watchPrefix("same"));
    await until("loaded", () => mine.seen.length === 1 && theirs.seen.length === 1);
    const rev0 = Number((await w.client.get("/steward/kv/same").exec()).header.revision);
    for (let i = 0; i < 5; i++) {
      await w.set("same", "v");
      await other.set("same", "v");
    }
    const rev1 = Number((await w.client.get("/steward/kv/same").exec()).header.revision);
    assert.equal(rev1, rev0, "no revision was created");
    await w.set("same", "w"); // a real change is seen once by each
    await until("change seen", () => mine.last() === "w" && theirs.last()?.get("same") === "w");
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(mine.seen, ["v", "w"]);
    assert.equal(theirs.seen.length, 2);
    mine.stop();
    theirs.stop();
  });

  test("a watch survives etcd being down for 2 s: resumes, no duplicates, nothing missed", async () => {
    const w = await open("h4");
    const ups: boolean[] = [];
    const conn = w.connection.subscribe((u) => ups.push(u));
    const p = record(w.watchPrefix("blip/"));
    await until("loaded", () => p.seen.length === 1);
    await w.set("blip/before", "1");
    await until("before", () => p.last()?.get("blip/before") === "1");

    const server = etcd.servers[0]!;
    await server.stop(); // SIGTERM: same data dir, restarted below
    await new Promise((r) => setTimeout(r, 2000));
    await server.start();

    // Written right after the restart, by another client: the resumed watch must see it.
    const writer = await open("h5");
    await writer.set("blip/after", "2");
    await writer.delete("blip/before");
    await until("watch resumed", () => p.last()?.get("blip/after") === "2" && !p.last()?.has("blip/before"), 10_000);
    await w.set("blip/after2", "3");
    await until("and keeps going", () => p.last()?.get("blip/after2") === "3");
    // Each state is a strict successor of the previous one: no replayed (duplicate) states.
    const states = p.seen.map((m) => JSON.stringify([...m]));
    assert.equal(new Set(states).size, states.length, `no duplicate states: ${states.join(" | ")}`);
    // Every state is one of the expected ones, in order; two changes that etcd delivers in one
    // response may show as one state (the middle one can be skipped), nothing else may.
    const want = ["", "blip/before", "blip/after,blip/before", "blip/after", "blip/after,blip/after2"];
    const keys = p.seen.map((m) => [...m.keys()].join(","));
    const at = keys.map((k) => want.indexOf(k));
    assert.ok(at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1]!)), keys.join(" | "));
    assert.deepEqual([keys[0], keys[1], keys.at(-1)], ["", "blip/before", "blip/after,blip/after2"]);
    // The outage was reported once, and the recovery once.
    assert.deepEqual(ups.slice(0, 3), [true, false, true]);
    p.stop();
    conn.unsubscribe();
  });
});
