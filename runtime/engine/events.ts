/**
 * The engine's typed event stream (architecture.md "run --log-format json"). `steward run` turns
 * each event into a log line or a JSON document; tests and benchmarks count what a swap touched
 * from it: a vertex is *touched* when it gets `init`/`cleanup`, a watch restart
 * (`watch-stop` + `watch-start`) or a `checkapply`. Cached-clean skips emit nothing.
 */

/** One event of {@link import("./engine.js").Engine.events$}. Vertex names are `kind[name]`. */
export type EngineEvent =
  | { event: "swap"; added: string[]; removed: string[]; replaced: string[]; kept: number; ms: number }
  | { event: "init" | "cleanup" | "watch-start" | "watch-stop"; vertex: string }
  /** `changed`: the state was wrong and was fixed. `noop`: checkApply ran with apply=false (`changed` is then false; `checkOK` false means "would change"). */
  | { event: "checkapply"; vertex: string; checkOK: boolean; changed: boolean; noop: boolean; ms: number; refresh?: boolean }
  /** `retriesLeft`: how many more attempts the engine will make (-1 = unlimited; 0 = the vertex is now dead). */
  | { event: "error"; vertex?: string; message: string; retriesLeft?: number }
  | { event: "converged"; converged: boolean }
  /** A line a resource logged through its ResourceContext.log (added to the contract by the engine). */
  | { event: "log"; vertex: string; level: "debug" | "info" | "warn"; message: string };

/**
 * Fine-grained scheduling trace, for tests and debugging only (EngineOptions.trace). `process` is
 * one run of a vertex: `cached` when checkApply was skipped because the state is known clean.
 * `backpoke` is a vertex deferring itself until the listed parents re-ran.
 */
export type TraceEvent =
  | { t: "process"; vertex: string; cached: boolean }
  | { t: "backpoke"; vertex: string; parents: string[] }
  | { t: "event"; vertex: string }
  | { t: "interrupt"; vertex: string };
