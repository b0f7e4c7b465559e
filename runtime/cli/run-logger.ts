/**
 * The log of `steward run`, on stderr, in one of two forms (architecture.md "CLI contract"):
 *
 * - `text`: one readable line per record, `14:03:07.512 info  file[/tmp/f2]: content fixed`;
 *   multi-line messages (rendered diagnostics) follow their first line as they are.
 * - `json`: one JSON object per line, `{"level","t","event","vertex"?, …, "msg"}`, where `t` is
 *   the wall clock in milliseconds since the epoch (with microseconds, so that benchmarks can
 *   measure from it) and `msg` is the text line. Tests and benchmarks read this stream.
 *
 * JSON records go through pino (ecosystem.md §6 "logging"): it owns their level filtering and
 * serialisation; the text form is formatted directly. Both go to stderr batched per turn of the
 * event loop and flushed synchronously at exit, so nothing is lost when the process exits right
 * after a record (pino's default sonic-boom stream is asynchronous).
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

/**
 * stderr, batched: the lines of one turn of the event loop go out in one write (flushed on
 * `setImmediate`, at 64 KB, and at exit). A cold run of 1,000 files logs a few thousand lines, and
 * one synchronous write per line was a tenth of its time.
 */
function batchedStderr(): (s: string) => void {
  let buf: string[] = [];
  let size = 0;
  let queued = false;
  const flush = (): void => {
    queued = false;
    if (buf.length === 0) return;
    const text = buf.join("");
    buf = [];
    size = 0;
    process.stderr.write(text); // synchronous for files and pipes on Linux
  };
  process.on("exit", flush);
  return (s) => {
    buf.push(s);
    size += s.length;
    if (size >= 65536) flush();
    else if (!queued) {
      queued = true;
      setImmediate(flush);
    }
  };
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

export function createRunLogger(opts: RunLoggerOptions): RunLogger {
  const write = opts.write ?? batchedStderr();
  if (opts.format === "text") {
    // The text form formats the line directly: a pino record serialised to JSON only to be
    // parsed back (as this did before) cost more than the rest of the logging.
    const min = RANK[opts.level];
    const line = (level: LogLevel, text: string): void => {
      if (RANK[level] >= min) write(`${clock(nowMs())} ${level.padEnd(5)} ${text}\n`);
    };
    return {
      format: "text",
      record: (level, _rec, text) => line(level, text),
      log: line,
      enabled: (level) => RANK[level] >= min,
    };
  }
  const logger: Logger = pino(
    {
      level: opts.level,
      base: null,
      messageKey: "msg",
      timestamp: () => `,"t":${nowMs()}`,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write },
  );
  return {
    format: opts.format,
    record: (level, rec, text) => logger[level](rec, text),
    log: (level, text) => logger[level]({ event: "log" }, text),
    enabled: (level) => logger.isLevelEnabled(level),
  };
}
