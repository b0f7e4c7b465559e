/**
 * `exit` (engine-reference.md §10 "exit / panic"): when applied, asks the running agent to exit
 * the process with `code` (0..255; 0 = a clean shutdown). The request goes out on
 * {@link exitRequests$}; `steward run` subscribes, shuts the engine down cleanly and exits with
 * the code. A resource asks once per instance: the first apply returns `false` (a change), later
 * passes `true`. In noop mode it returns `false` and asks nothing (the plan shows it would exit).
 *
 * Also registers `_panic`, the no-op sink the mcl `panic()` function attaches its argument to (the
 * failure itself is raised by the function); without a kind the graph couldn't be built.
 *
 * @example exit "done" { code => 3, }   # with Before/Depend edges: exit once the rest is applied
 */
import { Subject } from "rxjs";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { intField, intRange, startupOnlyWatch, type Params } from "./param-fields.js";

export interface ExitRequest {
  readonly code: number;
  /** The resource that asked, `exit[<name>]`. */
  readonly resource: string;
  /** A line to log, e.g. `exit[done]: exit requested with code 3`. */
  readonly message: string;
}

/**
 * Every exit request of every `exit` resource in this process. A process-wide channel because
 * `exit` must reach the composition root (the CLI), which the resource API has no handle for.
 */
export const exitRequests$ = new Subject<ExitRequest>();

export class ExitResource implements Resource {
  readonly code: bigint;
  #ctx: ResourceContext | undefined;
  #requested = false;

  constructor(
    readonly name: string,
    params: Params,
  ) {
    this.code = intField(params, "code", 0n);
  }

  validate(): string | undefined {
    return intRange("code", this.code, 0n, 255n);
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }
  watch(sink: WatchSink): Promise<() => void> {
    return startupOnlyWatch(sink);
  }
  async checkApply(apply: boolean, _signal?: AbortSignal): Promise<boolean> {
    if (this.#requested) return true;
    if (!apply) return false;
    this.#requested = true;
    const resource = `exit[${this.name}]`;
    const message = `${resource}: exit requested with code ${this.code}`;
    this.#ctx?.log.info(`exit requested with code ${this.code}`);
    exitRequests$.next({ code: Number(this.code), resource, message });
    return false;
  }
  async cleanup(): Promise<void> {}
}

export const exitKind: KindImpl = {
  kind: "exit",
  create: (name, params) => new ExitResource(name, params),
};

/** `_panic`: always in its desired state. */
export const panicKind: KindImpl = {
  kind: "_panic",
  create: () => ({
    validate: () => undefined,
    init: async () => {},
    watch: startupOnlyWatch,
    checkApply: async () => true,
    cleanup: async () => {},
  }),
};

registerKind(exitKind);
registerKind(panicKind);
