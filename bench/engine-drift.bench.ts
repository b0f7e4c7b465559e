/**
 * Drift correction (issue 4 §5): a running agent (the bundled bin, `steward run`) manages a file;
 * the benchmark deletes it and measures until it is back with its content, over 1,000 trials.
 * Target: median ≤ 5 ms, p99 ≤ 20 ms.
 *
 * The agent's file resource runs under the engine with its real watch (inotify on the parent
 * directory). The benchmark sees the file come back through its own inotify watch on the same
 * directory (an atomic write shows up as the rename onto the name), then checks the content; the
 * time includes that notification, so it is an upper bound of the agent's reaction. Between
 * trials it waits for the agent's paired check (its own watch sees the write; engine.md "paired
 * runs") so trials don't overlap.
 *
 * Run: `npm run build && node --import tsx bench/engine-drift.bench.ts` (BENCH_TRIALS=N).
 */
import { existsSync, readFileSync, unlinkSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanupTmp, endLoad, fail, fsType, machine, r2, report, requireBin, startAgent, stats, tmp } from "./engine-util.js";

const TRIALS = Number(process.env.BENCH_TRIALS ?? 1000);
const CONTENT = "drift content\n";

requireBin();
const m = machine();
const dir = tmp("steward-drift-");
const fs = fsType(dir);
const target = join(dir, "managed");
const prog = join(dir, "main.mcl");
// a few neighbours in the same directory, so the watch filters by name as it does in real use
let src = `file "${target}" {\n\tstate => "exists",\n\tcontent => "drift content\\n",\n}\n`;
for (let i = 0; i < 9; i++) src += `file "${dir}/other${i}" {\n\tstate => "exists",\n\tcontent => "other ${i}\\n",\n}\n`;
writeFileSync(prog, src);

const agent = startAgent(["--tmp-prefix", prog]);
const vertex = `file[${target}]`;
try {
  await agent.waitFor((e) => e.event === "converged" && e["converged"] === true, 30_000);
} catch (e) {
  await agent.stop();
  fail(`the agent did not converge: ${(e as Error).message}`);
}

/** Resolves with the time at which `target` exists again with CONTENT. */
function restored(): { done: Promise<number>; close: () => void } {
  let resolve!: (t: number) => void;
  const done = new Promise<number>((r) => (resolve = r));
  const w = watch(dir, (_ev, name) => {
    if (name !== "managed") return;
    const t = performance.now();
    try {
      if (readFileSync(target, "utf8") === CONTENT) resolve(t);
    } catch {
      // not there yet: the next event will tell
    }
  });
  return { done, close: () => w.close() };
}

const times: number[] = [];
let lost = 0;
for (let i = 0; i < TRIALS; i++) {
  const from = agent.events.length;
  const r = restored();
  const t0 = performance.now();
  unlinkSync(target);
  const t = await Promise.race([r.done, new Promise<undefined>((res) => setTimeout(() => res(undefined), 2000).unref())]);
  r.close();
  if (t === undefined) {
    if (!existsSync(target)) {
      await agent.stop();
      fail(`trial ${i}: the file was not restored within 2 s`);
    }
    lost++;
    continue;
  }
  times.push(t - t0);
  // the fix and the paired check that follows it (its watch saw the write)
  await agent
    .waitFor((e) => e.event === "checkapply" && e.vertex === vertex && e["checkOK"] === true, 500, from)
    .catch(() => undefined);
}
await agent.stop();
endLoad(m);
cleanupTmp();

const s = stats(times);
report(
  "engine-drift",
  m,
  [
    { what: `trials (file on ${fs})`, result: `${s.n}${lost ? ` (+${lost} where the event was missed but the file was back)` : ""}` },
    { what: "delete → back with content, median", result: `${r2(s.median)} ms`, target: "≤ 5 ms", met: s.median <= 5 },
    { what: "p90", result: `${r2(s.p90)} ms` },
    { what: "p99", result: `${r2(s.p99)} ms`, target: "≤ 20 ms", met: s.p99 <= 20 },
    { what: "max", result: `${r2(s.max)} ms` },
  ],
  { trials: s.n, lost, medianMs: r2(s.median), p90Ms: r2(s.p90), p99Ms: r2(s.p99), maxMs: r2(s.max) },
);
