/**
 * Function engine benchmark, end to end to interpret's output (issue 3 §6 (b); (a) is
 * bench/evaluator.bench.ts): a 100-resource program driven by one source, through runProgram
 * (compile → lower → evaluate → interpret, no resource engine). The source is `world.getval`
 * on an in-memory World that this benchmark writes to.
 *
 *  - closed loop: write a new value, wait for the resource graph that has it, repeat. Reports new
 *    resource graphs per second and the median latency from the write to the graph.
 *  - flood: write a new value on every turn of the event loop for BENCH_FLOOD_MS (default 3000),
 *    as fast as it can; the evaluator coalesces the writes of one turn (latest value wins).
 *    Reports graphs per second and checks that the last graph has the last value.
 *
 * Both modes measure the whole path of issue 3 §6: a source emits → the evaluator's wave →
 * a new table → interpret → a new resource graph delivered to a subscriber. Every 50th graph of
 * the closed loop and the last graph of the flood are kept and checked after the timed part
 * against the graph the program must give for that value (every vertex's params, its identity
 * key, and the edges), so a fast path that returned stale or wrong graphs fails the benchmark.
 *
 * Target: ≥ 1,000 new resource graphs per second. Run: `node --expose-gc --import tsx
 * bench/funcs.bench.ts` (also a step of `npm run bench`). Prints one JSON line per mode.
 */
