/**
 * `pkg` benchmark (issue 5 §5; numbers go to docs/benchmarks.md). Run as root on a Debian machine:
 *
 *   node --import tsx bench/pkg.bench.ts        (BENCH_RUNS=N, default 3; BENCH_SKIP_PUPPET=1;
 *                                               BENCH_PKGS="a b c" for other packages than sl figlet hello)
 *
 * With the .deb files of `sl`, `figlet` and `hello` already downloaded (`apt-get install
 * --download-only`, so the network does not count), it times, side by side:
 *
 * 1. installing the three packages, through the real Engine in process and through `steward run
 *    --converged-timeout 0` (a bundled build of this tree, Node start and compile included):
 *    grouped (one vertex, one `apt-get install`) vs `Meta:autogroup => false` (three);
 * 2. `puppet apply` of the same three packages (Debian's `puppet`, installed by this script when
 *    missing and purged again at the end), and its already-installed run;
 * 3. the already-installed check: the three packages (steward run vs puppet apply), and a graph
 *    of 200 installed packages (in process, ungrouped and grouped; and steward run);
 * 4. where the time of the in-process installs goes: each apt transaction's phases (apt's status
 *    fd, pkg-phases.ts), grouped (one transaction) vs `Meta:autogroup => false` (three, summed),
 *    and Steward's own time outside apt-get.
 *
 * The three packages are purged between runs and at the end; the machine's package set is restored.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeGraph, makeVertex, META_DEFAULTS, type Vertex } from "../lang/resource-graph.js";
import { Engine, type EngineEvent } from "../runtime/engine/engine.js";
import { MemoryWorld } from "../runtime/world/memory.js";
import "../stdlib/resources/index.js";
import { aptInvocations, aptTransactions } from "../stdlib/resources/pkg-apt.js";
import type { AptPhases } from "../stdlib/resources/pkg-phases.js";
import { dpkgLockHolder } from "../stdlib/resources/pkg-dpkg.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PKGS = (process.env["BENCH_PKGS"] ?? "sl figlet hello").split(/\s+/).filter((p) => p !== "");
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const ENV = { ...process.env, LC_ALL: "C", DEBIAN_FRONTEND: "noninteractive" };
const work = mkdtempSync(join(tmpdir(), "steward-pkg-bench-"));

function sh(cmd: string, args: readonly string[], ok: readonly number[] = [0]): { code: number; out: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", env: ENV, cwd: work, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (!ok.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}${r.stdout.slice(-2000)}`);
  return { code: r.status ?? -1, out: r.stdout, ms };
}

function waitUnlocked(): void {
  while (dpkgLockHolder() !== undefined) spawnSync("sleep", ["0.1"]);
}

function installed(): Set<string> {
  const out = sh("dpkg-query", ["-W", "-f=${Package}\\t${Status}\\n"]).out;
  return new Set(out.split("\n").flatMap((l) => (l.endsWith(" installed") ? [l.split("\t")[0]!] : [])));
}

function purgeThree(): void {
  waitUnlocked();
  const have = installed();
  const present = PKGS.filter((p) => have.has(p));
  if (present.length > 0) sh("apt-get", ["purge", "-q", "-y", "-o", "DPkg::Lock::Timeout=300", ...present]); // another test's apt run may start between the wait and here
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

// ---------------------------------------------------------------------------------------------
// in-process engine

async function engineRun(vertices: Vertex[], done: (events: EngineEvent[]) => boolean): Promise<number> {
  const stateDir = join(work, `state-${Math.random().toString(36).slice(2)}`);
  mkdirSync(stateDir);
  const e = new Engine({ hostname: "bench", world: new MemoryWorld("bench"), stateDir, noop: false, autoedges: true, autogroup: true });
  const events: EngineEvent[] = [];
  let wake: () => void = () => {};
  e.events$.subscribe((ev) => {
    events.push(ev);
    if (ev.event === "error") console.error(`  error: ${ev.message}`);
    wake();
  });
  const t0 = performance.now();
  const finished = new Promise<void>((r) => (wake = () => done(events) && r()));
  await e.apply(makeGraph(vertices, []));
  await finished;
  const ms = performance.now() - t0;
  await e.shutdown();
  return ms;
}

const pkgV = (name: string, autogroup: boolean): Vertex => makeVertex("pkg", name, {}, { ...META_DEFAULTS, autogroup });
const changedAll = (n: number) => (evs: EngineEvent[]) => evs.filter((e) => e.event === "checkapply" && e.changed).length >= n;
const checkedAll = (n: number) => (evs: EngineEvent[]) => evs.filter((e) => e.event === "checkapply").length >= n;

// ---------------------------------------------------------------------------------------------
// where the time goes: apt's phases per run (summed over the run's transactions) and Steward's rest

const PHASES = ["plan", "unpack", "configure", "finish"] as const;
type PhaseRow = Record<(typeof PHASES)[number] | "apt" | "steward" | "transactions", number>;
let phaseTable: { grouped: PhaseRow[]; ungrouped: PhaseRow[] } | undefined;

function phaseRow(txs: readonly AptPhases[], wall: number): PhaseRow {
  const sum = (f: (p: AptPhases) => number): number => txs.reduce((a, p) => a + f(p), 0);
  const apt = sum((p) => p.total);
  return { plan: sum((p) => p.plan), unpack: sum((p) => p.unpack), configure: sum((p) => p.configure), finish: sum((p) => p.finish), apt, steward: wall - apt, transactions: txs.length };
}

/** Median per column (each column on its own, so a row of medians need not be one run). */
function printPhases(t: { grouped: PhaseRow[]; ungrouped: PhaseRow[] }): void {
  const cols = [...PHASES, "apt", "steward"] as const;
  const label: Record<(typeof cols)[number], string> = {
    plan: "apt plan (lists, resolve, preconfigure)",
    unpack: "dpkg unpack",
    configure: "dpkg configure",
    finish: "triggers (man-db), hooks, apt exit",
    apt: "apt-get total",
    steward: "Steward outside apt-get",
  };
  console.log(`\n  where the time goes, engine in process, median of ${RUNS} per row (grouped: ${t.grouped[0]?.transactions} transaction; autogroup false: ${t.ungrouped[0]?.transactions}, summed)`);
  console.log(`  ${"phase".padEnd(42)} ${"grouped".padStart(9)} ${"ungrouped".padStart(9)}  ratio`);
  for (const c of cols) {
    const g = median(t.grouped.map((r) => r[c]));
    const u = median(t.ungrouped.map((r) => r[c]));
    console.log(`  ${label[c].padEnd(42)} ${fmt(g).padStart(9)} ${fmt(u).padStart(9)}  ${g > 0 ? `${(u / g).toFixed(2)}×` : ""}`);
  }
}

