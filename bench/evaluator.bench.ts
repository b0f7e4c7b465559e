/**
 * Evaluator benchmark (issue 3 §6): a 10,000-node function graph fed by one source; median time
 * from a source emission to the new table, for a change that touches 10 nodes and for one that
 * recomputes all 10,000. Run: `node --import tsx bench/evaluator.bench.ts` (add --expose-gc for
 * steadier numbers). Prints one JSON line per case.
 */
import { Subject } from "rxjs";
import { Evaluator, type Table } from "../runtime/funcs/evaluator.js";
import type { Value } from "../lang/values.js";

const N = 10_000;
const ITER = Number(process.env.BENCH_ITER ?? 200);
const WARMUP = 30;

type Build = (ev: Evaluator, src: Subject<Value>) => void;

/** 10 nodes touched: src → gate (unchanged for small values) → 9,989 nodes; src → a 9-node chain. */
const small: Build = (ev, src) => {
  const t = ev.txn().add({ id: "src", source: src });
  t.add({ id: "gate", deps: ["src"], fn: ([s]) => (s as bigint) / 1_000_000_000n });
  for (let i = 0; i < N - 11; i++) {
    const a = i === 0 ? "gate" : `g${(i - 1) >> 1}`;
    t.add({ id: `g${i}`, deps: [a, "gate"], fn: ([x, y]) => (x as bigint) + (y as bigint) + 1n });
  }
  for (let i = 0; i < 9; i++) t.add({ id: `c${i}`, deps: [i === 0 ? "src" : `c${i - 1}`], fn: ([x]) => (x as bigint) * 3n + 1n });
  t.commit();
};

/** Everything recomputes: 100 layers of 100 nodes, each fed by two nodes of the layer above. */
const all: Build = (ev, src) => {
  const W = 100;
  const t = ev.txn().add({ id: "src", source: src });
  for (let l = 0; l < N / W - 1; l++) {
    for (let j = 0; j < W; j++) {
      const deps = l === 0 ? ["src", "src"] : [`l${l - 1}_${j}`, `l${l - 1}_${(j + 1) % W}`];
      t.add({ id: `l${l}_${j}`, deps, fn: ([x, y]) => ((x as bigint) + (y as bigint) + BigInt(j)) % 1_000_003n });
    }
  }
  for (let j = 0; j < W - 1; j++) t.add({ id: `tail${j}`, deps: [`l${N / W - 2}_${j}`], fn: ([x]) => x! });
  t.commit();
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
function p(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
}

async function runCase(name: string, build: Build, target: number): Promise<void> {
  // synchronous: emission + explicit wave (the evaluator's own cost)
  {
    const ev = new Evaluator({ schedule: "manual" });
    const src = new Subject<Value>();
    build(ev, src);
    let last: Table | undefined;
    ev.tables$.subscribe((t) => (last = t));
    src.next(1n);
    const t0 = performance.now();
    ev.wave();
    const initial = performance.now() - t0;
    if (!last || last.size !== ev.size) throw new Error(`${name}: no complete initial table`);
    const times: number[] = [];
    const cpu: number[] = [];
    const before = ev.stats.computes;
    for (let i = 0; i < WARMUP + ITER; i++) {
      const seen: Table | undefined = last;
      const c = process.cpuUsage();
      const s = performance.now();
      src.next(BigInt(i + 2));
      ev.wave();
      const d = performance.now() - s;
      const cu = process.cpuUsage(c);
      if (last === seen) throw new Error(`${name}: no new table`);
      if (i >= WARMUP) times.push(d), cpu.push((cu.user + cu.system) / 1000);
    }
    const perWave = (ev.stats.computes - before) / (WARMUP + ITER);
    console.log(JSON.stringify({ bench: `evaluator/${name}`, mode: "sync-wave", nodes: ev.size, recomputedPerChange: perWave, initialMs: +initial.toFixed(2), medianMs: +median(times).toFixed(3), p90Ms: +p(times, 0.9).toFixed(3), medianCpuMs: +median(cpu).toFixed(3), targetMs: target }));
    ev.stop();
  }
  // end to end: emission → setImmediate-scheduled wave → table delivered to a subscriber
  {
    const ev = new Evaluator();
    const src = new Subject<Value>();
    build(ev, src);
    let resolve: (() => void) | undefined;
    let count = 0;
    ev.tables$.subscribe(() => (count++, resolve?.()));
    const next = (v: bigint) => new Promise<void>((r) => ((resolve = r), src.next(v)));
    await next(1n);
    const times: number[] = [];
    for (let i = 0; i < WARMUP + ITER; i++) {
      const s = performance.now();
      await next(BigInt(i + 2));
      const d = performance.now() - s;
      if (i >= WARMUP) times.push(d);
    }
    console.log(JSON.stringify({ bench: `evaluator/${name}`, mode: "scheduled", nodes: ev.size, tables: count, medianMs: +median(times).toFixed(3), p90Ms: +p(times, 0.9).toFixed(3), targetMs: target }));
    ev.stop();
  }
}

console.log(JSON.stringify({ loadavg: (await import("node:os")).loadavg(), cpus: (await import("node:os")).cpus().length }));
await runCase("10k-touch-10", small, 2);
await runCase("10k-touch-all", all, 20);
