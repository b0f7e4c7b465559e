/**
 * `timer` (engine-reference.md §10): a ticker every `interval` seconds.
 *
 * Watch reports the startup event and then one event per tick. CheckApply is `true` except once
 * after each tick and after a refresh, when it returns `false`: a `false` result is what makes
 * the engine send refreshes along the timer's notify edges, so `Timer["t"] -> Exec["job"]` with
 * `Notify` runs the job every interval.
 *
 * Deliberate difference from mgmt: there a tick only re-stamps and pokes descendants (they stay
 * clean) and the timer itself never reports a change unless refreshed, so nothing downstream
 * actually reruns; here the tick counts as a change. As in mgmt, a refresh received by the timer
 * restarts its period (apply only).
 *
 * The clock is injectable ({@link createTimer}) so tests tick without sleeping.
 */
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { intField, intRange, type Params } from "./param-fields.js";

/** The piece of the clock a timer needs; `realTicker` in production, a manual one in tests. */
export interface TickerClock {
  /** Call `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const realTicker: TickerClock = {
  every(ms, tick) {
    const h = setInterval(tick, ms);
    return () => clearInterval(h);
  },
};

export class TimerResource implements Resource {
  readonly interval: bigint;
  #ctx: ResourceContext | undefined;
  #sink: WatchSink | undefined;
  #stopTicker: (() => void) | undefined;
  /** Ticks seen by watch and not yet reported by checkApply. */
  #pendingTicks = 0;

  constructor(
    params: Params,
    private readonly clock: TickerClock = realTicker,
  ) {
    this.interval = intField(params, "interval", 0n);
  }

  validate(): string | undefined {
    // uint32 seconds in mgmt; 0 would make Go's ticker panic, so we reject it up front.
    return intRange("interval", this.interval, 1n, 0xffff_ffffn);
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    this.#sink = sink;
    this.#start();
    sink.event();
    return () => {
      this.#stopTicker?.();
      this.#stopTicker = undefined;
      this.#sink = undefined;
    };
  }

  #start(): void {
    this.#stopTicker?.();
    this.#stopTicker = this.clock.every(Number(this.interval) * 1000, () => {
      this.#pendingTicks++;
      this.#ctx?.log.debug("received tick");
      this.#sink?.event();
    });
  }

  async checkApply(apply: boolean, _signal?: AbortSignal): Promise<boolean> {
    const refresh = this.#ctx?.refresh() ?? false;
    const ticked = this.#pendingTicks > 0;
    // A tick is an event, not state: it is consumed in noop mode too, or a noop timer would
    // report "needs change" forever after its first tick.
    this.#pendingTicks = 0;
    if (!ticked && !refresh) return true;
    if (refresh && apply && this.#sink) {
      this.#ctx?.log.info(`refreshed: restarting the ${this.interval}s period`);
      this.#start();
    }
    return false;
  }

  async cleanup(): Promise<void> {
    this.#stopTicker?.();
    this.#stopTicker = undefined;
  }
}

/** A timer with an explicit clock (tests); the registered kind uses {@link realTicker}. */
export function createTimer(params: Params, clock: TickerClock = realTicker): TimerResource {
  return new TimerResource(params, clock);
}

export const timerKind: KindImpl = {
  kind: "timer",
  create: (_name, params) => createTimer(params),
  refreshable: true,
};

registerKind(timerKind);
