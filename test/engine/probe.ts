/**
 * Test-only resource kind `probe` for the engine tests: it records every call, simulates the
 * machine's state in {@link machine}, and can be told to fail, hang, delay, fail its watch, hold
 * its startup event, send/receive values, autoedge and autogroup. Not a .test.ts file: imported by
 * the engine tests, never registered in production.
 *
 * Params (mcl values): `state` (desired value of machine[key]), `key` (default: the name),
 * `ms` (checkApply duration), `fail` (fail this many times, -1 forever), `hang` ("signal":
 * until aborted; "forever": ignore the signal), `nostart` (watch holds its startup event until
 * {@link fire}), `watchfail` (watch dies after startup), `out` (sent as `out`), `path` (an
 * autoedge uid) and `seek` (a list of paths to depend on, nearest first), `group` (autogroup key).
 */
import { makeGraph, makeVertex, META_DEFAULTS, type Edge, type Meta, type ResourceGraph, type Vertex } from "../../lang/resource-graph.js";
import type { Value } from "../../lang/values.js";
import { Engine, type EngineEvent, type EngineOptions, type TraceEvent } from "../../runtime/engine/engine.js";
import { registerKind, type Resource, type ResourceContext, type WatchSink, type GroupMember } from "../../runtime/engine/resource.js";
import { MemoryWorld } from "../../runtime/world/memory.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const machine = new Map<string, string>();

export interface Call {
  readonly name: string;
  readonly start: number;
  end?: number;
  readonly apply: boolean;
  readonly refresh: boolean;
  readonly recv: Record<string, { value: Value; changed: boolean }>;
  aborted?: boolean;
}

export interface ProbeRecord {
  inits: number;
  cleanups: number;
  watches: number;
  watchStops: number;
  failures: number;
  calls: Call[];
  sink?: WatchSink;
  members?: string[];
}

export const probes = new Map<string, ProbeRecord>();
export const allCalls: Call[] = [];
export const concurrency = { active: 0, max: 0 };

export function rec(name: string): ProbeRecord {
  let r = probes.get(name);
  if (!r) probes.set(name, (r = { inits: 0, cleanups: 0, watches: 0, watchStops: 0, failures: 0, calls: [] }));
  return r;
}

/** Emit a watch event from probe `name`'s current watch. */
export function fire(name: string): void {
  const s = rec(name).sink;
  if (!s) throw new Error(`probe ${name} is not watching`);
  s.event();
}

export function resetProbes(): void {
  probes.clear();
  machine.clear();
  allCalls.length = 0;
  concurrency.active = 0;
  concurrency.max = 0;
}

const str = (p: Readonly<Record<string, Value>>, k: string): string | undefined => (typeof p[k] === "string" ? (p[k] as string) : undefined);
const int = (p: Readonly<Record<string, Value>>, k: string): number | undefined => (typeof p[k] === "bigint" ? Number(p[k]) : undefined);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });
}

