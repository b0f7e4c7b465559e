/**
 * apt's own bound for the `pkg` benchmark (bench/pkg.bench.ts). Grouping can only save what apt
 * saves by doing one transaction instead of several, and that depends on the packages (man-db's
 * trigger re-indexes each man directory a transaction changed: `man1` is large here, `man6` is
 * not). So the bench installs each package set with bare `apt-get` too, one transaction against
 * one per package, with the options and environment Steward's `pkg` kind passes (pkg-apt.ts
 * `runApt`, without its serialiser, lock wait, retries or `dpkg-query`s), and reports Steward's
 * grouping ratio as a share of apt's.
 *
 * Also here: which package sets the bench runs, and the check that a set brings no dependency
 * that is not installed yet (the purges between runs would leave it behind, and its unpack would
 * count in the first install only).
 */
import { BASE_OPTS, runApt } from "../stdlib/resources/pkg-apt.js";
import type { AptPhases } from "../stdlib/resources/pkg-phases.js";

/** Three packages whose pages go to `man6` and `man1` (one `man1` re-index either way), and three that each add a `man1` page. */
export const DEFAULT_SETS = "sl figlet hello;hello pv tree";

/** `BENCH_SETS` ("a b c;d e f"), else `BENCH_PKGS` as one set, else {@link DEFAULT_SETS}. */
export function packageSets(env: Readonly<Record<string, string | undefined>>): string[][] {
  const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== "");
  const sets = env["BENCH_SETS"] === undefined && env["BENCH_PKGS"] !== undefined ? [words(env["BENCH_PKGS"])] : (env["BENCH_SETS"] ?? DEFAULT_SETS).split(";").map(words);
  return sets.filter((s) => s.length > 0);
}

/** Packages an `apt-get install -s` plan installs beyond `set` (its `Inst name` lines). */
export function newDependencies(plan: string, set: readonly string[]): string[] {
  return [...plan.matchAll(/^Inst (\S+)/gm)].map((m) => m[1]!).filter((p) => !set.includes(p));
}

/**
 * Steward's options, with a longer lock wait: bare `apt-get` has no retry loop of its own, and
 * another engineer's test may hold the dpkg lock for more than Steward's 30 s (a run that waited
 * shows it in its *plan* phase).
 */
const BARE_OPTS = BASE_OPTS.map((o) => (o.startsWith("DPkg::Lock::Timeout=") ? "DPkg::Lock::Timeout=300" : o));

/** One bare run's wall time and each transaction's phases. */
export interface BareRun {
  readonly ms: number;
  readonly transactions: readonly AptPhases[];
}

async function install(pkgs: readonly string[]): Promise<AptPhases> {
  const r = await runApt(["install", ...BARE_OPTS, ...pkgs]);
  if (r.code !== 0) throw new Error(`bare apt-get install ${pkgs.join(" ")} exited ${r.code}: ${r.stderr.trim().split("\n").pop()}`);
  return r.phases!;
}

/** `apt-get install a b c`: one transaction. */
export async function bareGrouped(pkgs: readonly string[]): Promise<BareRun> {
  const t0 = performance.now();
  const tx = await install(pkgs);
  return { ms: performance.now() - t0, transactions: [tx] };
}

/** `apt-get install a`, then `b`, then `c`: one transaction per package, each started when the previous one exits. */
export async function bareOnePerPackage(pkgs: readonly string[]): Promise<BareRun> {
  const t0 = performance.now();
  const txs: AptPhases[] = [];
  for (const p of pkgs) txs.push(await install([p]));
  return { ms: performance.now() - t0, transactions: txs };
}
