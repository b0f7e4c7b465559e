/**
 * Export/collect at scale (issue 6 §4): 5 agents (the bundled bin, `steward run --seeds`, each
 * with its own --hostname and state directory) on one real etcd member (loopback, tmpfs) run one
 * deploy in which every agent exports 200 files to each host and collects what is exported to it,
 * so every host collects 1,000 files (200 from each of the 5) into its own directory: 5,000 files.
 *
 * The agents share this machine's file system, so a file collected by two hosts would be one
 * file: each exporter therefore exports its 200 resources once per target host (the target's
 * directory in the name, `Meta:export => [$h]`), which is 1,000 records per agent — five times
 * the etcd traffic of 200 `"*"` exports, so the measurement is on the pessimistic side.
 *
 * Two measurements: (1) all 5 agents started together: from the last agent's start to all 5,000
 * files present; (2) a late joiner: 4 agents converged (4 × 800 files), then the 5th starts: from
 * its start to all 5,000 present (its 1,000 collected and 200 new in each of the 4 others).
 * Target: ≤ 10 s.
 *
 * Run: `npm run build && node --import tsx bench/cluster-collect.bench.ts` (`BENCH_ONLY=together|late`
 * for one round, `BENCH_SHARE=/dev/shm` for the collected files on tmpfs, `BENCH_EVENTS=FILE` to keep the
 * agents' JSON event streams).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestEtcd, type TestEtcd } from "../test/helpers/etcd.js";
import { BIN, cleanupTmp, cpuMs, endLoad, fail, machine, r2, report, requireBin, startAgent, timed, tmp, type Agent } from "./engine-util.js";

const AGENTS = 5;
const PER_HOST = 200;
const TARGET_S = 10;
const HOSTS = Array.from({ length: AGENTS }, (_, i) => `h${i + 1}`);

const program = (base: string) => `import "fmt"
import "iter"
import "world"
import "world/collect"

kv "bench-hosts" {
	mapped => true,
	value => "up",
}

file "${base}/\${hostname}/" {
	state => "exists",
}

forkv $h, $v in world.kvlookup("bench-hosts") {
	for $i, $n in iter.range(${PER_HOST}) {
		$f = fmt.printf("${base}/%s/%s-%d", $h, $hostname, $n)
		file "\${f}" {
			state => "exists",
			content => fmt.printf("%d from %s\\n", $n, $hostname),
			Meta:export => [$h],
			Meta:hidden => true,
		}
	}
}

collect file collect.res("file") {
	mode => "0644",
}
`;

function count(base: string, hosts: readonly string[]): number {
  let n = 0;
  for (const h of hosts) {
    try {
      n += readdirSync(join(base, h)).length;
    } catch {
      // not created yet
    }
  }
  return n;
}

async function until(what: string, cond: () => boolean, ms: number, progress?: () => string): Promise<number> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) fail(`timed out after ${ms} ms waiting for ${what}${progress ? ` (${progress()})` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now();
}

/**
 * One round on a fresh etcd: `early` agents first (until converged), then the rest at once.
 * Returns the wall time from the last start to 5,000 files, and the CPU time the agents used in
 * that interval (what the work costs, whatever else the machine is running).
 */
async function round(early: number): Promise<{ wallS: number; cpuS: number; swaps: number[] }> {
  const etcd: TestEtcd = await startTestEtcd({ tag: "bench-collect" });
  const dir = tmp("steward-bench-collect-");
  // BENCH_SHARE=DIR puts the 5,000 collected files there (e.g. /dev/shm) instead of the temp
  // directory's disk: file creation on this VM's ext4 costs 0.3–1.1 ms of system CPU each.
  const base = process.env.BENCH_SHARE ? mkdtempSync(join(process.env.BENCH_SHARE, "steward-bench-share-")) : join(dir, "share");
  if (!process.env.BENCH_SHARE) mkdirSync(base);
  const agents: Agent[] = [];
  try {
    const seeds = etcd.endpoints.join(",");
    writeFileSync(join(dir, "main.mcl"), program(base));
    const d = await timed(process.execPath, [BIN, "deploy", "--seeds", seeds, "--hostname", "bench", join(dir, "main.mcl")]);
    if (d.code !== 0) fail(`deploy: ${d.stderr.trim()}`);
    const start = (h: string) => agents.push(startAgent(["--seeds", seeds, "--hostname", h, "--prefix", join(dir, "state", h)]));
    const first = HOSTS.slice(0, early);
    for (const h of first) start(h);
    if (early > 0) await until(`${early} agents converged`, () => count(base, first) === early * early * PER_HOST, 120_000, () => `${count(base, first)} files`);
    let last = 0;
    const cpu0 = agents.reduce((n, a) => n + cpuMs(a.pid), 0);
    for (const h of HOSTS.slice(early)) {
      start(h);
      last = performance.now();
    }
    const done = await until("all 5,000 files", () => count(base, HOSTS) === AGENTS * AGENTS * PER_HOST, 180_000, () => `${count(base, HOSTS)} files`);
    const cpu = agents.reduce((n, a) => n + cpuMs(a.pid), 0) - cpu0;
    // graph swaps per agent over its whole run: each is one re-interpretation and one engine swap
    const swaps = agents.map((a) => a.events.filter((e) => e.event === "swap").length);
    // BENCH_EVENTS=FILE keeps every agent's event stream (profiling: what each swap was for)
    if (process.env.BENCH_EVENTS) writeFileSync(process.env.BENCH_EVENTS, JSON.stringify(agents.map((a) => a.events)));
    return { wallS: (done - last) / 1000, cpuS: cpu / 1000, swaps };
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(base, { recursive: true, force: true });
  }
}

requireBin();
const m = machine();
try {
  // BENCH_ONLY=together|late runs one of the two rounds (profiling); the other reads as 0.
  const only = process.env.BENCH_ONLY;
  const t = only === "late" ? undefined : await round(0);
  const l = only === "together" ? undefined : await round(AGENTS - 1);
  endLoad(m);
  const row = (what: string, r: { wallS: number } | undefined) =>
    r ? { what, result: `${r2(r.wallS)} s`, target: `≤ ${TARGET_S} s`, met: r.wallS <= TARGET_S } : { what, result: "not run (BENCH_ONLY)" };
  const cpu = (r: { cpuS: number } | undefined) => (r ? `${r2(r.cpuS)} s` : "—");
  report(
    "cluster-collect",
    m,
    [
      row("5 agents started together: last start → 5,000 files", t),
      row("4 agents converged, 5th starts: its start → 5,000 files", l),
      { what: "CPU time of the 5 agents in those intervals (together / late joiner)", result: `${cpu(t)} / ${cpu(l)}` },
    ],
    {
      agents: AGENTS,
      perHost: PER_HOST,
      files: AGENTS * AGENTS * PER_HOST,
      share: process.env.BENCH_SHARE ?? "temp dir",
      togetherS: t && r2(t.wallS),
      lateJoinerS: l && r2(l.wallS),
      cpuTogetherS: t && r2(t.cpuS),
      cpuLateJoinerS: l && r2(l.cpuS),
      swapsTogether: t?.swaps,
      swapsLateJoiner: l?.swaps,
      targetS: TARGET_S,
    },
  );
} finally {
  cleanupTmp();
}
process.exit(0);
