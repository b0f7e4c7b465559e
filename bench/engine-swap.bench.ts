/**
 * Engine swap benchmark (issue 4 §5): a 10,000-vertex graph (1,000 chains of 10) in which one
 * vertex changes; time from `apply()` to resolved (the new graph resumed), and the number of
 * vertices the swap touched (init/cleanup/watch restart/checkapply events). Uses a minimal
 * in-memory kind `benchres` so only the engine is measured.
 * Run: `node --import tsx bench/engine-swap.bench.ts` (BENCH_ITER=N to change repetitions).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeGraph, makeVertex, META_DEFAULTS, type Edge, type Vertex } from "../lang/resource-graph.js";
import { Engine, type EngineEvent } from "../runtime/engine/engine.js";
import { registerKind } from "../runtime/engine/resource.js";
import { MemoryWorld } from "../runtime/world/memory.js";
import { endLoad, machine, r2, report, stats } from "./engine-util.js";

const N = 10_000;
const ITER = Number(process.env.BENCH_ITER ?? 30);

registerKind({
  kind: "benchres",
  create: () => ({
    validate: () => undefined,
    init: async () => {},
    watch: async (sink) => {
      sink.event();
      return () => {};
    },
    checkApply: async () => true,
    cleanup: async () => {},
  }),
});

function build(changed: string): ReturnType<typeof makeGraph> {
  const vs: Vertex[] = [];
  const es: Edge[] = [];
  for (let i = 0; i < N; i++) {
    vs.push(makeVertex("benchres", `r${i}`, { content: i === 4242 ? changed : `c${i}` }, META_DEFAULTS));
    if (i % 10 !== 0) es.push({ from: `benchres[r${i - 1}]`, to: `benchres[r${i}]`, notify: false });
  }
  return makeGraph(vs, es);
}

const engine = new Engine({ hostname: "bench", world: new MemoryWorld("bench"), stateDir: mkdtempSync(join(tmpdir(), "steward-bench-")), noop: false, autoedges: true, autogroup: true });
const events: EngineEvent[] = [];
engine.events$.subscribe((e) => events.push(e));
const settle = () =>
  new Promise<void>((resolve) => {
    const s = engine.convergedFor(0).subscribe((c) => c && queueMicrotask(() => (s.unsubscribe(), resolve())));
  });

const m = machine();
const graphs = [build("a"), build("b")];
let t0 = performance.now();
await engine.apply(graphs[0]!);
const first = performance.now() - t0;
await settle();
const firstSettled = performance.now() - t0;

const times: number[] = [];
const touched: number[] = [];
for (let i = 0; i < ITER; i++) {
  const g = graphs[(i + 1) % 2]!;
  events.length = 0;
  t0 = performance.now();
  await engine.apply(g);
  times.push(performance.now() - t0);
  await settle();
  const ids = new Set(events.flatMap((e) => (e.event === "init" || e.event === "cleanup" || e.event === "watch-start" || e.event === "watch-stop" || e.event === "checkapply" ? [e.vertex] : [])));
  touched.push(ids.size);
}
times.sort((a, b) => a - b);
await engine.shutdown();
endLoad(m);
const s = stats(times);
const once = [...new Set(touched)];
report(
  "engine-swap",
  m,
  [
    { what: `first apply of ${N} vertices → resolved / converged`, result: `${r2(first)} / ${r2(firstSettled)} ms` },
    { what: `swap with one changed vertex, apply → resumed, median of ${ITER}`, result: `${r2(s.median)} ms (p90 ${r2(s.p90)}, max ${r2(s.max)})`, target: "≤ 50 ms", met: s.median <= 50 },
    { what: "vertices touched per swap", result: once.join(", "), target: "exactly 1", met: once.length === 1 && once[0] === 1 },
  ],
  { vertices: N, firstApplyMs: r2(first), firstConvergedMs: r2(firstSettled), swapMedianMs: r2(s.median), swapP90Ms: r2(s.p90), swapMaxMs: r2(s.max), touchedPerSwap: once },
);