class Probe implements Resource {
  #ctx!: ResourceContext;
  #captured: string | undefined;
  constructor(
    readonly name: string,
    readonly params: Readonly<Record<string, Value>>,
    readonly members?: readonly GroupMember[],
  ) {}
  get key(): string {
    return str(this.params, "key") ?? this.name;
  }
  validate(): string | undefined {
    return str(this.params, "state") === "invalid" ? "state is invalid" : undefined;
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
    rec(this.name).inits++;
    if (this.members) rec(this.name).members = this.members.map((m) => m.name);
    this.#captured = machine.get(this.key);
  }
  async watch(sink: WatchSink): Promise<() => void> {
    const r = rec(this.name);
    r.watches++;
    r.sink = sink;
    if (this.params["nostart"] !== true) sink.event();
    if (this.params["watchfail"] === true) setTimeout(() => sink.error(new Error("probe watch died")), 5);
    return () => {
      r.watchStops++;
      if (r.sink === sink) delete r.sink;
    };
  }
  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const r = rec(this.name);
    const recv: Call["recv"] = {};
    for (const [k, v] of this.#ctx.recv()) recv[k] = { ...v };
    const call: Call = { name: this.name, start: performance.now(), apply, refresh: this.#ctx.refresh(), recv };
    r.calls.push(call);
    allCalls.push(call);
    concurrency.active++;
    concurrency.max = Math.max(concurrency.max, concurrency.active);
    try {
      const ms = int(this.params, "ms");
      if (ms) await sleep(ms, signal);
      const hang = str(this.params, "hang");
      if (hang === "signal") await sleep(1e9, signal);
      if (hang === "forever") await new Promise(() => {});
      const fail = int(this.params, "fail");
      if (fail !== undefined && (fail < 0 || r.failures < fail)) {
        r.failures++;
        throw new Error("probe failure");
      }
      const out = str(this.params, "out");
      if (out !== undefined) this.#ctx.send({ out });
      const state = str(this.params, "state");
      if (state === undefined || machine.get(this.key) === state) return true;
      if (apply) {
        if (state === "absent") machine.delete(this.key);
        else machine.set(this.key, state);
      }
      return false;
    } catch (e) {
      call.aborted = signal.aborted;
      throw e;
    } finally {
      concurrency.active--;
      call.end = performance.now();
    }
  }
  async cleanup(): Promise<void> {
    rec(this.name).cleanups++;
  }
  async reversal(): Promise<{ params: Record<string, Value> }> {
    return { params: { state: this.#captured ?? "absent", ...(str(this.params, "key") ? { key: this.key } : {}) } };
  }
}

registerKind({
  kind: "probe",
  create: (name, params) => new Probe(name, params),
  refreshable: true,
  sends: ["out"],
  recvable: true,
  reversible: true,
  autoedges: (_name, params) => ({
    uids: str(params, "path") ? [{ kind: "path", key: str(params, "path")! }] : [],
    seeks: Array.isArray(params["seek"]) ? [(params["seek"] as string[]).map((key) => ({ kind: "path", key }))] : [],
  }),
  groupCmp: (a, b) => str(a.params, "group") !== undefined && str(a.params, "group") === str(b.params, "group"),
  createGroup: (members) => new Probe(members[0]!.name, members[0]!.params, members),
});

// ---- graph helpers -------------------------------------------------------------------------------

type P = Record<string, string | number | boolean | string[]>;

/** A probe vertex; JS numbers become ints. */
export function v(name: string, params: P = {}, meta: Partial<Meta> = {}): Vertex {
  const ps: Record<string, Value> = {};
  for (const [k, x] of Object.entries(params)) ps[k] = typeof x === "number" ? BigInt(x) : x;
  return makeVertex("probe", name, ps, { ...META_DEFAULTS, ...meta });
}

export const id = (name: string): string => `probe[${name}]`;

/** `"a -> b"`, `"a => b"` (notify), `"a.out -> b.in"` (send/recv). */
export function graph(vertices: Vertex[], edges: string[] = []): ResourceGraph {
  const es: Edge[] = edges.map((s) => {
    const notify = s.includes("=>");
    const [l, r] = s.split(notify ? "=>" : "->").map((x) => x.trim()) as [string, string];
    const [from, send] = l.split(".") as [string, string | undefined];
    const [to, recv] = r.split(".") as [string, string | undefined];
    return { from: id(from), to: id(to), notify, ...(send && recv ? { send, recv } : {}) };
  });
  return makeGraph(vertices, es);
}

export interface Harness {
  readonly engine: Engine;
  readonly events: EngineEvent[];
  readonly trace: TraceEvent[];
  readonly stateDir: string;
  /** Events of one kind for one vertex. */
  count(event: EngineEvent["event"], vertex?: string): number;
}

export function harness(opts: Partial<EngineOptions> = {}): Harness {
  const events: EngineEvent[] = [];
  const trace: TraceEvent[] = [];
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), "steward-engine-"));
  const engine = new Engine({
    hostname: "h1",
    world: new MemoryWorld("h1"),
    stateDir,
    noop: false,
    autoedges: true,
    autogroup: true,
    trace: (e) => trace.push(e),
    ...opts,
  });
  engine.events$.subscribe((e) => events.push(e));
  return {
    engine,
    events,
    trace,
    stateDir,
    count: (event, vertex) => events.filter((e) => e.event === event && (vertex === undefined || ("vertex" in e && e.vertex === vertex))).length,
  };
}

/** Poll `cond` every 2 ms until true; fail after `ms`. */
export async function until(cond: () => boolean, ms = 2000, what = "condition"): Promise<void> {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Wait until the engine has been idle (converged) for `ms`. */
export function settled(engine: Engine, ms = 30, timeout = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error("engine did not settle"));
    }, timeout);
    const sub = engine.convergedFor(ms).subscribe((c) => {
      if (!c) return;
      clearTimeout(t);
      queueMicrotask(() => sub.unsubscribe());
      resolve();
    });
  });
}
