/**
 * `schedule` (engine-reference.md §10 "schedule", §6.6; mgmt engine/resources/schedule.go): this
 * host volunteers for a namespace; the namespace's leader, elected through the World, picks the
 * hosts by `strategy` and publishes them, and `world.schedule(namespace)` reads the result.
 *
 * - `namespace` (default: the resource name), `strategy` `rr` (default: keep who is chosen, add
 *   newcomers in sorted order) or `alpha`, `max` hosts (default 1), `ttl` seconds a dead host stays
 *   a candidate (default: the World's session TTL, 10 s), `persist` (the candidacy has no lease: it
 *   survives this host's death and this resource's removal), `withdraw` (leave the namespace, also
 *   deleting a candidacy an earlier run persisted).
 * - The candidacy is held by a subscription to `World.schedule` from the first apply until cleanup
 *   (removal from the graph or shutdown withdraws it at once, unless `persist`). The World keeps it
 *   in etcd through outages (leases re-granted and keys re-put), so checkApply has nothing to
 *   re-check while it holds the subscription.
 * - Watch follows the published result, so every change of the chosen hosts is an event (and a
 *   log line), as mgmt's Watch streams `Scheduled(ns)`.
 */
import type { Subscription } from "rxjs";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import type { ScheduleOptions } from "../../runtime/world/world.js";
import { boolField, optIntField, optStrField, raceAbort, strField, type Params } from "./param-fields.js";

/** Bound on one withdraw through etcd (as the `kv` kind's checkApply, mgmt's timeout). */
const CHECKAPPLY_TIMEOUT_MS = 5000;
const STRATEGIES = ["rr", "alpha"] as const;

interface ScheduleFields {
  readonly namespace: string;
  readonly strategy: string | undefined;
  readonly max: bigint | undefined;
  readonly ttl: bigint | undefined;
  readonly persist: boolean;
  readonly withdraw: boolean;
}

function parseFields(name: string, p: Params): ScheduleFields {
  return {
    namespace: strField(p, "namespace", name),
    strategy: optStrField(p, "strategy"),
    max: optIntField(p, "max"),
    ttl: optIntField(p, "ttl"),
    persist: boolField(p, "persist"),
    withdraw: boolField(p, "withdraw"),
  };
}

/** Why the fields cannot work, or undefined (mgmt's Validate, plus the key rules of the World). */
export function scheduleProblem(f: ScheduleFields): string | undefined {
  if (f.namespace === "") return "namespace must not be empty";
  if (f.namespace.startsWith("/") || f.namespace.endsWith("/") || f.namespace.includes("//")) {
    return `namespace ${JSON.stringify(f.namespace)} must not start or end with '/' or contain '//'`;
  }
  if (f.strategy !== undefined && !(STRATEGIES as readonly string[]).includes(f.strategy)) {
    return `strategy must be one of ${STRATEGIES.join(", ")}, got ${JSON.stringify(f.strategy)}`;
  }
  if (f.max !== undefined && (f.max < 1n || f.max > 1_000_000n)) return `max must be in 1..1000000, got ${f.max}`;
  if (f.ttl !== undefined && (f.ttl < 1n || f.ttl > 86_400n)) return `ttl must be in 1..86400 seconds, got ${f.ttl}`;
  return undefined;
}

/** The World's options for a candidacy: max defaults to 1 (mgmt's maxCount). */
export function scheduleOptions(f: ScheduleFields): ScheduleOptions {
  return {
    max: Number(f.max ?? 1n),
    ...(f.strategy !== undefined ? { strategy: f.strategy } : {}),
    ...(f.ttl !== undefined ? { ttl: Number(f.ttl) } : {}),
    ...(f.persist ? { persist: true } : {}),
  };
}

export class ScheduleResource implements Resource {
  readonly #f: ScheduleFields;
  #ctx: ResourceContext | undefined;
  /** Held while this host volunteers. */
  #candidacy: Subscription | undefined;

  constructor(
    readonly name: string,
    params: Params,
  ) {
    this.#f = parseFields(name, params);
  }

  validate(): string | undefined {
    return scheduleProblem(this.#f);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  #context(): ResourceContext {
    if (!this.#ctx) throw new Error("schedule: used before init");
    return this.#ctx;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const ctx = this.#context();
    const ns = this.#f.namespace;
    let last: string | undefined;
    // The World's watch emits the current result on subscribe: that is the startup event.
    const sub = ctx.world.watchSchedule(ns).subscribe({
      next: (hosts) => {
        const now = hosts.join(", ");
        if (last !== undefined && now !== last) {
          const me = hosts.includes(ctx.hostname) ? "this host is chosen" : "this host is not chosen";
          ctx.log.info(`namespace ${JSON.stringify(ns)} now schedules ${now === "" ? "no host" : now} (${me})`);
        }
        last = now;
        sink.event();
      },
      error: (e: unknown) => sink.error(e instanceof Error ? e : new Error(String(e))),
    });
    return () => sub.unsubscribe();
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const ctx = this.#context();
    const f = this.#f;
    if (f.withdraw) {
      const bounded = AbortSignal.any([signal, AbortSignal.timeout(CHECKAPPLY_TIMEOUT_MS)]);
      return raceAbort(this.#withdraw(ctx, apply), bounded);
    }
    if (this.#candidacy) return true;
    if (!apply) return false;
    this.#candidacy = ctx.world.schedule(f.namespace, scheduleOptions(f)).subscribe({
      error: (e: unknown) => ctx.log.warn(`candidacy for ${JSON.stringify(f.namespace)} failed: ${e instanceof Error ? e.message : String(e)}`),
    });
    ctx.log.info(`volunteered for namespace ${JSON.stringify(f.namespace)}`);
    return false;
  }

  async #withdraw(ctx: ResourceContext, apply: boolean): Promise<boolean> {
    const ns = this.#f.namespace;
    const held = this.#candidacy !== undefined || (await ctx.world.withdrawSchedule(ns, { check: true }));
    if (!held) return true;
    if (!apply) return false;
    this.#candidacy?.unsubscribe();
    this.#candidacy = undefined;
    await ctx.world.withdrawSchedule(ns);
    ctx.log.info(`withdrew from namespace ${JSON.stringify(ns)}`);
    return false;
  }

  async cleanup(): Promise<void> {
    // Unsubscribing withdraws the candidacy (a persisted one stays: that is what persist means).
    this.#candidacy?.unsubscribe();
    this.#candidacy = undefined;
  }
}

export const scheduleKind: KindImpl = {
  kind: "schedule",
  create: (name, params) => new ScheduleResource(name, params),
};

registerKind(scheduleKind);
