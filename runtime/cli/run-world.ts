/**
 * The World of one `steward run` (issue 6 §1, engine-reference.md §6.1): in memory for one host,
 * an existing etcd cluster with `--seeds`, or with `--etcd` a local etcd server that this run
 * starts, supervises (restart with backoff) and stops at exit, with its data in
 * `<prefix>/etcd/server` as `steward etcd` keeps it.
 *
 * The etcd modules are loaded only when a cluster is asked for: a one-host run does not pay for
 * the gRPC client.
 */
import { join } from "node:path";
import type { EtcdServerEvent } from "../etcd/server.js";
import type { EtcdWorldEvent } from "../world/etcd.js";
import { MemoryWorld } from "../world/memory.js";
import type { World } from "../world/world.js";
import type { ClusterOptions } from "./run-options.js";

export interface RunWorld {
  readonly world: World;
  /** etcd endpoints in use (empty in memory) */
  readonly endpoints: readonly string[];
  /** Leave the cluster (clean close within `timeoutMs`), then stop the local server if any. */
  close(timeoutMs: number): Promise<void>;
}

export interface RunWorldDeps {
  readonly hostname: string;
  readonly stateDir: string;
  /** one-line reports of the connection and the local server */
  readonly report: (level: "info" | "warn" | "error", event: string, text: string, fields?: Record<string, unknown>) => void;
}

/** Session TTL of an agent: membership and elections end this long after it dies (mgmt: 10 s). */
const SESSION_TTL_S = 10;

/** Open the World; throws an Error with a one-line message when etcd cannot be reached or started. */
export async function openRunWorld(c: ClusterOptions, d: RunWorldDeps): Promise<RunWorld> {
  if (c.mode === "memory") return { world: new MemoryWorld(d.hostname), endpoints: [], close: async () => {} };
  const { EtcdWorld } = await import("../world/etcd.js");
  let server: import("../etcd/server.js").EtcdServer | undefined;
  let endpoints = c.mode === "seeds" ? c.endpoints : c.clientUrls;
  if (c.mode === "etcd") {
    const { EtcdServer } = await import("../etcd/server.js");
    const log = join(d.stateDir, "etcd", `${d.hostname}.log`);
    server = new EtcdServer({
      name: d.hostname,
      dataDir: join(d.stateDir, "etcd", "server"),
      log,
      clientUrls: c.clientUrls,
      peerUrls: c.peerUrls,
      onEvent: (e: EtcdServerEvent) => reportServer(d, e, log),
    });
    try {
      await server.start();
    } catch (e) {
      await server.stop();
      throw new Error(`etcd server: ${(e as Error).message}`);
    }
    endpoints = server.clientUrls;
  }
  let world;
  try {
    world = await EtcdWorld.connect({
      endpoints,
      ...(c.mode === "seeds" ? c.security : {}),
      hostname: d.hostname,
      sessionTtl: SESSION_TTL_S,
      onEvent: (e: EtcdWorldEvent) => reportWorld(d, e),
    });
  } catch (e) {
    await server?.stop();
    throw e;
  }
  d.report("info", "world", `joined the cluster at ${endpoints.join(",")} as ${d.hostname}`, { endpoints, connected: true });
  return {
    world,
    endpoints,
    close: async (timeoutMs) => {
      await world.close(timeoutMs);
      await server?.stop();
    },
  };
}

function reportWorld(d: RunWorldDeps, e: EtcdWorldEvent): void {
  switch (e.type) {
    case "connected":
      d.report("info", "world", "etcd reachable again: watches resume where they stopped", { connected: true });
      return;
    case "disconnected":
      d.report("warn", "world", `etcd unreachable (${e.error}): the running graph keeps being enforced`, { connected: false, error: e.error });
      return;
    case "lease-lost":
      d.report("warn", "world", `etcd session lost (${e.error}): rejoining`, { error: e.error });
      return;
    case "error":
      d.report("error", "world", `etcd: ${e.error}`, { error: e.error });
      return;
  }
}

function reportServer(d: RunWorldDeps, e: EtcdServerEvent, log: string): void {
  switch (e.type) {
    case "started":
      d.report("info", "etcd-server", `local etcd started (pid ${e.pid}; log ${log})`, { pid: e.pid });
      return;
    case "healthy":
      d.report("info", "etcd-server", `local etcd healthy after ${e.ms} ms`, { ms: e.ms });
      return;
    case "exited":
      if (!e.expected) d.report("error", "etcd-server", `local etcd exited (${e.signal ?? `code ${e.code ?? "?"}`}); see ${log}`, { code: e.code, signal: e.signal });
      return;
    case "restarting":
      d.report("warn", "etcd-server", `restarting local etcd in ${e.delayMs} ms`, { delayMs: e.delayMs });
      return;
    case "error":
      d.report("error", "etcd-server", `local etcd: ${e.message}`, {});
      return;
  }
}
