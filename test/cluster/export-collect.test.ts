/**
 * The distributed demo of issue 6 §3 on a real etcd (loopback) with real agents (`steward run`
 * processes, each with its own --hostname and state directory, SIGKILLed by PID at the end):
 *
 * - 5 agents run one deploy: each announces itself (`kv` mapped → `world.kvlookup`), exports one
 *   file to every host it knows (`Meta:export => [$h]`, hidden) and collects what is exported to
 *   it into its own directory: every host ends with 5 files, 25 in all;
 * - a 6th agent started later gets the 5 files of the others and gives its own to each of them;
 * - live edit across hosts: the exported content comes from the deploy's `files/` data through
 *   `deploy.readfile`; a new deploy changes it and every host applies it;
 * - examples/export-collect.mcl runs on the same agents (renamed web1, web2, db1, monitor as it
 *   expects) once deployed: `monitor` collects the three exported files with the body override.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, startRun, steward, until, type RunChild } from "../cli-run-harness.js";
import { EtcdKv, createEtcdClient, type KvEntry } from "../../runtime/world/etcd-client.js";
import { visibleExports } from "../../runtime/world/etcd-exports.js";
import { skipWithoutEtcd, startTestEtcd, tmpBase, type TestEtcd } from "../helpers/etcd.js";

const HOSTS = ["web1", "web2", "db1", "monitor", "h5"];

const demo = (base: string) => `import "deploy"
import "world"
import "world/collect"

$greeting = deploy.readfile("/files/greeting")

# Announce this host: its entry of the per-host map "share-hosts".
kv "share-hosts" {
	mapped => true,
	value => "up",
}

file "${base}/\${hostname}/" {
	state => "exists",
}

# One file for every host of the cluster, exported to that host only (hidden: not applied here).
forkv $h, $v in world.kvlookup("share-hosts") {
	file "${base}/\${h}/from-\${hostname}" {
		state => "exists",
		content => "\${greeting} from \${hostname}\\n",
		Meta:export => [$h],
		Meta:hidden => true,
	}
}

# Everything exported to this host.
collect file collect.res("file") {
	mode => "0640",
}
`;

/** host → the files in its share directory, with their contents. */
function shares(base: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  if (!existsSync(base)) return out;
  for (const h of readdirSync(base)) {
    const files = new Map<string, string>();
    for (const f of readdirSync(join(base, h))) files.set(f, readFileSync(join(base, h, f), "utf8"));
    out.set(h, files);
  }
  return out;
}

/** Every host of `hosts` holds exactly `from-<x>` for each x in `hosts`, with `greeting`. */
function complete(base: string, hosts: readonly string[], greeting: string): boolean {
  const s = shares(base);
  return hosts.every((h) => {
    const files = s.get(h);
    return files !== undefined && files.size === hosts.length && hosts.every((x) => files.get(`from-${x}`) === `${greeting} from ${x}\n`);
  });
}

test("visibleExports: what a host collects from the records it watches (pure)", () => {
  let rev = 0;
  const entry = (key: string, data: string): KvEntry => ({ key, value: Buffer.from(data), createRev: ++rev, modRev: rev, lease: "0" });
  const mine = entry("exported/b/a/file//x", "a to b");
  const star = entry("exported/*/a/file//x", "a to all");
  const other = entry("exported/c/a/file//y", "a to c");
  const early = entry("exported/*/c/file//w", "c to all");
  const svc = entry("exported/b/c/svc/s1", "c's svc");
  const entries = [star, svc, other, early, mine];
  const got = visibleExports("b", entries);
  assert.deepEqual(got.map((r) => `${r.kind}[${r.name}]@${r.host}=${r.data}`), ["file[/w]@c=c to all", "file[/x]@a=a to b", "svc[s1]@c=c's svc"], "sorted by kind, name, host; the record aimed at b wins over '*'; c's record is not b's");
  assert.deepEqual(visibleExports("b", entries, { kind: "svc" }).map((r) => r.name), ["s1"]);
  assert.deepEqual(visibleExports("b", entries, { host: "a" }).map((r) => r.name), ["/x"]);
  // A later state that keeps the entry objects of unchanged keys reuses their parsed records.
  const again = visibleExports("b", [star, svc, other, early, mine]);
  assert.ok(again.every((r, i) => r === got[i]), "unchanged entries are parsed once");
  const changed = visibleExports("b", [star, svc, early, entry("exported/b/a/file//x", "a to b, v2")]);
  assert.equal(changed.find((r) => r.name === "/x")?.data, "a to b, v2", "a new entry for the same key carries its new value");
});

