/**
 * Where the time of one apt transaction goes, from apt's own progress report (`-o
 * APT::Status-Fd=3`: `pmstatus:<pkg>:<percent>:<text>` lines, timestamped as they arrive).
 * Pure: the caller timestamps the lines; this module only cuts the run into phases. The `pkg`
 * kind logs the phases of every transaction (debug) and the benchmark tables them, so the fixed
 * cost per transaction (apt's start-up, triggers) and the cost per package (unpack, configure)
 * are measured where Steward runs apt, without strace.
 *
 * A transaction `apt-get install a b c` reports, in order: one `pmstatus:dpkg-exec:…:Running dpkg`
 * before each dpkg run (apt runs dpkg once to unpack, once to configure), then per package
 * `Preparing`, `Unpacking`, `Installing` (unpack run), `Preparing to configure`, `Configuring`,
 * `Installed` (configure run). Deferred triggers (man-db's `interest-noawait`) run inside the last
 * dpkg run after the last package line, and print nothing on the status fd; apt's DPkg::Post-Invoke
 * hooks follow. A remove reports `Removing` / `Removed` in one dpkg run.
 */

/** One line of apt's status fd with its arrival time (ms, any monotonic clock). */
export interface StatusLine {
  readonly at: number;
  readonly line: string;
}

/** Milliseconds per phase of one apt transaction; they add up to `total`. */
export interface AptPhases {
  /** apt start-up to the first dpkg run: reading the package lists, resolving, downloading, dpkg-preconfigure. */
  readonly plan: number;
  /** The first dpkg run: unpacking (or removing) the packages. */
  readonly unpack: number;
  /** Later dpkg runs, up to the last package's status line: configuring the packages. */
  readonly configure: number;
  /** After the last package line to apt's exit: deferred triggers (man-db…), Post-Invoke hooks, apt's exit. */
  readonly finish: number;
  readonly total: number;
}

const DPKG_RUN = /^pmstatus:dpkg-exec:/;
const PACKAGE_LINE = /^pmstatus:(?!dpkg-exec:)/;

/**
 * Cut one transaction (`start` = apt-get spawned, `end` = it exited) into phases. Without any
 * dpkg run (nothing to do, or apt failed before dpkg) the whole run is `plan`.
 */
export function aptPhases(start: number, end: number, lines: readonly StatusLine[]): AptPhases {
  const runs = lines.filter((l) => DPKG_RUN.test(l.line)).map((l) => l.at);
  const pkgs = lines.filter((l) => PACKAGE_LINE.test(l.line)).map((l) => l.at);
  const total = end - start;
  const first = runs[0];
  if (first === undefined) return { plan: total, unpack: 0, configure: 0, finish: 0, total };
  const lastPkg = Math.max(first, pkgs.length > 0 ? pkgs[pkgs.length - 1]! : first);
  const second = runs.find((t) => t > first) ?? lastPkg;
  return { plan: first - start, unpack: second - first, configure: lastPkg - second, finish: end - lastPkg, total };
}

/** `plan 1.82 s, unpack 0.91 s, configure 0.12 s, finish 3.10 s` for the debug log. */
export function formatPhases(p: AptPhases): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  return `plan ${s(p.plan)}, unpack ${s(p.unpack)}, configure ${s(p.configure)}, finish (triggers, hooks) ${s(p.finish)}`;
}
