/**
 * Export latency (issue 6 §4): a resource exported on host A is applied on host B. One real etcd
 * member (loopback, tmpfs). Host A is a real Engine in this process (its EtcdWorld, its
 * exporter): each round swaps in a graph whose hidden `Meta:export => ["b"]` file has new content.
 * Host B is a real agent, the bundled bin (`steward run --seeds`), running a deploy that collects
 * that file. The clock starts when A's exporter calls the World's `exportResources` (the etcd
 * write) and stops when this process sees B's file with the new content (inotify). Target:
 * median ≤ 50 ms.
 *
 * Run: `npm run build && node --import tsx bench/cluster-export.bench.ts` (BENCH_ITER=N, default 50).
 */
import { readFileSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeGraph, makeVertex, META_DEFAULTS } from "../lang/resource-graph.js";
import { Engine } from "../runtime/engine/engine.js";
import { EtcdWorld } from "../runtime/world/etcd.js";
import type { World } from "../runtime/world/world.js";
import "../stdlib/resources/index.js";
import { startTestEtcd } from "../test/helpers/etcd.js";
import { BIN, cleanupTmp, endLoad, fail, machine, r2, report, requireBin, startAgent, stats, timed, tmp } from "./engine-util.js";

const ITER = Number(process.env["BENCH_ITER"] ?? 50);
const WARMUP = 5;
const TARGET_MS = 50;

requireBin();
const m = machine();
const etcd = await startTestEtcd({ tag: "bench-export" });
const dir = tmp("steward-bench-export-");
const out = join(dir, "out");
const target = join(out, "x");
let a: EtcdWorld | undefined;
let engine: Engine | undefined;
const b = { stop: async () => {} };
try {
  const seeds = etcd.endpoints.join(",");
  writeFileSync(join(dir, "main.mcl"), `file "${out}/" {\n\tstate => "exists",\n}\n\ncollect file "${target}" {\n\tmode => "0644",\n}\n`);
  const d = await timed(process.execPath, [BIN, "deploy", "--seeds", seeds, "--hostname", "bench", join(dir, "main.mcl")]);
  if (d.code !== 0) fail(`deploy: ${d.stderr.trim()}`);
  const agent = startAgent(["--seeds", seeds, "--hostname", "b", "--tmp-prefix"]);
  b.stop = () => agent.stop();
  await agent.waitFor((e) => e.event === "swap", 60_000);

  // Host A: the clock starts at the etcd write of the export.
  a = await EtcdWorld.connect({ endpoints: etcd.endpoints, hostname: "a" });
  let exportAt = 0;
  const world = new Proxy(a, {
    get(t, prop) {
      if (prop === "exportResources") return (rs: Parameters<World["exportResources"]>[0]) => ((exportAt = performance.now()), t.exportResources(rs));
      const v = Reflect.get(t, prop, t) as unknown;
      return typeof v === "function" ? (v as (...args: unknown[]) => unknown).bind(t) : v;
    },
  }) as World;
  engine = new Engine({ hostname: "a", world, stateDir: tmp("steward-bench-export-a-"), noop: false, autoedges: true, autogroup: true });
  const meta = { ...META_DEFAULTS, hidden: true, export: ["b"] };

  const times: number[] = [];
  for (let i = 0; i < WARMUP + ITER; i++) {
    const content = `round ${i}\n`;
    const applied = new Promise<number>((resolve) => {
      const check = (): boolean => {
        let text: string | undefined;
        try {
          text = readFileSync(target, "utf8");
        } catch {
          return false;
        }
        if (text !== content) return false;
        resolve(performance.now());
        return true;
      };
      const w = watch(out, () => check() && w.close());
      if (check()) w.close();
      setTimeout(() => (w.close(), resolve(NaN)), 30_000).unref();
    });
    await engine.apply(makeGraph([makeVertex("file", target, { state: "exists", content }, meta)], []));
    const at = await applied;
    if (Number.isNaN(at)) fail(`round ${i}: B never applied the export`);
    if (i >= WARMUP) times.push(at - exportAt);
  }
  endLoad(m);
  const s = stats(times);
  report(
    "cluster-export",
    m,
    [
      { what: `export on A → applied on B, median of ${s.n}`, result: `${r2(s.median)} ms`, target: `≤ ${TARGET_MS} ms`, met: s.median <= TARGET_MS },
      { what: "p90 / p99 / max", result: `${r2(s.p90)} / ${r2(s.p99)} / ${r2(s.max)} ms` },
    ],
    { n: s.n, medianMs: r2(s.median), p90Ms: r2(s.p90), p99Ms: r2(s.p99), maxMs: r2(s.max), targetMs: TARGET_MS },
  );
} finally {
  await engine?.shutdown();
  await b.stop();
  await a?.close(2000).catch(() => undefined);
  await etcd.stop();
  cleanupTmp();
}
process.exit(0);
