/**
 * The tables of the `pkg` benchmark (bench/pkg.bench.ts): medians, ratios, and where the install
 * time goes (each apt transaction's phases from its status fd, pkg-phases.ts), for Steward's
 * engine in process beside bare `apt-get` on the same packages. Pure: it formats, the bench prints.
 */
import type { AptPhases } from "../stdlib/resources/pkg-phases.js";

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

/** `1.87×`: how many times `fast` is faster than `slow`; `n/a` when either is missing. */
export function ratio(fast: number | undefined, slow: number | undefined): string {
  return fast !== undefined && slow !== undefined && fast > 0 ? `${(slow / fast).toFixed(2)}×` : "n/a";
}

/** `84%`: a grouping ratio (slow/fast) as a share of apt's own one. */
export function share(fast: number | undefined, slow: number | undefined, aptFast: number | undefined, aptSlow: number | undefined): string {
  if (fast === undefined || slow === undefined || aptFast === undefined || aptSlow === undefined || fast <= 0 || aptSlow <= 0) return "n/a";
  return `${Math.round(((slow / fast) / (aptSlow / aptFast)) * 100)}%`;
}

const PHASES = ["plan", "unpack", "configure", "finish"] as const;

/** One run's phases summed over its transactions; `steward` is the run's wall time outside apt-get. */
export type PhaseRow = Record<(typeof PHASES)[number] | "apt" | "steward" | "transactions", number>;

export function phaseRow(txs: readonly AptPhases[], wall: number): PhaseRow {
  const sum = (f: (p: AptPhases) => number): number => txs.reduce((a, p) => a + f(p), 0);
  const apt = sum((p) => p.total);
  return { plan: sum((p) => p.plan), unpack: sum((p) => p.unpack), configure: sum((p) => p.configure), finish: sum((p) => p.finish), apt, steward: wall - apt, transactions: txs.length };
}

/** Per run, for one package set: Steward's engine grouped / `Meta:autogroup => false`, and bare apt-get one transaction / one per package. */
export interface PhaseColumns {
  readonly grouped: readonly PhaseRow[];
  readonly ungrouped: readonly PhaseRow[];
  readonly bareGrouped: readonly PhaseRow[];
  readonly bareOnePerPackage: readonly PhaseRow[];
}

const LABEL: Record<(typeof PHASES)[number] | "apt" | "steward", string> = {
  plan: "apt plan (lists, resolve, preconfigure)",
  unpack: "dpkg unpack",
  configure: "dpkg configure",
  finish: "triggers (man-db), hooks, apt exit",
  apt: "apt-get total",
  steward: "Steward outside apt-get",
};

/** The phase table's lines: the median of each cell on its own (so a column of medians need not be one run). */
export function phaseTable(t: PhaseColumns, runs: number): string[] {
  const cell = (rows: readonly PhaseRow[], c: keyof typeof LABEL): number => median(rows.map((r) => r[c]));
  const n = (rows: readonly PhaseRow[]): string => String(rows[0]?.transactions ?? "?");
  const w = 10;
  const lines = [
    `  where the time goes, median of ${runs} per cell; Steward = the engine in process (transactions: ${n(t.grouped)} grouped, ${n(t.ungrouped)} with autogroup false, summed); bare = apt-get alone (${n(t.bareGrouped)} / ${n(t.bareOnePerPackage)})`,
    `  ${"phase".padEnd(42)} ${"grouped".padStart(w)} ${"ungrouped".padStart(w)} ${"ratio".padStart(6)} ${"bare 1 tx".padStart(w)} ${"bare 1/pkg".padStart(w)} ${"ratio".padStart(6)}`,
  ];
  for (const c of [...PHASES, "apt", "steward"] as const) {
    const [g, u] = [cell(t.grouped, c), cell(t.ungrouped, c)];
    const bare = c === "steward" ? ["–", "–", ""] : [fmt(cell(t.bareGrouped, c)), fmt(cell(t.bareOnePerPackage, c)), ratio(cell(t.bareGrouped, c), cell(t.bareOnePerPackage, c))];
    lines.push(`  ${LABEL[c].padEnd(42)} ${fmt(g).padStart(w)} ${fmt(u).padStart(w)} ${(c === "steward" ? "" : ratio(g, u)).padStart(6)} ${bare[0]!.padStart(w)} ${bare[1]!.padStart(w)} ${bare[2]!.padStart(6)}`);
  }
  return lines;
}
