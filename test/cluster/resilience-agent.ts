/**
 * An agent inside the test process for the resilience tests: an EtcdWorld, the real function
 * engine running a program file (runProgram) and the real resource engine applying each graph,
 * one at a time, latest wins (as `steward run` does). The World's connection reports are kept, so
 * a test can count how an outage was reported. `crash()` drops the etcd connection without
 * releasing anything (leases stop being kept alive, as when the process is SIGKILLed).
 */
import type { Subscription } from "rxjs";
import type { ResourceGraph } from "../../lang/resource-graph.js";
import { Engine, type EngineEvent } from "../../runtime/engine/engine.js";
import { runProgram } from "../../runtime/funcs/run-program.js";
import { createNodeHost } from "../../runtime/cli/node-host.js";
import { EtcdWorld, type EtcdWorldEvent } from "../../runtime/world/etcd.js";
import "../../stdlib/resources/index.js";

export interface InProcessAgent {
  readonly hostname: string;
  readonly world: EtcdWorld;
  readonly engine: Engine;
  /** The World's reports (connected, disconnected, lease-lost, error), in order. */
  readonly worldEvents: EtcdWorldEvent[];
  readonly engineEvents: EngineEvent[];
  /** Program diagnostics and apply failures, one line each. */
  readonly problems: string[];
  /** Number of graphs applied. */
  applied(): number;
  /** A clean stop: the engine shuts down, the World leaves the cluster. */
  stop(): Promise<void>;
  /** A crash as the cluster sees it: no withdraw, no revoke; the engine stops. */
  crash(): Promise<void>;
}

export async function startAgent(o: {
  readonly hostname: string;
  readonly endpoints: readonly string[];
  readonly namespace: string;
  readonly program: string;
  readonly stateDir: string;
  readonly sessionTtl?: number;
}): Promise<InProcessAgent> {
  const worldEvents: EtcdWorldEvent[] = [];
  const world = await EtcdWorld.connect({
    endpoints: [...o.endpoints],
    hostname: o.hostname,
    namespace: o.namespace,
    sessionTtl: o.sessionTtl ?? 10,
    onEvent: (e) => worldEvents.push(e),
  });
  const engine = new Engine({ hostname: o.hostname, world, stateDir: o.stateDir, noop: false, autoedges: true, autogroup: true, removeDrainMs: 1000 });
  const engineEvents: EngineEvent[] = [];
  const problems: string[] = [];
  const subs: Subscription[] = [engine.events$.subscribe((e) => engineEvents.push(e))];
  let next: ResourceGraph | undefined;
  let applying = false;
  let applied = 0;
  let stopped = false;
  const pump = async (): Promise<void> => {
    applying = true;
    while (next !== undefined && !stopped) {
      const g = next;
      next = undefined;
      try {
        await engine.apply(g);
        applied++;
      } catch (e) {
        problems.push(`apply: ${(e as Error).message}`);
      }
    }
    applying = false;
  };
  subs.push(
    runProgram(o.program, createNodeHost(), { hostname: o.hostname, world, stateDir: o.stateDir }).subscribe((ev) => {
      if ("diagnostics" in ev) {
        problems.push(...ev.diagnostics.map((d) => `${d.phase}: ${d.message}`));
        return;
      }
      next = ev.graph;
      if (!applying) void pump();
    }),
  );
  const end = async (crash: boolean): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const s of subs) s.unsubscribe();
    if (crash) world.disconnect();
    await engine.shutdown(crash);
    if (!crash) await world.close(3000);
  };
  return {
    hostname: o.hostname,
    world,
    engine,
    worldEvents,
    engineEvents,
    problems,
    applied: () => applied,
    stop: () => end(false),
    crash: () => end(true),
  };
}