import { loadavg, cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { deepStrictEqual } from "node:assert/strict";
import { memoryHost } from "../lang/host.js";
import { makeVertex, META_DEFAULTS, nonDefaultMeta, type ResourceGraph } from "../lang/resource-graph.js";
import type { Value } from "../lang/values.js";
import { runProgram, type ProgramEvent } from "../runtime/funcs/run-program.js";
import { MemoryWorld } from "../runtime/world/memory.js";

const ITER = Number(process.env.BENCH_ITER ?? 2000);
const WARMUP = 200;
const FLOOD_MS = Number(process.env.BENCH_FLOOD_MS ?? 3000);

/** 50 files from a loop, 50 test resources with edges between them and to the files: 100 vertices. */
export function program100(): string {
  const files = Array.from({ length: 50 }, (_, i) => `"f${i}"`).join(", ");
  const lines = [
    `import "fmt"`,
    `import "strings"`,
    `import "world"`,
    `$got = world.getval("bench")`,
    `$v = $got->value`,
    `$names = [${files}]`,
    `for $i, $n in $names {`,
    `\tfile "/tmp/steward-bench/\${n}" {`,
    `\t\tstate => "exists",`,
    `\t\tcontent => fmt.printf("%s %d\\n", $v, $i),`,
    `\t\tmode => "0644",`,
    `\t}`,
    `}`,
  ];
  for (let i = 0; i < 50; i++) {
    lines.push(
      `test "t${i}" {`,
      `\tanotherstr => strings.to_upper($v),`,
      `\tint64 => len($v) + ${i},`,
      `\tslicestring => [$v, "${i}"],`,
      `\tDepend => File["/tmp/steward-bench/f${i}"],`,
      `}`,
    );
    if (i > 0) lines.push(`Test["t${i - 1}"] -> Test["t${i}"]`);
  }
  return lines.join("\n") + "\n";
}

/**
 * Check `g` against what program100 must give for the value `v`, computed here independently:
 * 50 files and 50 tests sorted by kind then name, default metas, each vertex's key equal to the
 * key of a vertex made afresh from the expected params, 50 Depend edges and the 49-edge chain.
 */
export function verifyGraph(g: ResourceGraph, v: string): void {
  const want: { kind: string; name: string; params: Record<string, Value> }[] = [];
  for (let i = 0; i < 50; i++) {
    want.push({ kind: "file", name: `/tmp/steward-bench/f${i}`, params: { content: `${v} ${i}\n`, mode: "0644", state: "exists" } });
    want.push({ kind: "test", name: `t${i}`, params: { anotherstr: v.toUpperCase(), int64: BigInt(v.length + i), slicestring: [v, `${i}`] } });
  }
  const byId = (a: { kind: string; name: string }, b: { kind: string; name: string }): number =>
    a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  want.sort(byId);
  const got = g.vertices.map((x) => ({ kind: x.kind, name: x.name, params: { ...x.params } }));
  deepStrictEqual(got, want, `graph for ${v}: vertices differ`);
  for (const [i, x] of g.vertices.entries()) {
    deepStrictEqual(nonDefaultMeta(x.meta), [], `graph for ${v}: ${x.kind}[${x.name}] has non-default metas`);
    if (x.key !== makeVertex(want[i]!.kind, want[i]!.name, want[i]!.params, META_DEFAULTS).key) throw new Error(`graph for ${v}: ${x.kind}[${x.name}] has a stale key`);
  }
  const edges = g.edges.map((e) => `${e.from} -> ${e.to}${e.notify ? " (notify)" : ""}`);
  const wantEdges = [
    ...Array.from({ length: 50 }, (_, i) => `file[/tmp/steward-bench/f${i}] -> test[t${i}]`),
    ...Array.from({ length: 49 }, (_, i) => `test[t${i}] -> test[t${i + 1}]`),
  ].sort();
  deepStrictEqual(edges, wantEdges, `graph for ${v}: edges differ`);
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const p90 = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;

/** The value the graph was built from (the `anotherstr` of test[t0], upper-cased). */
function valueOf(g: ResourceGraph): string | undefined {
  const v = g.vertices.find((x) => x.kind === "test" && x.name === "t0");
  return v?.params["anotherstr"] as string | undefined;
}

async function main(): Promise<void> {
  console.log(JSON.stringify({ bench: "funcs/e2e", loadavg: loadavg().map((x) => +x.toFixed(2)), cpus: cpus().length, node: process.version }));
  const src = program100();
  const world = new MemoryWorld("bench");
  await world.set("bench", "v0");
  let graphs = 0;
  let last: ResourceGraph | undefined;
  let waiting: { want: string; resolve: () => void } | undefined;
  let failure: string | undefined;
  const t0 = performance.now();
  let firstMs = 0;
  const sub = runProgram("/main.mcl", memoryHost({ "/main.mcl": src }), { world, hostname: "bench" }).subscribe((ev: ProgramEvent) => {
    if (!("graph" in ev)) {
      failure = ev.diagnostics.map((d) => d.message).join("; ");
      waiting?.resolve();
      return;
    }
    graphs++;
    last = ev.graph;
    if (waiting && valueOf(ev.graph) === waiting.want) waiting.resolve();
  });
  const graphWith = (value: string): Promise<void> =>
    new Promise<void>((resolve) => {
      if (last && valueOf(last) === value.toUpperCase()) return resolve();
      waiting = { want: value.toUpperCase(), resolve };
    });
  await graphWith("v0");
  firstMs = performance.now() - t0;
  if (failure) throw new Error(failure);
  if (last!.vertices.length !== 100) throw new Error(`expected 100 vertices, got ${last!.vertices.length}`);

  // closed loop
  const lat: number[] = [];
  const samples: [ResourceGraph, string][] = [];
  let start = 0;
  let cpu0 = process.cpuUsage();
  for (let i = 1; i <= WARMUP + ITER; i++) {
    if (i === WARMUP + 1) (start = performance.now()), (cpu0 = process.cpuUsage());
    const s = performance.now();
    const p = graphWith(`v${i}`);
    void world.set("bench", `v${i}`);
    await p;
    if (failure) throw new Error(failure);
    if (i > WARMUP) lat.push(performance.now() - s);
    if (i % 50 === 0) samples.push([last!, `v${i}`]);
  }
  const closedSec = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  for (const [g, v] of samples) verifyGraph(g, v);
  console.log(
    JSON.stringify({
      bench: "funcs/e2e-100-resources",
      mode: "closed-loop",
      vertices: last!.vertices.length,
      edges: last!.edges.length,
      firstGraphMs: +firstMs.toFixed(1),
      graphs: ITER,
      graphsPerSec: Math.round(ITER / closedSec),
      // CPU time of this process (all threads, incl. GC) per graph: the number to compare on a loaded machine
      cpuMsPerGraph: +((cpuSec * 1000) / ITER).toFixed(3),
      graphsPerCpuSec: Math.round(ITER / cpuSec),
      verifiedGraphs: samples.length,
      medianMs: +median(lat).toFixed(3),
      p90Ms: +p90(lat).toFixed(3),
      target: ">= 1000 graphs/s",
      loadavg: loadavg().map((x) => +x.toFixed(2)),
    }),
  );

  // flood: a new value on every turn of the event loop
  const before = graphs;
  let n = 0;
  const fs = performance.now();
  const fcpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      void world.set("bench", `w${++n}`);
      if (performance.now() - fs < FLOOD_MS) setImmediate(tick);
      else resolve();
    };
    tick();
  });
  await graphWith(`w${n}`);
  const floodSec = (performance.now() - fs) / 1000;
  const fcpu = process.cpuUsage(fcpu0);
  sub.unsubscribe();
  verifyGraph(last!, `w${n}`);
  console.log(
    JSON.stringify({
      bench: "funcs/e2e-100-resources",
      mode: "flood",
      writes: n,
      graphs: graphs - before,
      graphsPerSec: Math.round((graphs - before) / floodSec),
      cpuMsPerGraph: +((fcpu.user + fcpu.system) / 1000 / (graphs - before)).toFixed(3),
      lastGraphHasLastValue: valueOf(last!) === `W${n}`,
      target: ">= 1000 graphs/s",
      loadavg: loadavg().map((x) => +x.toFixed(2)),
    }),
  );
}

if (process.argv[1]?.endsWith("funcs.bench.ts")) await main();
if (process.argv[1]?.endsWith("funcs.bench.ts")) process.exit(0);
