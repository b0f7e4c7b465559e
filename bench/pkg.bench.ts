/**
 * `pkg` benchmark (issue 5 §5; numbers go to docs/benchmarks.md). Run as root on a Debian machine:
 *
 *   node --import tsx bench/pkg.bench.ts        (BENCH_RUNS=N, default 3; BENCH_SKIP_PUPPET=1;
 *                                               BENCH_SETS="a b c;d e f" for the package sets,
 *                                               default "sl figlet hello;hello pv tree";
 *                                               BENCH_PKGS="a b c" for one set)
 *
 * With each set's .deb files already downloaded (`apt-get install --download-only`, so the
 * network does not count), it times, side by side, for every package set:
 *
 * 1. installing the set, through the real Engine in process and through `steward run
 *    --converged-timeout 0` (the built bin of `npm run build`, copied; Node start and compile included):
 *    grouped (one vertex, one `apt-get install`) vs `Meta:autogroup => false` (one per package);
 * 2. apt's own bound: the same installs with bare `apt-get` (Steward's options and environment,
 *    bench/pkg-apt-bound.ts), one transaction vs one per package, and Steward's grouping ratio as
 *    a share of apt's;
 * 3. where the time of the installs goes: each apt transaction's phases (apt's status fd,
 *    pkg-phases.ts), Steward's engine and bare apt-get, grouped vs one per package, and
 *    Steward's own time outside apt-get;
 * 4. the already-installed `steward run`;
 *
 * and once, with the first set: `puppet apply` of it (Debian's `puppet`, installed by this script
 * when missing and purged again at the end) and its already-installed run, and the check of a
 * graph of 200 installed packages (in process, ungrouped and grouped; and steward run).
 *
 * The runs of one set are interleaved (each round runs every row once), so a change of the
 * machine's load falls on every row alike. Each set's packages are purged between runs and at the
 * end; the machine's package set is restored (a set package installed before the bench is
 * reinstalled at its version). Results: bench/out/pkg.json, per set.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeGraph, makeVertex, META_DEFAULTS, type Vertex } from "../lang/resource-graph.js";
import { Engine, type EngineEvent } from "../runtime/engine/engine.js";
import { MemoryWorld } from "../runtime/world/memory.js";
import "../stdlib/resources/index.js";
import { aptInvocations, aptTransactions } from "../stdlib/resources/pkg-apt.js";
import { dpkgLockHolder } from "../stdlib/resources/pkg-dpkg.js";
import { bareGrouped, bareOnePerPackage, newDependencies, packageSets } from "./pkg-apt-bound.js";
import { fmt, median, phaseRow, phaseTable, ratio, share, type PhaseColumns, type PhaseRow } from "./pkg-report.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SETS = packageSets(process.env);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const ENV = { ...process.env, LC_ALL: "C", DEBIAN_FRONTEND: "noninteractive" };
const work = mkdtempSync(join(tmpdir(), "steward-pkg-bench-"));

function sh(cmd: string, args: readonly string[], ok: readonly number[] = [0]): { code: number; out: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", env: ENV, cwd: work, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (!ok.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${(r.stderr + r.stdout.slice(-2000)).trim().split("\n").pop()}`);
  return { code: r.status ?? -1, out: r.stdout, ms };
}

function waitUnlocked(): void {
  while (dpkgLockHolder() !== undefined) spawnSync("sleep", ["0.1"]);
}

/** Installed packages and their versions. */
function installed(): Map<string, string> {
  const out = sh("dpkg-query", ["-W", "-f=${Package}\\t${Version}\\t${Status}\\n"]).out;
  return new Map(out.split("\n").flatMap((l) => (l.endsWith(" installed") ? [[l.split("\t")[0]!, l.split("\t")[1]!] as const] : [])));
}

/**
 * Purge the set's installed packages with `dpkg --purge`: the same end state as `apt-get purge`
 * for packages nothing depends on, without apt's ~2 s start-up (about 40 purges a bench run).
 * dpkg does not wait for a lock, so a lock held by another program is waited out and retried.
 */
