/**
 * The `schedule` resource and `world.schedule` against a real etcd (issue 6 §2): hosts volunteer
 * through real `schedule` resources, a leader per namespace publishes the choice, and the
 * read-only `world.schedule` function follows it. One host runs in its own process and is
 * SIGKILLed: its slot moves to the waiting host within its TTL, and the leader it was hands over.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { printValue, type Value } from "../../lang/values.js";
import { getKindImpl, type Resource } from "../../runtime/engine/resource.js";
import { EtcdWorld } from "../../runtime/world/etcd.js";
import { MemoryWorld } from "../../runtime/world/memory.js";
import { computeSchedule } from "../../runtime/world/etcd-schedule.js";
import type { ScheduleOptions } from "../../runtime/world/world.js";
import "../../stdlib/resources/schedule.js";
import { makeContext, recordWatch, removeTempDirs, type WatchRecorder } from "../resources/harness.js";
import { makeCtx, record as recordFn, stream } from "../stdlib/effects-helpers.js";
import { record, skipWithoutEtcd, startTestEtcd, until, type TestEtcd } from "../helpers/etcd.js";

const NS = "/t-sched/";
const HOST_SCRIPT = fileURLToPath(new URL("./schedule-host.ts", import.meta.url));
after(removeTempDirs);
const invalid = (params: Record<string, Value>) => getKindImpl("schedule")!.create("db", params).validate();

test("schedule: validation reasons are one line each", () => {
  assert.equal(invalid({}), undefined);
  assert.match(invalid({ strategy: "random" })!, /strategy must be one of rr, alpha, got "random"/);
  assert.match(invalid({ max: 0n })!, /max must be in 1\.\.1000000, got 0/);
  assert.match(invalid({ ttl: 0n })!, /ttl must be in 1\.\.86400 seconds, got 0/);
  assert.match(invalid({ namespace: "/abs" })!, /must not start or end with '\/'/);
  assert.equal(invalid({ namespace: "jobs/db", strategy: "alpha", max: 3n, ttl: 5n, persist: true }), undefined);
});

test("strategies: rr keeps who is chosen, alpha sorts; disagreement means rr and the smallest max", () => {
  const c = (o: Record<string, ScheduleOptions>) => new Map(Object.entries(o));
  const rr2 = { strategy: "rr", max: 2 };
  assert.deepEqual(computeSchedule([], c({ b: rr2, a: rr2, c: rr2 })), ["a", "b"]);
  assert.deepEqual(computeSchedule(["c", "b"], c({ a: rr2, b: rr2, c: rr2 })), ["c", "b"], "rr: the chosen stay");
  assert.deepEqual(computeSchedule(["c", "b"], c({ a: rr2, b: rr2 })), ["b", "a"], "rr: a departed host's slot goes to a newcomer");
  const alpha2 = { strategy: "alpha", max: 2 };
  assert.deepEqual(computeSchedule(["c", "b"], c({ a: alpha2, b: alpha2, c: alpha2 })), ["a", "b"]);
  assert.deepEqual(computeSchedule(["c"], c({ a: { strategy: "alpha", max: 3 }, b: { max: 1 }, c: {} })), ["c"], "rr, max 1");
  assert.deepEqual(computeSchedule([], c({ a: {}, b: {} })), ["a", "b"], "no max at all: everyone");
});

test("schedule on one host (MemoryWorld): volunteer, world.schedule reads it, cleanup withdraws", async () => {
  const world = new MemoryWorld("solo");
  const h = makeContext("schedule", "job");
  const res = getKindImpl("schedule")!.create("job", {});
  await res.init({ ...h.ctx, hostname: "solo", world });
  const fn = recordFn(stream("world.schedule", ["job"], makeCtx({ stateDir: "/x", hostname: "solo", world })));
  assert.equal(await res.checkApply(false, h.abort.signal), false, "noop: not a candidate yet");
  assert.deepEqual(fn.values.map((v) => printValue(v as Value)), ["[]"]);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(await res.checkApply(true, h.abort.signal), true, "already volunteering");
  assert.equal(printValue(fn.values.at(-1) as Value), '["solo"]');
  await res.cleanup();
  assert.equal(printValue(fn.values.at(-1) as Value), "[]");
  fn.sub.unsubscribe();
});

describe("schedule on etcd: 3 hosts, max 2", { skip: skipWithoutEtcd() }, () => {
  let etcd: TestEtcd;
  const worlds: EtcdWorld[] = [];
  const children: ChildProcess[] = [];
  const resources: Resource[] = [];
  const watches: WatchRecorder[] = [];

  const open = async (hostname: string) => {
    const w = await EtcdWorld.connect({ endpoints: etcd.endpoints, hostname, namespace: NS, sessionTtl: 10 });
    worlds.push(w);
    return w;
  };
  /** A real `schedule` resource on `world`, applied once; its watch recorded. */
  const volunteer = async (world: EtcdWorld, params: Record<string, Value>) => {
    const h = makeContext("schedule", "db", "/nonexistent/steward-schedule-test");
    const res = getKindImpl("schedule")!.create("db", params);
    assert.equal(res.validate(), undefined);
    await res.init({ ...h.ctx, hostname: world.hostname, world });
    resources.push(res);
    const w = await recordWatch(res);
    watches.push(w);
    await res.checkApply(true, h.abort.signal);
    return { res, h, watch: w };
  };
  /** A host in its own process; resolves once its candidacy is stored. */
  const spawnHost = async (hostname: string, params: Record<string, unknown>) => {
    const child = spawn(process.execPath, ["--import", "tsx", HOST_SCRIPT, etcd.endpoints.join(","), hostname, "db", JSON.stringify(params)], {
      env: { ...process.env, STEWARD_TEST_NS: NS, STEWARD_TEST_SESSION_TTL: "2" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    let err = "";
    child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
    await until(`${hostname} ready`, () => {
      if (child.exitCode !== null) throw new Error(`${hostname} exited ${child.exitCode}: ${err}`);
      return out.includes("ready");
    }, 30_000);
    return child;
  };

  before(async () => {
    etcd = await startTestEtcd({ tag: "sched" });
  });
  after(async () => {
    for (const c of children) if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, "SIGKILL");
    for (const w of watches) w.stop();
    for (const r of resources) await r.cleanup();
    for (const w of worlds) w.disconnect();
    await etcd?.stop();
  });

  test("exactly 2 of 3 chosen; a SIGKILLed host's slot moves to the third within its TTL; world.schedule follows", async (t) => {
    const observer = await open("observer");
    const fn = recordFn(stream("world.schedule", ["db"], makeCtx({ stateDir: "/x", hostname: "observer", world: observer })));
    const last = () => (fn.values.at(-1) as readonly string[] | undefined)?.join(",");
    await until("world.schedule loaded", () => last() === "");
    const members = record(observer.watchHosts());

    // h0 first: it leads the namespace (its election key is the oldest) and takes a slot.
    const child = await spawnHost("h0", { max: 2, ttl: 2 });
    await until("h0 chosen", () => last() === "h0");
    const h2 = await open("h2");
    const h3 = await open("h3");
    const a = await volunteer(h2, { max: 2n, ttl: 2n });
    await until("h0 and h2 chosen", () => last() === "h0,h2");
    const b = await volunteer(h3, { max: 2n, ttl: 2n });
    // h3's resource sees the published result through its watch (startup event, then changes).
    await until("h3's watch is current", () => b.watch.times.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(last(), "h0,h2", "rr keeps the chosen two; h3 waits");
    assert.ok(a.watch.times.length >= 2, "h2's watch saw the result change");

    // The leader dies without a word: no withdraw, no revoke; its leases run out after 2 s.
    const killedAt = Date.now();
    process.kill(child.pid!, "SIGKILL");
    await until("h0's slot moved to h3", () => last() === "h2,h3", 15_000);
    const moved = Date.now() - killedAt;
    t.diagnostic(`slot moved ${moved} ms after SIGKILL (ttl 2 s)`);
    // Generous bound (a loaded 2-core machine); the property is "after the TTL, not never".
    assert.ok(moved >= 1000 && moved < 2000 + 6000, `moved after ${moved} ms`);
    for (const v of fn.values) assert.ok((v as readonly string[]).length <= 2, `never more than max: ${printValue(v as Value)}`);
    await until("h3's resource saw it", () => b.watch.times.length >= 2);
    // Membership: h0's session lease (2 s) ran out with it.
    await until("h0 no longer a member", () => members.last()?.includes("h0") === false, 5000);
    assert.ok(members.seen.some((m) => m.includes("h0")), "h0 was a member");
    fn.sub.unsubscribe();
    members.stop();
  });

  test("a removed schedule resource hands its slot over at once; withdraw deletes a persisted candidacy", async () => {
    const observer = await open("observer2");
    const fn = recordFn(stream("world.schedule", ["db"], makeCtx({ stateDir: "/x", hostname: "observer2", world: observer })));
    const last = () => (fn.values.at(-1) as readonly string[] | undefined)?.join(",");
    await until("current", () => last() === "h2,h3");

    // h2's resource leaves the graph: cleanup withdraws (no TTL to wait for).
    const t0 = Date.now();
    await resources[0]!.cleanup();
    await until("h2 gone", () => last() === "h3", 1500);
    assert.ok(Date.now() - t0 < 1500);

    // h4 volunteers with persist, then crashes: a persisted candidacy outlives its host.
    const h4 = await open("h4");
    await volunteer(h4, { max: 2n, ttl: 1n, persist: true });
    await until("h4 chosen", () => last() === "h3,h4");
    h4.disconnect();
    await new Promise((r) => setTimeout(r, 2500)); // > its ttl: a leased candidacy would be gone
    assert.equal(last(), "h3,h4", "persist: still a candidate after its host died");

    // h4 comes back with `withdraw => true`: the stored candidacy goes, and the choice with it.
    const h4b = await open("h4");
    const w = await volunteer(h4b, { withdraw: true });
    await until("h4 withdrawn", () => last() === "h3", 3000);
    assert.equal(await w.res.checkApply(false, w.h.abort.signal), true, "nothing left to withdraw");
    fn.sub.unsubscribe();
  });

  test("a swap that replaces the resource (leave, then join at once with another ttl) keeps the host a candidate", async () => {
    const observer = await open("observer4");
    const h6 = await open("h6");
    const chosen = record(observer.watchSchedule("swap"));
    const first = await volunteer(h6, { namespace: "swap", ttl: 1n });
    await until("h6 chosen", () => chosen.last()?.join() === "h6", 5000);
    // What the engine does when a vertex's params change: cleanup of the old, apply of the new.
    await first.res.cleanup();
    await volunteer(h6, { namespace: "swap", ttl: 3n });
    const key = (k: string) => observer.client.kv.range({ key: Buffer.from(`${NS}schedule/${k}/swap/h6`) });
    await until("candidacy and election key on the new 3 s lease", async () => {
      const [c, e] = await Promise.all([key("candidates"), key("election")]);
      const lease = c.kvs[0]?.lease;
      if (!lease || lease === "0" || e.kvs[0]?.lease !== lease) return false;
      const r = await observer.client.leaseClient.leaseTimeToLive({ ID: lease });
      return Number(r.grantedTTL) === 3;
    }, 5000);
    await new Promise((r) => setTimeout(r, 1500)); // longer than the old 1 s lease
    assert.equal(chosen.last()?.join(), "h6", "still chosen");
    chosen.stop();
  });

  test("an outage longer than the TTL: etcd drops the candidacy; the host puts it back when etcd returns", async () => {
    const observer = await open("observer3");
    const h5 = await open("h5");
    const chosen = record(observer.watchSchedule("solo"));
    const r = await volunteer(h5, { namespace: "solo", ttl: 1n });
    await until("h5 chosen", () => chosen.last()?.join() === "h5", 5000);
    const candidacy = async () => (await observer.client.kv.range({ key: Buffer.from(`${NS}schedule/candidates/solo/h5`) })).kvs[0]?.create_revision;
    const before = await candidacy();
    assert.ok(before !== undefined);
    const member = etcd.servers[0]!;
    process.kill(member.pid!, "SIGSTOP");
    try {
      await new Promise((res) => setTimeout(res, 3000)); // three TTLs without a keepalive
    } finally {
      process.kill(member.pid!, "SIGCONT");
    }
    // On resume etcd expires the lease and deletes its keys; h5's keeper re-grants it and writes
    // its candidacy and election key again (a new create revision), and h5 leads itself back in.
    await until("candidacy written again", async () => {
      const now = await candidacy();
      return now !== undefined && now !== before;
    }, 15_000);
    await until("h5 chosen", () => chosen.last()?.join() === "h5", 5000);
    assert.equal(await r.res.checkApply(true, r.h.abort.signal), true, "the resource still holds its candidacy");
    chosen.stop();
  });
});