// ---------------------------------------------------------------------------------------------
// steward run (bundled build of this tree)

function buildSteward(): string {
  const out = join(work, "dist");
  console.log("building steward (tsc + esbuild bundle) …");
  sh(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "tsconfig.build.json"), "--outDir", out]);
  symlinkSync(join(ROOT, "node_modules"), join(work, "node_modules"));
  writeFileSync(join(work, "package.json"), readFileSync(join(ROOT, "package.json")));
  const bundle = `
    import { build } from ${JSON.stringify(join(ROOT, "node_modules/esbuild/lib/main.js"))};
    await build({ entryPoints: [${JSON.stringify(join(out, "runtime/cli/main.js"))}], outdir: ${JSON.stringify(join(out, "runtime/cli"))},
      allowOverwrite: true, entryNames: "[name]", splitting: true, chunkNames: "bundle-[name]-[hash]", bundle: true, platform: "node",
      format: "esm", target: "node20", minifyWhitespace: true, minifySyntax: true, logLevel: "warning", external: ["x11"],
      banner: { js: "import { createRequire as __r } from 'node:module';\\nconst require = __r(import.meta.url);" } });`;
  writeFileSync(join(work, "bundle.mjs"), bundle);
  sh(process.execPath, [join(work, "bundle.mjs")]);
  return join(out, "runtime/cli/main.js");
}

