/**
 * The log of `steward run`, on stderr, in one of two forms (architecture.md "CLI contract"):
 *
 * - `text`: one readable line per record, `14:03:07.512 info  file[/tmp/f2]: content fixed`;
 *   multi-line messages (rendered diagnostics) follow their first line as they are.
 * - `json`: one JSON object per line, `{"level","t","event","vertex"?, …, "msg"}`, where `t` is
 *   the wall clock in milliseconds since the epoch (with microseconds, so that benchmarks can
 *   measure from it) and `msg` is the text line. Tests and benchmarks read this stream.
 *
 * Records go through pino (ecosystem.md §6 "logging"): it owns level filtering, serialisation
 * and child bindings. Both forms use a synchronous destination, so nothing is lost when the
 * process exits right after a record (pino's default sonic-boom stream is asynchronous).
 */
import { performance } from "node:perf_hooks";
import { pino, type Logger } from "pino";
import type { LogFormat, LogLevel } from "./run-options.js";

/** One structured record: `event` names it; the other fields depend on the event. */
export interface RunRecord {
  readonly event: string;
  readonly vertex?: string;
  readonly [field: string]: unknown;
}

export interface RunLogger {
  /** Log `rec` at `level`, with `text` as its human form. */
  record(level: LogLevel, rec: RunRecord, text: string): void;
  /** A message that is not an event of the contract (`{"event":"log"}` in json). */
  log(level: LogLevel, text: string): void;
  /** Would a record at `level` be written? (Skip building expensive text otherwise.) */
  enabled(level: LogLevel): boolean;
  readonly format: LogFormat;
}

export interface RunLoggerOptions {
  readonly format: LogFormat;
  readonly level: LogLevel;
  /** Where lines go (default: stderr, which is synchronous for files and pipes on Linux). */
  readonly write?: (s: string) => void;
}

/** Wall-clock milliseconds with microsecond resolution (Date.now() has only milliseconds). */
export function nowMs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;
}

function clock(t: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** Turns pino's JSON lines back into text lines (the text form has no other consumer). */
function textStream(write: (s: string) => void): { write(s: string): void } {
  return {
    write(line: string): void {
      const o = JSON.parse(line) as { t?: number; level?: string; msg?: string };
      write(`${clock(o.t ?? Date.now())} ${(o.level ?? "info").padEnd(5)} ${o.msg ?? ""}\n`);
    },
  };
}

export function createRunLogger(opts: RunLoggerOptions): RunLogger {
  const write = opts.write ?? ((s: string) => void process.stderr.write(s));
  const stream = opts.format === "json" ? { write } : textStream(write);
  const logger: Logger = pino(
    {
      level: opts.level,
      base: null,
      messageKey: "msg",
      timestamp: () => `,"t":${nowMs()}`,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return {
    format: opts.format,
    record: (level, rec, text) => logger[level](rec, text),
    log: (level, text) => logger[level]({ event: "log" }, text),
    enabled: (level) => logger.isLevelEnabled(level),
  };
}
