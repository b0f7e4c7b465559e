/**
 * Live edit (issue 4 §5): a running agent (the bundled bin) manages a file whose content comes
 * from its program; the benchmark saves the program with a new content and measures until the file
 * on disk has it, over 50 edits. Target: median ≤ 100 ms.
 *
 * The program also manages 20 other files that don't change, so every edit is a real swap that
 * keeps most of the graph. Half of the saves rewrite the program in place, half the way editors
 * do it (write a temp file, rename it over). The benchmark sees the managed file change through its
 * own inotify watch, then checks the content.
 *
 * Run: `npm run build && node --import tsx bench/engine-live-edit.bench.ts` (BENCH_EDITS=N).
 */
import { readFileSync, renameSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanupTmp, endLoad, fail, machine, r2, report, requireBin, startAgent, stats, tmp } from "./engine-util.js";

const EDITS = Number(process.env.BENCH_EDITS ?? 50);

requireBin();
const m = machine();
const dir = tmp("steward-edit-");
const prog = join(dir, "main.mcl");
const target = join(dir, "live");
const source = (i: number): string => {
  let s = `file "${target}" {\n\tstate => "exists",\n\tcontent => "version ${i}\\n",\n}\n`;
  for (let k = 0; k < 20; k++) s += `file "${dir}/same${k}" {\n\tstate => "exists",\n\tcontent => "unchanged ${k}\\n",\n}\n`;
  return s;
};
writeFileSync(prog, source(0));

const agent = startAgent(["--tmp-prefix", prog]);
try {
  await agent.waitFor((e) => e.event === "converged" && e["converged"] === true, 30_000);
} catch (e) {
  await agent.stop();
  fail(`the agent did not converge: ${(e as Error).message}`);
}

const times: number[] = [];
const swaps: number[] = [];
for (let i = 1; i <= EDITS; i++) {
  const want = `version ${i}\n`;
  const from = agent.events.length;
  let resolve!: (t: number) => void;
  const done = new Promise<number>((r) => (resolve = r));
  const w = watch(dir, (_ev, name) => {
    if (name !== "live") return;
    const t = performance.now();
    try {
      if (readFileSync(target, "utf8") === want) resolve(t);
    } catch {
      // between unlink and rename: the next event tells
    }
  });
  const t0 = performance.now();
  if (i % 2 === 0) writeFileSync(prog, source(i));
  else {
    writeFileSync(`${prog}.tmp`, source(i));
    renameSync(`${prog}.tmp`, prog);
  }
  const t = await Promise.race([done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000).unref())]);
  w.close();
  if (t === undefined) {
    await agent.stop();
    fail(`edit ${i}: the file did not get the new content within 10 s`);
  }
  times.push(t - t0);
  const swap = await agent.waitFor((e) => e.event === "swap", 5000, from).catch(() => undefined);
  if (swap) swaps.push((swap["replaced"] as unknown[]).length + (swap["added"] as unknown[]).length + (swap["removed"] as unknown[]).length);
  // let the paired check after the write finish before the next save
  await agent.waitFor((e) => e.event === "converged" && e["converged"] === true, 2000, from).catch(() => undefined);
}
await agent.stop();
endLoad(m);
cleanupTmp();

const s = stats(times);
report(
  "engine-live-edit",
  m,
  [
    { what: `edits (program of 21 files; alternately in place and temp+rename)`, result: String(s.n) },
    { what: "save → new content on disk, median", result: `${r2(s.median)} ms`, target: "≤ 100 ms", met: s.median <= 100 },
    { what: "p90 / max", result: `${r2(s.p90)} / ${r2(s.max)} ms` },
    { what: "vertices touched per swap", result: [...new Set(swaps)].join(", ") },
  ],
  { edits: s.n, medianMs: r2(s.median), p90Ms: r2(s.p90), maxMs: r2(s.max), touchedPerSwap: [...new Set(swaps)] },
);