describe("export and collect across 5 agents", { skip: skipWithoutEtcd() }, () => {
  let etcd: TestEtcd;
  let dir: string;
  let seeds: string;
  const agents: RunChild[] = [];
  /** `until`, with the agents' last records in the failure message. */
  const settle = async (cond: () => boolean, ms: number, what: string): Promise<void> => {
    try {
      await until(cond, ms, what);
    } catch (e) {
      const tails = agents.map((a) => a.events.slice(-15).map((ev) => JSON.stringify(ev)).join("\n") + a.text().slice(-2000));
      throw new Error(`${(e as Error).message}\n${tails.join("\n----\n")}`);
    }
  };
  before(async () => {
    etcd = await startTestEtcd({ tag: "export-collect" });
    seeds = etcd.endpoints.join(",");
    dir = tmpBase("export-collect");
    mkdirSync(join(dir, "prog", "files"), { recursive: true });
    mkdirSync(join(dir, "share"));
  });
  after(async () => {
    for (const a of agents) a.stop();
    await Promise.all(agents.map((a) => a.exited));
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("every host ends with 5 files (25 in all); a late agent gets them all and gives its own", async () => {
    const base = join(dir, "share");
    writeFileSync(join(dir, "prog", "main.mcl"), demo(base));
    writeFileSync(join(dir, "prog", "files", "greeting"), "v1");
    // The first agent publishes the program; the others run the newest deploy.
    agents.push(startRun(["--seeds", seeds, "--hostname", HOSTS[0]!, join(dir, "prog")]));
    await agents[0]!.waitFor((e) => e.event === "deploy" && e["published"] === true);
    for (const h of HOSTS.slice(1)) agents.push(startRun(["--seeds", seeds, "--hostname", h]));
    await settle(() => complete(base, HOSTS, "v1"), 90_000, "5 × 5 shared files");
    assert.equal([...shares(base).values()].reduce((n, f) => n + f.size, 0), 25);
    const mode = statSync(join(base, "web1", "from-db1")).mode & 0o777;
    assert.equal(mode, 0o640, "the collect body overrides what was exported");

    agents.push(startRun(["--seeds", seeds, "--hostname", "late"]));
    await settle(() => complete(base, [...HOSTS, "late"], "v1"), 60_000, "6 × 6 shared files");
  });

  test("live edit across hosts: a new deploy changes the exported content; every host applies it", async () => {
    const base = join(dir, "share");
    writeFileSync(join(dir, "prog", "files", "greeting"), "v2");
    const d = await steward(["deploy", "--seeds", seeds, join(dir, "prog")]);
    assert.equal(d.code, 0, d.stderr);
    await settle(() => complete(base, [...HOSTS, "late"], "v2"), 60_000, "v2 everywhere");
    for (const a of agents) assert.equal(a.proc.exitCode, null, "switched live, no restart");
  });

  test("examples/export-collect.mcl: monitor collects what web1, web2 and db1 export", async () => {
    const out = join(dir, "example") + "/";
    const src = readFileSync(join(ROOT, "examples", "export-collect.mcl"), "utf8");
    assert.ok(src.includes('"/tmp/steward-export/"'));
    writeFileSync(join(dir, "example.mcl"), src.replaceAll("/tmp/steward-export/", out));
    const d = await steward(["deploy", "--seeds", seeds, join(dir, "example.mcl")]);
    assert.equal(d.code, 0, d.stderr);
    const want = ["db1", "web1", "web2"];
    // Only these three are asked for. While the agents switch deploys one by one, an agent still
    // on the demo collects everything exported to "*" — e.g. `monitor`'s hidden file, exported
    // by the example as soon as monitor switched — and applies it here before its own switch
    // removes it from its graph (a removed file resource leaves the file on disk), so the
    // directory may hold more than the three.
    const collected = (h: string): boolean => existsSync(join(out, h)) && readFileSync(join(out, h), "utf8") === `exported by ${h}\n`;
    await settle(() => want.every(collected), 60_000, "monitor's collected files");
    for (const h of want) {
      assert.equal(readFileSync(join(out, h), "utf8"), `exported by ${h}\n`);
      assert.equal(statSync(join(out, h)).mode & 0o777, 0o640);
    }
    // The demo's exports left the graphs with the demo: each exporter pruned them after its swap.
    const kv = new EtcdKv(createEtcdClient({ endpoints: etcd.endpoints }));
    try {
      const stale = async () => (await kv.range("exported/")).entries.filter((e) => e.key.includes("/share/")).map((e) => e.key);
      const t0 = Date.now();
      while ((await stale()).length > 0 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(await stale(), []);
      assert.equal((await kv.range("exported/")).entries.length, HOSTS.length + 1, "one export per agent: the example's file");
    } finally {
      kv.shutdown();
    }
  });
});
