import { test } from "node:test";
import * as assert from "node:assert/strict";
import { MemoryBackend, MemoryWorld } from "../../runtime/world/memory.js";
import type { World } from "../../runtime/world/world.js";

function record<T>(obs: import("rxjs").Observable<T>) {
  const seen: T[] = [];
  const sub = obs.subscribe((v) => seen.push(v));
  return { seen, stop: () => sub.unsubscribe() };
}

test("key/values: get, set, delete, list; watch emits the current value then each change once", async () => {
  const w: World = new MemoryWorld("h1");
  const k = record(w.watch("a/x"));
  assert.deepEqual(k.seen, [undefined]);
  await w.set("a/x", "1");
  await w.set("a/x", "1"); // no change, no emission
  await w.set("a/y", "2");
  await w.set("b", "3");
  assert.equal(await w.get("a/x"), "1");
  assert.deepEqual([...(await w.list("a/"))], [["a/x", "1"], ["a/y", "2"]]);
  await w.delete("a/x");
  await w.delete("a/x");
  assert.deepEqual(k.seen, [undefined, "1", undefined]);
  assert.equal(await w.get("a/x"), undefined);
  k.stop();
});

test("watchPrefix only fires for changes below the prefix", async () => {
  const w = new MemoryWorld("h1");
  const p = record(w.watchPrefix("app/"));
  await w.set("app/b", "2");
  await w.set("app/a", "1");
  await w.set("other", "x");
  await w.delete("app/b");
  assert.deepEqual(p.seen.map((m) => [...m]), [[], [["app/b", "2"]], [["app/a", "1"], ["app/b", "2"]], [["app/a", "1"]]]);
  p.stop();
});

test("per-host values, exports, schedule and membership across hosts sharing a backend", async () => {
  const b = new MemoryBackend();
  const h1 = new MemoryWorld("h1", b);
  const h2 = new MemoryWorld("h2", b);
  const hosts = record(h1.watchHosts());
  assert.deepEqual(hosts.seen, [["h1", "h2"]]);

  const kv = record(h1.watchHostValues("ns"));
  await h2.setHostValue("ns", "b");
  await h1.setHostValue("ns", "a");
  assert.deepEqual([...kv.seen.at(-1)!], [["h1", "a"], ["h2", "b"]]);

  const ex = record(h1.watchExported("file"));
  await h2.exportResources([{ kind: "file", name: "/tmp/x", data: "{}" }, { kind: "print", name: "p", data: "{}" }]);
  await h1.exportResources([{ kind: "file", name: "/tmp/x", data: '{"a":1}' }]);
  assert.deepEqual(ex.seen.at(-1)!.map((r) => `${r.kind}[${r.name}]@${r.host}`), ["file[/tmp/x]@h1", "file[/tmp/x]@h2"]);

  const s1 = record(h1.schedule("db", { max: 1 }));
  const s2 = record(h2.schedule("db", { max: 1 }));
  const all = record(h2.schedule("web"));
  assert.deepEqual(s1.seen, [["h1"]]);
  assert.deepEqual(s2.seen, [["h1"]]);
  s1.stop(); // h1 stops volunteering: h2 takes over
  assert.deepEqual(s2.seen, [["h1"], ["h2"]]);
  assert.deepEqual(all.seen, [["h2"]]);

  await h2.close();
  assert.deepEqual(hosts.seen.at(-1), ["h1"]);
  assert.deepEqual([...kv.seen.at(-1)!], [["h1", "a"]]);
  assert.deepEqual(ex.seen.at(-1)!.map((r) => r.host), ["h1"]);
  assert.deepEqual(s2.seen.at(-1), []);
  for (const r of [hosts, kv, ex, s2, all]) r.stop();
});

test("schedule: watchSchedule and every volunteer see one choice, capped by the smallest max asked", () => {
  const b = new MemoryBackend();
  const [h1, h2, h3] = ["h1", "h2", "h3"].map((h) => new MemoryWorld(h, b)) as [MemoryWorld, MemoryWorld, MemoryWorld];
  const watcher = record(h3.watchSchedule("db"));
  const s2 = record(h2.schedule("db", { max: 2 }));
  const s3 = record(h3.schedule("db", { max: 2 }));
  const s1 = record(h1.schedule("db")); // no max of its own: the others' 2 still holds
  assert.deepEqual(watcher.seen.at(-1), ["h1", "h2"]);
  assert.deepEqual(s3.seen.at(-1), ["h1", "h2"]);
  assert.deepEqual(s1.seen.at(-1), ["h1", "h2"]);
  s1.stop(); // h1 leaves: h3 moves up
  assert.deepEqual(watcher.seen.at(-1), ["h2", "h3"]);
  assert.deepEqual(s2.seen.at(-1), ["h2", "h3"]);
  for (const r of [watcher, s2, s3]) r.stop();
  assert.deepEqual(watcher.seen.at(-1), ["h2", "h3"]); // stopped before the last leave
  assert.deepEqual(record(h1.watchSchedule("db")).seen, [[]]);
});

test("deploys: ids count up, the latest is watched, files are readable by id", async () => {
  const w = new MemoryWorld("h1");
  const d = record(w.watchDeploy());
  const enc = new TextEncoder();
  const id1 = await w.publishDeploy("main.mcl", new Map([["main.mcl", enc.encode('print "a" {}')]]));
  const id2 = await w.publishDeploy("main.mcl", new Map([["main.mcl", enc.encode('print "b" {}')], ["f.txt", enc.encode("x")]]));
  assert.deepEqual([id1, id2], [1, 2]);
  assert.deepEqual(d.seen.map((x) => x?.id), [undefined, 1, 2]);
  assert.equal(new TextDecoder().decode(await w.readDeployFile(1, "main.mcl")), 'print "a" {}');
  assert.equal(await w.readDeployFile(1, "f.txt"), undefined);
  assert.equal(new TextDecoder().decode(await w.readDeployFile(2, "f.txt")), "x");
  d.stop();
});