function program(names: readonly string[], autogroup: boolean): string {
  const f = join(work, `prog-${names.length}-${autogroup}.mcl`);
  writeFileSync(f, names.map((n) => `pkg "${n}" {${autogroup ? "" : "\n\tMeta:autogroup => false,\n"}}\n`).join(""));
  return f;
}

function stewardRun(bin: string, prog: string): number {
  return sh(process.execPath, [bin, "run", "--converged-timeout", "0", "--tmp-prefix", prog]).ms;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("run as root");
  const before = installed();
  /** What this script may purge at the end: the three, and what installing puppet brings. */
  const owned = new Set(PKGS);
  const results: Record<string, number | string> = {};
  try {
    purgeThree();
    sh("apt-get", ["install", "-q", "-y", "-o", "DPkg::Lock::Timeout=300", "--download-only", ...PKGS]);
    const bin = buildSteward();

    // 1. install three: in process, with each run's apt phases (4.)
    const grouped: number[] = [];
    const ungrouped: number[] = [];
    const phasesG: PhaseRow[] = [];
    const phasesU: PhaseRow[] = [];
    for (let i = 0; i < RUNS; i++) {
      purgeThree();
      const a0 = aptInvocations.length;
      let t0 = aptTransactions.length;
      grouped.push(await engineRun(PKGS.map((p) => pkgV(p, true)), changedAll(1)));
      if (aptInvocations.length - a0 !== 1) throw new Error(`grouped run used ${aptInvocations.length - a0} apt-get calls`);
      phasesG.push(phaseRow(aptTransactions.slice(t0).map((t) => t.phases), grouped[i]!));
      purgeThree();
      t0 = aptTransactions.length;
      ungrouped.push(await engineRun(PKGS.map((p) => pkgV(p, false)), changedAll(PKGS.length)));
      phasesU.push(phaseRow(aptTransactions.slice(t0).map((t) => t.phases), ungrouped[i]!));
    }
    results["engine: install 3, grouped"] = median(grouped);
    results["engine: install 3, autogroup false"] = median(ungrouped);
    phaseTable = { grouped: phasesG, ungrouped: phasesU };

    // 1b. install three: steward run
    const cliG: number[] = [];
    const cliU: number[] = [];
    const progG = program(PKGS, true);
    const progU = program(PKGS, false);
    for (let i = 0; i < RUNS; i++) {
      purgeThree();
      cliG.push(stewardRun(bin, progG));
      purgeThree();
      cliU.push(stewardRun(bin, progU));
    }
    results["steward run: install 3, grouped"] = median(cliG);
    results["steward run: install 3, autogroup false"] = median(cliU);
    const cliCheck: number[] = [];
    for (let i = 0; i < RUNS; i++) cliCheck.push(stewardRun(bin, progG));
    results["steward run: 3 already installed"] = median(cliCheck);

    // 3. 200 installed packages
    const all = [...installed()].sort();
    const two = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / 200)) === 0).slice(0, 200);
    if (two.length < 200) results["note"] = `only ${two.length} installed packages on this machine`;
    const c200: number[] = [];
    const c200g: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      c200.push(await engineRun(two.map((p) => pkgV(p, false)), checkedAll(two.length)));
      c200g.push(await engineRun(two.map((p) => pkgV(p, true)), checkedAll(1)));
    }
    results[`engine: check ${two.length} installed, ungrouped`] = median(c200);
    results[`engine: check ${two.length} installed, grouped`] = median(c200g);
    const prog200 = program(two, false);
    const cli200: number[] = [];
    for (let i = 0; i < RUNS; i++) cli200.push(stewardRun(bin, prog200));
    results[`steward run: check ${two.length} installed, ungrouped`] = median(cli200);

    // 2. puppet
    if (process.env["BENCH_SKIP_PUPPET"]) results["puppet"] = "skipped (BENCH_SKIP_PUPPET)";
    else {
      let puppet = spawnSync("sh", ["-c", "command -v puppet"], { encoding: "utf8" }).stdout.trim();
      if (!puppet) {
        waitUnlocked();
        const plan = sh("apt-get", ["install", "-s", "-q", "puppet"]).out;
        for (const m of plan.matchAll(/^Inst (\S+)/gm)) owned.add(m[1]!);
        const r = spawnSync("apt-get", ["install", "-q", "-y", "puppet"], { encoding: "utf8", env: ENV });
        if (r.status !== 0) results["puppet"] = `apt-get install puppet failed: ${r.stderr.trim().split("\n").pop()}`;
        puppet = spawnSync("sh", ["-c", "command -v puppet"], { encoding: "utf8" }).stdout.trim();
      }
      if (puppet) {
        results["puppet version"] = sh(puppet, ["--version"]).out.trim();
        const pp = join(work, "three.pp");
        // the same wait for another program's dpkg lock as Steward's (other tests may run apt meanwhile)
        writeFileSync(pp, `package { [${PKGS.map((p) => `'${p}'`).join(", ")}]: ensure => installed, install_options => ['-o', 'DPkg::Lock::Timeout=300'] }\n`);
        const inst: number[] = [];
        const check: number[] = [];
        try {
          for (let i = 0; i < RUNS; i++) {
            purgeThree();
            waitUnlocked();
            inst.push(sh(puppet, ["apply", "--detailed-exitcodes", pp], [2]).ms);
            check.push(sh(puppet, ["apply", "--detailed-exitcodes", pp], [0]).ms);
          }
          results["puppet apply: install 3"] = median(inst);
          results["puppet apply: 3 already installed"] = median(check);
        } catch (e) {
          // keep the Steward numbers measured so far
          results["puppet"] = `failed: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
        }
      }
    }
  } finally {
    // restore: purge what this script added (the three packages, puppet and its dependencies)
    waitUnlocked();
    const added = [...installed()].filter((p) => !before.has(p) && owned.has(p));
    if (added.length > 0) spawnSync("apt-get", ["purge", "-q", "-y", "-o", "DPkg::Lock::Timeout=300", ...added], { env: ENV });
    rmSync(work, { recursive: true, force: true });
  }

  const ratio = (a: string, b: string): string => {
    const x = results[a], y = results[b];
    return typeof x === "number" && typeof y === "number" ? `${(y / x).toFixed(2)}×` : "n/a";
  };
  console.log(`\npkg benchmark, median of ${RUNS} (${new Date().toISOString()})`);
  for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(48)} ${typeof v === "number" ? fmt(v) : v}`);
  console.log(`  grouped vs autogroup false (engine)              ${ratio("engine: install 3, grouped", "engine: install 3, autogroup false")}`);
  console.log(`  grouped vs autogroup false (steward run)         ${ratio("steward run: install 3, grouped", "steward run: install 3, autogroup false")}`);
  console.log(`  steward run grouped vs puppet apply (install)    ${ratio("steward run: install 3, grouped", "puppet apply: install 3")}`);
  console.log(`  steward run vs puppet apply (already installed)  ${ratio("steward run: 3 already installed", "puppet apply: 3 already installed")}`);
  if (phaseTable) printPhases(phaseTable);
  const out = join(ROOT, "bench/out");
  if (!existsSync(out)) mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "pkg.json"), JSON.stringify({ runs: RUNS, packages: PKGS, results, phases: phaseTable }, null, 2) + "\n");
}

await main();
process.exit(0);
