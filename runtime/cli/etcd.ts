/**
 * `steward etcd [flags]` (architecture.md "CLI contract"): run a supervised local etcd server in
 * the foreground until SIGINT/SIGTERM. Data lives in `<prefix>/etcd/server` (mgmt:
 * `<prefix>/etcd/server/`), the log in `<prefix>/etcd/<name>.log`. The server is restarted with
 * backoff when it dies on its own. Exit 0 after a clean stop, 1 when it cannot start, 2 on usage.
 */
import { hostname as osHostname } from "node:os";
import { join } from "node:path";
import { EtcdServer, type EtcdServerEvent } from "../etcd/server.js";
import type { CliIo } from "./check.js";
import { openStateDir } from "./run-state-dir.js";

export interface RawEtcdOptions {
  readonly prefix?: string;
  readonly clientUrl?: string;
  readonly peerUrl?: string;
  readonly advertiseClientUrl?: string;
  readonly advertisePeerUrl?: string;
  readonly name?: string;
  readonly initialCluster?: string;
  readonly initialClusterState?: string;
  readonly clusterToken?: string;
}

// As check.ts's, without loading the compiler that check.ts imports.
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function urls(s: string | undefined, dflt: string): string[] | string {
  const list = (s ?? dflt).split(/[,; ]+/).filter((x) => x !== "");
  for (const u of list) {
    try {
      const p = new URL(u);
      if (p.protocol !== "http:" && p.protocol !== "https:") return `'${u}' is not an http:// or https:// URL`;
    } catch {
      return `'${u}' is not a URL`;
    }
  }
  return list;
}

/** Runs until `until` resolves (the CLI passes the first SIGINT/SIGTERM). */
export async function runEtcd(raw: RawEtcdOptions, io: CliIo, until: Promise<void>): Promise<number> {
  const usage = (m: string) => {
    io.err(`steward: etcd: ${m}\n`);
    return EXIT_USAGE;
  };
  const clientUrls = urls(raw.clientUrl, "http://127.0.0.1:2379");
  if (typeof clientUrls === "string") return usage(`--client-url: ${clientUrls}`);
  const peerUrls = urls(raw.peerUrl, "http://127.0.0.1:2380");
  if (typeof peerUrls === "string") return usage(`--peer-url: ${peerUrls}`);
  const adC = raw.advertiseClientUrl === undefined ? undefined : urls(raw.advertiseClientUrl, "");
  if (typeof adC === "string") return usage(`--advertise-client-url: ${adC}`);
  const adP = raw.advertisePeerUrl === undefined ? undefined : urls(raw.advertisePeerUrl, "");
  if (typeof adP === "string") return usage(`--advertise-peer-url: ${adP}`);
  const state = raw.initialClusterState ?? "new";
  if (state !== "new" && state !== "existing") return usage(`--initial-cluster-state must be 'new' or 'existing', got '${state}'`);
  const name = raw.name ?? osHostname();
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return usage(`--name '${name}': letters, digits, '.', '_' and '-' only`);

  let dir;
  try {
    dir = openStateDir({ ...(raw.prefix === undefined ? {} : { prefix: raw.prefix }), tmpPrefix: false });
  } catch (e) {
    return usage(e instanceof Error ? e.message : String(e));
  }
  const report = (e: EtcdServerEvent) => {
    switch (e.type) {
      case "started":
        io.err(`steward: etcd: started '${name}' (pid ${e.pid})\n`);
        break;
      case "healthy":
        io.err(`steward: etcd: healthy after ${e.ms} ms; clients: ${(adC ?? clientUrls).join(",")}\n`);
        break;
      case "exited":
        if (!e.expected) io.err(`steward: etcd: exited unexpectedly (${e.signal ?? `code ${e.code ?? "?"}`})\n`);
        break;
      case "restarting":
        io.err(`steward: etcd: restarting in ${e.delayMs} ms\n`);
        break;
      case "error":
        io.err(`steward: etcd: ${e.message}\n`);
        break;
    }
  };
  const server = new EtcdServer({
    name,
    dataDir: join(dir.path, "etcd", "server"),
    log: join(dir.path, "etcd", `${name}.log`),
    clientUrls,
    peerUrls,
    ...(adC ? { advertiseClientUrls: adC } : {}),
    ...(adP ? { advertisePeerUrls: adP } : {}),
    ...(raw.initialCluster ? { initialCluster: raw.initialCluster } : {}),
    initialClusterState: state,
    ...(raw.clusterToken ? { clusterToken: raw.clusterToken } : {}),
    onEvent: report,
  });
  let stopped = false;
  const stopping = until.then(() => {
    stopped = true;
  });
  try {
    await Promise.race([server.start(), stopping]);
  } catch (e) {
    await server.stop();
    io.err(`steward: etcd: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILED;
  }
  if (!stopped) await stopping;
  io.err("steward: etcd: stopping\n");
  await server.stop();
  return EXIT_OK;
}
