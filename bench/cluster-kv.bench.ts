/**
 * Cluster key/value latency (issue 6 §4): a value written by a `kv` resource on host A reaches a
 * `world.getval` program on host B. Two EtcdWorlds (distinct hostnames, separate etcd clients) on
 * one real etcd member (loopback, tmpfs). A runs a real `kv` resource (checkApply with a new value
 * each round); B runs a real program through the function engine (compile → evaluate →
 * interpret). The clock starts when the kv resource calls the World's `set` (the etcd put) and
 * stops when B's program emits a resource graph carrying the new value. Target: median ≤ 30 ms.
 *
 * Run: `node --import tsx bench/cluster-kv.bench.ts` (BENCH_ITER=N, default 200; BENCH_MEMBERS=3
 * for a 3-member cluster with A and B on different members). Prints one JSON line.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getKindImpl } from "../runtime/engine/resource.js";
import { runProgram } from "../runtime/funcs/run-program.js";
import { createNodeHost } from "../runtime/cli/node-host.js";
import { EtcdWorld } from "../runtime/world/etcd.js";
import type { World } from "../runtime/world/world.js";
import "../stdlib/resources/kv.js";
import { makeContext } from "../test/resources/harness.js";
import { startTestEtcd } from "../test/helpers/etcd.js";

const ITER = Number(process.env["BENCH_ITER"] ?? 200);
const MEMBERS = Number(process.env["BENCH_MEMBERS"] ?? 1);
const WARMUP = 10;
const KEY = "bench-cluster-kv";

const etcd = await startTestEtcd({ members: MEMBERS, tag: "bench-kv" });
const dir = mkdtempSync(join(tmpdir(), "steward-bench-kv-"));
const worlds: EtcdWorld[] = [];
try {
  const ns = "/bench-kv/";
  const a = await EtcdWorld.connect({ endpoints: [etcd.endpoints[0]!], hostname: "a", namespace: ns });
  const b = await EtcdWorld.connect({ endpoints: [etcd.endpoints[MEMBERS - 1]!], hostname: "b", namespace: ns });
  worlds.push(a, b);

  // Host B: a real program reading the key.
  writeFileSync(join(dir, "main.mcl"), `import "world"\n$v = world.getval("${KEY}")\ntest "got" { stringptr => $v->value, }\n`);
  let got: (v: string) => void = () => {};
  const program = runProgram(join(dir, "main.mcl"), createNodeHost(), { hostname: "b", world: b, stateDir: dir }).subscribe((ev) => {
    if (!("graph" in ev)) throw new Error(`program failed: ${ev.diagnostics.map((d) => d.message).join("; ")}`);
    for (const v of ev.graph.vertices) if (v.kind === "test") got(String(v.params["stringptr"] ?? ""));
  });

  // Host A: a real kv resource; the World's `set` is where the etcd put starts.
  let putAt = 0;
  const timedA = new Proxy(a, {
    get(target, prop) {
      if (prop === "set") return (k: string, v: string) => ((putAt = performance.now()), target.set(k, v));
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === "function" ? (v as (...args: unknown[]) => unknown).bind(target) : v;
    },
  }) as World;
  const h = makeContext("kv", KEY, dir);

  const times: number[] = [];
  for (let i = 0; i < WARMUP + ITER; i++) {
    const value = `v${i}`;
    const arrived = new Promise<number>((resolve) => (got = (v) => v === value && resolve(performance.now())));
    const res = getKindImpl("kv")!.create(KEY, { value });
    await res.init({ ...h.ctx, hostname: "a", world: timedA });
    if (await res.checkApply(true, h.abort.signal)) throw new Error("kv: value was already set");
    const at = await arrived;
    await res.cleanup();
    if (i >= WARMUP) times.push(at - putAt);
  }
  program.unsubscribe();

  times.sort((x, y) => x - y);
  const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]! * 100) / 100;
  console.log(JSON.stringify({ bench: "cluster-kv", members: MEMBERS, n: times.length, medianMs: q(0.5), p90Ms: q(0.9), p99Ms: q(0.99), maxMs: q(1), targetMs: 30 }));
} finally {
  for (const w of worlds) await w.close(2000).catch(() => undefined);
  await etcd.stop();
  rmSync(dir, { recursive: true, force: true });
}
// Force-exit: etcd3's gRPC channels may keep the event loop alive for a while after close.
process.exit(0);