function purge(pkgs: readonly string[]): void {
  for (let tries = 0; ; tries++) {
    waitUnlocked();
    const have = installed();
    const present = pkgs.filter((p) => have.has(p));
    if (present.length === 0) return;
    const r = spawnSync("dpkg", ["--purge", ...present], { encoding: "utf8", env: ENV });
    if (r.status === 0) return;
    if (!/lock/.test(r.stderr) || tries >= 300) throw new Error(`dpkg --purge ${present.join(" ")} exited ${r.status}: ${r.stderr.trim().split("\n").pop()}`);
    spawnSync("sleep", ["1"]);
  }
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(" ");

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

/** One engine install of the set, with the phases of the apt transactions it ran. */
async function engineInstall(pkgs: readonly string[], autogroup: boolean): Promise<{ ms: number; phases: PhaseRow }> {
  const a0 = aptInvocations.length;
  const t0 = aptTransactions.length;
  const ms = await engineRun(pkgs.map((p) => pkgV(p, autogroup)), changedAll(autogroup ? 1 : pkgs.length));
  const calls = aptInvocations.length - a0;
  if (calls !== (autogroup ? 1 : pkgs.length)) throw new Error(`${autogroup ? "grouped" : "ungrouped"} engine run used ${calls} apt-get calls`);
  return { ms, phases: phaseRow(aptTransactions.slice(t0).map((t) => t.phases), ms) };
}

// ---------------------------------------------------------------------------------------------
// steward run (the built bin, copied)

/**
 * The bin users get (`npm run build`: the loader, the per-command bundles and their V8 code
 * caches), copied so that a rebuild of the tree during the bench can't change it mid-run.
 */
function buildSteward(): string {
  const bin = join(ROOT, "dist/runtime/cli/main.js");
  if (!existsSync(bin) || !existsSync(join(ROOT, "dist/runtime/cli/steward-run.cjs"))) throw new Error("run `npm run build` first (the bench runs the built bin)");
  cpSync(join(ROOT, "dist"), join(work, "dist"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(work, "node_modules"));
  writeFileSync(join(work, "package.json"), readFileSync(join(ROOT, "package.json")));
  return join(work, "dist/runtime/cli/main.js");
}

function program(names: readonly string[], autogroup: boolean): string {
  const f = join(work, `prog-${names.join("-").slice(0, 60)}-${names.length}-${autogroup}.mcl`);
  writeFileSync(f, names.map((n) => `pkg "${n}" {${autogroup ? "" : "\n\tMeta:autogroup => false,\n"}}\n`).join(""));
  return f;
}

function stewardRun(bin: string, prog: string): number {
  return sh(process.execPath, [bin, "run", "--converged-timeout", "0", "--tmp-prefix", prog]).ms;
}

// ---------------------------------------------------------------------------------------------
// one package set

type Results = Record<string, number | string>;

interface SetReport {
  readonly packages: readonly string[];
  readonly load: { readonly start: string; readonly end: string };
  readonly results: Results;
  /** Every run's wall time per row (ms), in run order. */
  readonly samples: Record<string, number[]>;
  readonly phases: PhaseColumns;
}

const ROWS = {
  engineG: "engine: install, grouped",
  engineU: "engine: install, autogroup false",
  cliG: "steward run: install, grouped",
  cliU: "steward run: install, autogroup false",
  bareG: "bare apt-get: one transaction",
  bareU: "bare apt-get: one per package",
  cliCheck: "steward run: already installed",
} as const;

async function benchSet(pkgs: readonly string[], bin: string): Promise<SetReport> {
  const start = load();
  const samples: Record<string, number[]> = Object.fromEntries(Object.values(ROWS).map((r) => [r, []]));
  const phases = { grouped: [] as PhaseRow[], ungrouped: [] as PhaseRow[], bareGrouped: [] as PhaseRow[], bareOnePerPackage: [] as PhaseRow[] };
  const progG = program(pkgs, true);
  const progU = program(pkgs, false);
  for (let i = 0; i < RUNS; i++) {
    for (const [row, cols, autogroup] of [[ROWS.engineG, phases.grouped, true], [ROWS.engineU, phases.ungrouped, false]] as const) {
      purge(pkgs);
      const r = await engineInstall(pkgs, autogroup);
      samples[row]!.push(r.ms);
      cols.push(r.phases);
    }
    for (const [row, cols, run] of [[ROWS.bareG, phases.bareGrouped, bareGrouped], [ROWS.bareU, phases.bareOnePerPackage, bareOnePerPackage]] as const) {
      purge(pkgs);
      const r = await run(pkgs);
      samples[row]!.push(r.ms);
      cols.push(phaseRow(r.transactions, r.ms));
    }
    for (const [row, prog] of [[ROWS.cliG, progG], [ROWS.cliU, progU]] as const) {
      purge(pkgs);
      samples[row]!.push(stewardRun(bin, prog));
    }
  }
  for (let i = 0; i < RUNS; i++) samples[ROWS.cliCheck]!.push(stewardRun(bin, progG));
  const results: Results = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  return { packages: pkgs, load: { start, end: load() }, results, samples, phases };
}

function printSet(i: number, s: SetReport): void {
  const r = (k: string): number | undefined => (typeof s.results[k] === "number" ? (s.results[k] as number) : undefined);
  console.log(`\nset ${i + 1}: ${s.packages.join(" ")} — median of ${RUNS}, load average ${s.load.start} → ${s.load.end}`);
  for (const [k, v] of Object.entries(s.results)) console.log(`  ${k.padEnd(48)} ${typeof v === "number" ? fmt(v) : v}`);
  const apt = ratio(r(ROWS.bareG), r(ROWS.bareU));
  console.log(`  bare apt grouped vs one per package (apt's bound)  ${apt}`);
  for (const [label, g, u] of [["engine", ROWS.engineG, ROWS.engineU], ["steward run", ROWS.cliG, ROWS.cliU]] as const) {
    const steward = ratio(r(g), r(u));
    console.log(`  grouped vs autogroup false (${label})`.padEnd(52) + `${steward}  — Steward's ratio as a share of apt's: ${share(r(g), r(u), r(ROWS.bareG), r(ROWS.bareU))}`);
  }
  const over = (k: string): string => {
    const d = r(k) !== undefined && r(ROWS.bareG) !== undefined ? r(k)! - r(ROWS.bareG)! : undefined;
    return d === undefined ? "n/a" : `${d < 0 ? "−" : "+"}${fmt(Math.abs(d))}`;
  };
  console.log(`  grouped install minus bare apt-get's one transaction: engine ${over(ROWS.engineG)}, steward run ${over(ROWS.cliG)}`);
  console.log("");
  for (const l of phaseTable(s.phases, RUNS)) console.log(l);
}

// ---------------------------------------------------------------------------------------------
// once, with the first set: 200 installed packages, puppet

async function check200(bin: string, results: Results): Promise<void> {
  const all = [...installed().keys()].sort();
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
}

/** puppet apply of the set; what installing puppet brings is added to `owned` (purged at the end). */
function puppetRows(pkgs: readonly string[], owned: Set<string>, results: Results): void {
  let puppet = spawnSync("sh", ["-c", "command -v puppet"], { encoding: "utf8" }).stdout.trim();
  if (!puppet) {
    waitUnlocked();
    const plan = sh("apt-get", ["install", "-s", "-q", "puppet"]).out;
    for (const m of plan.matchAll(/^Inst (\S+)/gm)) owned.add(m[1]!);
    const r = spawnSync("apt-get", ["install", "-q", "-y", "puppet"], { encoding: "utf8", env: ENV });
    if (r.status !== 0) results["puppet"] = `apt-get install puppet failed: ${r.stderr.trim().split("\n").pop()}`;
    puppet = spawnSync("sh", ["-c", "command -v puppet"], { encoding: "utf8" }).stdout.trim();
  }
  if (!puppet) return;
  results["puppet version"] = sh(puppet, ["--version"]).out.trim();
  const pp = join(work, "set.pp");
  // the same wait for another program's dpkg lock as Steward's (other tests may run apt meanwhile)
  writeFileSync(pp, `package { [${pkgs.map((p) => `'${p}'`).join(", ")}]: ensure => installed, install_options => ['-o', 'DPkg::Lock::Timeout=300'] }\n`);
  const inst: number[] = [];
  const check: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      purge(pkgs);
      inst.push(sh(puppet, ["apply", "--detailed-exitcodes", pp], [2]).ms);
      check.push(sh(puppet, ["apply", "--detailed-exitcodes", pp], [0]).ms);
    }
    results["puppet apply: install"] = median(inst);
    results["puppet apply: already installed"] = median(check);
  } catch (e) {
    // keep the Steward numbers measured so far
    results["puppet"] = `failed: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Put the package set back: purge what the bench added (the sets' packages, puppet and its
 * dependencies), reinstall at its version any set package that was installed before, with its
 * automatic-install mark.
 */
function restore(before: ReadonlyMap<string, string>, autoBefore: ReadonlySet<string>, owned: ReadonlySet<string>): void {
  waitUnlocked();
  const now = installed();
  const added = [...now.keys()].filter((p) => !before.has(p) && owned.has(p));
  if (added.length > 0) spawnSync("apt-get", ["purge", "-q", "-y", "-o", "DPkg::Lock::Timeout=300", ...added], { env: ENV });
  const missing = [...owned].filter((p) => before.has(p) && now.get(p) !== before.get(p));
  if (missing.length === 0) return;
  sh("apt-get", ["install", "-q", "-y", "-o", "DPkg::Lock::Timeout=300", "--allow-downgrades", ...missing.map((p) => `${p}=${before.get(p)}`)]);
  const auto = missing.filter((p) => autoBefore.has(p));
  if (auto.length > 0) sh("apt-mark", ["auto", ...auto]);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("run as root");
  if (SETS.length === 0) throw new Error("no package set (BENCH_SETS / BENCH_PKGS are empty)");
  const before = installed();
  const autoBefore = new Set(sh("apt-mark", ["showauto"]).out.split("\n").filter((l) => l !== ""));
  /** What this script may purge at the end: the sets' packages, and what installing puppet brings. */
  const owned = new Set(SETS.flat());
  const sets: SetReport[] = [];
  const once: Results = {};
  const t0 = performance.now();
  try {
    for (const pkgs of SETS) {
      waitUnlocked();
      const extra = newDependencies(sh("apt-get", ["install", "-s", "-q", ...pkgs]).out, pkgs);
      if (extra.length > 0) throw new Error(`set "${pkgs.join(" ")}" would also install ${extra.join(" ")}: choose packages whose dependencies are installed`);
      sh("apt-get", ["install", "-q", "-y", "-o", "DPkg::Lock::Timeout=300", "--download-only", ...pkgs]);
    }
    const bin = buildSteward();
    for (const [i, pkgs] of SETS.entries()) {
      console.log(`set ${i + 1}: ${pkgs.join(" ")} (load average ${load()}) …`);
      sets.push(await benchSet(pkgs, bin));
      purge(pkgs);
      if (i === 0) {
        await check200(bin, once);
        if (process.env["BENCH_SKIP_PUPPET"]) once["puppet"] = "skipped (BENCH_SKIP_PUPPET)";
        else puppetRows(pkgs, owned, once);
        purge(pkgs);
      }
    }
  } finally {
    restore(before, autoBefore, owned);
    rmSync(work, { recursive: true, force: true });
  }

  console.log(`\npkg benchmark, median of ${RUNS} (${new Date().toISOString()}, ${((performance.now() - t0) / 60_000).toFixed(1)} min)`);
  sets.forEach((s, i) => printSet(i, s));
  const first = sets[0]!;
  const num = (x: number | string | undefined): number | undefined => (typeof x === "number" ? x : undefined);
  console.log(`\nonce, with set 1 (${first.packages.join(" ")})`);
  for (const [k, v] of Object.entries(once)) console.log(`  ${k.padEnd(48)} ${typeof v === "number" ? fmt(v) : v}`);
  console.log(`  steward run grouped vs puppet apply (install)    ${ratio(num(first.results[ROWS.cliG]), num(once["puppet apply: install"]))}`);
  console.log(`  steward run vs puppet apply (already installed)  ${ratio(num(first.results[ROWS.cliCheck]), num(once["puppet apply: already installed"]))}`);
  const out = join(ROOT, "bench/out");
  if (!existsSync(out)) mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "pkg.json"), JSON.stringify({ date: new Date().toISOString(), runs: RUNS, sets, once }, null, 2) + "\n");
}

try {
  await main();
  process.exit(0);
} catch (e) {
  console.error(`pkg bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
