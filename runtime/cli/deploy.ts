/**
 * `steward deploy --seeds URL PATH` (architecture.md "CLI contract", engine-reference.md §6.4):
 * compile the program, then store it — every file of the module, `files/` included
 * (deploy-files.ts) — as the next deploy of the cluster. Every agent running `steward run --seeds`
 * without a PATH switches to it live.
 *
 * The sequence is strict: the deploy is published only if the newest deploy is still the one read
 * just before (`--previous N` names it explicitly); a concurrent deploy makes this one fail rather
 * than silently follow it. A program that does not compile is refused with its diagnostics.
 * Exit 0 published, 1 refused (diagnostics, conflict, etcd unreachable), 2 usage.
 */
import { hostname as osHostname } from "node:os";
import { sortDiagnostics, toJson } from "../../lang/diagnostics.js";
import { checkPathUsage, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE, type CliIo } from "./check.js";
import { programFiles } from "./deploy-files.js";
import { createNodeHost } from "./node-host.js";
import { renderDiagnostics } from "./render.js";
import { hostnameProblem, parseUrls } from "./run-options.js";
import { parseEndpoints } from "../world/endpoints.js";
import { parseEtcdSecurity, type RawEtcdSecurity } from "./etcd-security.js";

export interface RawDeployOptions extends RawEtcdSecurity {
  readonly seeds?: string;
  readonly hostname?: string;
  readonly previous?: string;
  readonly json?: boolean;
}

export interface DeployRunOptions {
  readonly color?: boolean;
}

/** Runs `steward deploy`; resolves with the exit code. */
export async function runDeploy(path: string | undefined, raw: RawDeployOptions, io: CliIo, o: DeployRunOptions = {}): Promise<number> {
  const usage = (m: string) => {
    io.err(`steward: deploy: ${m}\n`);
    return EXIT_USAGE;
  };
  if (raw.seeds === undefined) return usage("--seeds is required (the etcd endpoints of the cluster)");
  const endpoints = parseUrls("--seeds", parseEndpoints(raw.seeds).join(","));
  if (typeof endpoints === "string") return usage(endpoints);
  const security = parseEtcdSecurity(raw);
  if (typeof security === "string") return usage(security);
  if (path === undefined) return usage("expected a PATH (a .mcl file or a program directory)");
  let previous: number | undefined;
  if (raw.previous !== undefined) {
    if (!/^\d+$/.test(raw.previous)) return usage(`--previous must be a deploy id (0 for none), got '${raw.previous}'`);
    previous = Number(raw.previous);
  }
  const hostname = raw.hostname ?? osHostname();
  const hp = hostnameProblem(hostname);
  if (hp !== undefined) return usage(raw.hostname === undefined ? `this machine's hostname ${JSON.stringify(hostname)} ${hp}; pass --hostname` : `--hostname ${JSON.stringify(hostname)} ${hp}`);
  const problem = checkPathUsage(createNodeHost(), path);
  if (problem !== undefined) return usage(problem);

  const files = programFiles(path, hostname);
  if (!files.ok) {
    const ds = sortDiagnostics(files.diagnostics);
    if (raw.json) io.out(JSON.stringify({ error: "refused", diagnostics: ds.map(toJson) }) + "\n");
    else io.err(`${renderDiagnostics(ds, files.source, { color: o.color === true })}steward: deploy: refused: ${path} does not compile\n`);
    return EXIT_DIAGNOSTICS;
  }
  // A plain client, not an EtcdWorld: deploying does not make this machine a cluster member.
  const { createEtcdClient, EtcdKv } = await import("../world/etcd-client.js");
  const { publishDeploy, maxDeploy } = await import("../world/etcd-deploy.js");
  const { DeployConflictError } = await import("../world/world.js");
  const kv = new EtcdKv(createEtcdClient({ endpoints, ...security, dialTimeoutMs: 5000, callTimeoutMs: 10_000 }));
  try {
    let prev = previous;
    try {
      prev ??= (await maxDeploy(kv)).id;
    } catch (e) {
      io.err(`steward: deploy: etcd: cannot reach ${endpoints.join(",")}: ${(e as Error).message.split("\n")[0]!.replace(/\s*Resolution note:\s*$/, "")}\n`);
      return EXIT_DIAGNOSTICS;
    }
    // Strict sequence: refused if another deploy lands between the read above and this write.
    const id = await publishDeploy(kv, hostname, files.entry, files.files, prev);
    const n = files.files.size;
    if (raw.json) io.out(JSON.stringify({ id, entry: files.entry, files: [...files.files.keys()] }) + "\n");
    else io.out(`deployed ${path} as deploy ${id} (${n} file${n === 1 ? "" : "s"})\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof DeployConflictError) io.err(`steward: deploy: refused: the newest deploy is ${e.actual}, not ${e.expected}; try again\n`);
    else io.err(`steward: deploy: ${(e as Error).message.split("\n")[0]}\n`);
    return EXIT_DIAGNOSTICS;
  } finally {
    kv.shutdown();
  }
}
