/**
 * How `steward run` reports what the engine does: each engine event becomes one log record with
 * a readable line (`file[/tmp/f2]: fixed (0.8 ms)`), at a level that suits the text form; the
 * JSON form carries every event of the contract at `info` so that a consumer counting what a
 * swap touched sees them all at the default level.
 *
 * It also keeps the tally behind the summary printed when the graph converges.
 */
import type { EngineEvent } from "../engine/events.js";
import type { RunLogger } from "./run-logger.js";
import type { LogLevel } from "./run-options.js";

const ms = (n: number): string => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

/** Changes, would-be changes and errors since the last time the graph converged. */
class Tally {
  changed = new Set<string>();
  wouldChange = new Set<string>();
  errors = 0;
  reset(): void {
    this.changed.clear();
    this.wouldChange.clear();
    this.errors = 0;
  }
}

export class EngineReporter {
  readonly #tally = new Tally();
  /** vertices in the running graph, for the summary */
  vertices = 0;
  /** changes made since the run started */
  totalChanged = 0;

  constructor(
    private readonly log: RunLogger,
    private readonly noop: boolean,
  ) {}

  /** Log one engine event. */
  report(ev: EngineEvent): void {
    const json = this.log.format === "json";
    // lifecycle noise in a terminal; part of the contract in JSON
    const detail: LogLevel = json ? "info" : "debug";
    switch (ev.event) {
      case "swap": {
        this.vertices += ev.added.length - ev.removed.length;
        const touched = ev.added.length + ev.removed.length + ev.replaced.length;
        const text = `graph swapped: ${ev.added.length} added, ${ev.removed.length} removed, ${ev.replaced.length} replaced, ${ev.kept} kept (${ms(ev.ms)})`;
        this.log.record(touched === 0 ? detail : "info", ev, text);
        return;
      }
      case "init":
      case "cleanup":
      case "watch-start":
      case "watch-stop":
        // thousands of these in a terminal's debug-only lines: skip building the text
        if (this.log.enabled(detail)) this.log.record(detail, ev, `${ev.vertex}: ${ev.event}`);
        return;
      case "checkapply": {
        if (ev.changed) {
          this.#tally.changed.add(ev.vertex);
          this.totalChanged++;
          this.log.record("info", ev, `${ev.vertex}: ${ev.refresh ? "refreshed" : "fixed"} (${ms(ev.ms)})`);
        } else if (!ev.checkOK && ev.noop) {
          this.#tally.wouldChange.add(ev.vertex);
          this.log.record("info", ev, `${ev.vertex}: would change (noop)`);
        } else if (!ev.checkOK) {
          this.log.record("info", ev, `${ev.vertex}: not in its desired state, not changed (${ms(ev.ms)})`);
        } else if (this.log.enabled(detail)) {
          this.log.record(detail, ev, `${ev.vertex}: ok (${ms(ev.ms)})`);
        }
        return;
      }
      case "error": {
        this.#tally.errors++;
        const who = ev.vertex === undefined ? "engine" : ev.vertex;
        const retries =
          ev.retriesLeft === undefined ? "" : ev.retriesLeft < 0 ? " (retrying)" : ev.retriesLeft === 0 ? " (no retries left)" : ` (${ev.retriesLeft} ${ev.retriesLeft === 1 ? "retry" : "retries"} left)`;
        this.log.record("error", ev, `${who}: ${ev.message}${retries}`);
        return;
      }
      case "converged": {
        if (!ev.converged) {
          this.log.record(detail, ev, "not converged");
          return;
        }
        const t = this.#tally;
        const fields = { ...ev, resources: this.vertices, changed: t.changed.size, errors: t.errors, ...(this.noop ? { wouldChange: t.wouldChange.size } : {}) };
        const what = this.noop
          ? `${t.wouldChange.size} would change (noop)`
          : `${t.changed.size} changed`;
        this.log.record("info", fields, `converged: ${this.vertices} resource${this.vertices === 1 ? "" : "s"}, ${what}, ${t.errors} error${t.errors === 1 ? "" : "s"}`);
        t.reset();
        return;
      }
      case "log": {
        // `level` would clash with the record's own level field
        const { level, ...rest } = ev;
        this.log.record(level, rest, `${ev.vertex}: ${ev.message}`);
        return;
      }
    }
  }
}
