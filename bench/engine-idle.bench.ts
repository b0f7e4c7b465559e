/**
 * Idle cost and memory (issue 4 §5), the bundled bin as a running agent:
 *
 * - 1,000 watched files idle for 60 s: the agent's CPU time (user + system, from /proc/PID/stat)
 *   over the window, as a share of one core. Target ≤ 1 %. Measured after the graph converged
 *   and a few seconds of settling; nothing touches the files meanwhile.
 * - 10,000 file resources: the agent's RSS once converged (VmRSS, and the peak VmHWM, from
 *   /proc/PID/status). Target ≤ 400 MB.
 *
 * BENCH_IDLE_S changes the window (default 60). Run: `npm run build && node --import tsx bench/engine-idle.bench.ts`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanupTmp, cpuMs, endLoad, fail, filesProgram, machine, r2, report, requireBin, rssMb, startAgent, tmp, type Agent } from "./engine-util.js";

const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 60);
const SETTLE_MS = 3000;

requireBin();
const m = machine();
const root = tmp("steward-idle-");

async function converged(agent: Agent, what: string, ms: number): Promise<number> {
  const t0 = performance.now();
  try {
    await agent.waitFor((e) => e.event === "converged" && e["converged"] === true, ms);
  } catch (e) {
    await agent.stop();
    fail(`${what}: the agent did not converge: ${(e as Error).message}`);
  }
  return performance.now() - t0;
}

function program(n: number): string {
  const dir = join(root, `files-${n}`);
  mkdirSync(dir);
  const prog = join(root, `prog-${n}.mcl`);
  writeFileSync(prog, filesProgram(dir, n));
  return prog;
}

// ---- 1,000 watched files idle
const idle = startAgent(["--tmp-prefix", program(1000)]);
await converged(idle, "1,000 files", 120_000);
await new Promise((r) => setTimeout(r, SETTLE_MS));
const c0 = cpuMs(idle.pid);
const w0 = performance.now();
const events0 = idle.events.length;
await new Promise((r) => setTimeout(r, IDLE_S * 1000));
const cpu = cpuMs(idle.pid) - c0;
const window = performance.now() - w0;
const idleEvents = idle.events.length - events0;
const idleRss = rssMb(idle.pid);
await idle.stop();
const share = (cpu / window) * 100;

// ---- 10,000 file resources
const t0 = performance.now();
const big = startAgent(["--tmp-prefix", program(10_000)]);
await converged(big, "10,000 files", 300_000);
const convergeMs = performance.now() - t0;
await new Promise((r) => setTimeout(r, 1000));
const bigRss = rssMb(big.pid);
const bigCpu = cpuMs(big.pid);
await big.stop();
endLoad(m);
cleanupTmp();

report(
  "engine-idle",
  m,
  [
    { what: `1,000 watched files idle ${IDLE_S} s: CPU`, result: `${r2(cpu)} ms CPU in ${r2(window / 1000)} s = ${r2(share)} % of one core (${idleEvents} log events meanwhile)`, target: "≤ 1 %", met: share <= 1 },
    { what: "1,000 files: RSS idle", result: `${r2(idleRss.rss)} MB (peak ${r2(idleRss.peak)} MB)` },
    { what: "10,000 file resources: RSS converged", result: `${r2(bigRss.rss)} MB (peak ${r2(bigRss.peak)} MB)`, target: "≤ 400 MB", met: bigRss.peak <= 400 },
    { what: "10,000 files: spawn → converged (cold, creates them)", result: `${r2(convergeMs / 1000)} s wall, ${r2(bigCpu / 1000)} s CPU` },
  ],
  { idleSeconds: r2(window / 1000), idleCpuMs: r2(cpu), idleCpuPercent: r2(share), idleRssMb: r2(idleRss.rss), rss10kMb: r2(bigRss.rss), peakRss10kMb: r2(bigRss.peak), converge10kMs: r2(convergeMs), cpu10kMs: r2(bigCpu) },
);
