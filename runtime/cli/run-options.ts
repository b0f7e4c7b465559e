/**
 * `steward run` flags: from the strings commander hands over to a validated `RunOptions`, or a
 * one-line usage problem (exit 2). Pure: no file system, no clock; the state directory is
 * resolved in run-state-dir.ts.
 *
 * The flags are architecture.md "CLI contract"; their meaning follows mgmt's `run`
 * (engine-reference.md §7.1), under Steward's names (`--converged-timeout`, not
 * `--converger-timeout`; reaching it exits, there is no separate `--converged-exit`).
 */
import { hostname as osHostname } from "node:os";
import { parseEndpoints } from "../world/endpoints.js";
import { hasEtcdSecurityFlags, parseEtcdSecurity, type EtcdSecurity, type RawEtcdSecurity } from "./etcd-security.js";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "text" | "json";

/** What commander parsed (strings as typed; booleans for switches). */
export interface RawRunOptions extends RawEtcdSecurity {
  readonly convergedTimeout?: string;
  readonly convergedStatusFile?: string;
  readonly noop?: boolean;
  readonly hostname?: string;
  readonly prefix?: string;
  readonly tmpPrefix?: boolean;
  readonly sema?: string;
  /** commander's `--no-autoedges`: false when given */
  readonly autoedges?: boolean;
  readonly autogroup?: boolean;
  /** commander's `--no-cache`: false when given */
  readonly cache?: boolean;
  readonly maxRuntime?: string;
  readonly graphviz?: string;
  readonly logLevel?: string;
  readonly logFormat?: string;
  readonly seeds?: string;
  readonly etcd?: boolean;
  /** `--client-url` / `--peer-url` of the local server started by `--etcd` */
  readonly clientUrl?: string;
  readonly peerUrl?: string;
}

/**
 * Where the World lives: in memory (one host), on an existing etcd cluster (`--seeds`), or on a
 * local etcd server this run starts and supervises (`--etcd`).
 */
export type ClusterOptions =
  | { readonly mode: "memory" }
  | { readonly mode: "seeds"; readonly endpoints: readonly string[]; readonly security: EtcdSecurity }
  | { readonly mode: "etcd"; readonly clientUrls: readonly string[]; readonly peerUrls: readonly string[] };

export interface RunOptions {
  /** the program; absent only with `--seeds`/`--etcd` (run the newest deploy) */
  readonly path?: string;
  readonly cluster: ClusterOptions;
  /** seconds; undefined: never exit on convergence */
  readonly convergedTimeout?: number;
  readonly convergedStatusFile?: string;
  readonly noop: boolean;
  readonly hostname: string;
  /** `--prefix DIR` */
  readonly prefix?: string;
  readonly tmpPrefix: boolean;
  /** `--sema N`: every resource also takes the semaphore `:N`; 0 = off */
  readonly sema: number;
  readonly autoedges: boolean;
  readonly autogroup: boolean;
  /** use the compile cache (compile-cache.ts); `--no-cache` turns it off */
  readonly cache: boolean;
  /** seconds; undefined: no limit */
  readonly maxRuntime?: number;
  readonly graphviz?: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

export type ParsedRunOptions = { readonly ok: RunOptions } | { readonly usage: string };

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];
const FORMATS: readonly LogFormat[] = ["text", "json"];

/** Longest hostname accepted: a DNS name (RFC 1035 §2.3.4) fits in 253 characters. */
const MAX_HOSTNAME = 253;

/**
 * Why `name` cannot be a host's identity, or undefined when it can. The hostname is part of
 * World keys, so (engine-reference.md §1): only `[A-Za-z0-9._-]`, at least one letter or digit,
 * not starting with `.` or `-`, and bounded in length.
 *
 * @example hostnameProblem("web-1.example.com") === undefined
 */
export function hostnameProblem(name: string): string | undefined {
  if (name === "") return "must not be empty";
  if (name.length > MAX_HOSTNAME) return `is longer than ${MAX_HOSTNAME} characters`;
  const bad = /[^A-Za-z0-9._-]/.exec(name);
  if (bad) return `contains ${JSON.stringify(bad[0])}; only letters, digits, '.', '_' and '-' are allowed`;
  if (!/[A-Za-z0-9]/.test(name)) return "needs at least one letter or digit";
  if (name.startsWith(".") || name.startsWith("-")) return "must not start with '.' or '-'";
  return undefined;
}

/** A non-negative (or, with `positive`, strictly positive) finite number of seconds. */
function seconds(flag: string, s: string, positive: boolean): number | string {
  const n = s.trim() === "" ? NaN : Number(s);
  if (!Number.isFinite(n) || n < 0 || (positive && n === 0)) {
    return `${flag} must be a ${positive ? "positive" : "non-negative"} number of seconds, got '${s}'`;
  }
  return n;
}

/** `--client-url`/`--peer-url`-style lists: http(s) URLs separated by `,`, `;` or spaces. */
export function parseUrls(flag: string, s: string): string[] | string {
  const list = s.split(/[,; ]+/).filter((x) => x !== "");
  if (list.length === 0) return `${flag} needs at least one URL`;
  for (const u of list) {
    let p: URL;
    try {
      p = new URL(u);
    } catch {
      return `${flag}: '${u}' is not a URL`;
    }
    if (p.protocol !== "http:" && p.protocol !== "https:") return `${flag}: '${u}' is not an http:// or https:// URL`;
  }
  return list;
}

function parseCluster(raw: RawRunOptions): ClusterOptions | string {
  const local = raw.clientUrl !== undefined || raw.peerUrl !== undefined;
  if (raw.seeds !== undefined && raw.etcd === true) return "--seeds and --etcd cannot be used together (--etcd starts its own server)";
  if (local && raw.etcd !== true) return "--client-url and --peer-url need --etcd";
  if (raw.seeds !== undefined) {
    const endpoints = parseUrls("--seeds", parseEndpoints(raw.seeds).join(","));
    if (typeof endpoints === "string") return endpoints;
    const security = parseEtcdSecurity(raw);
    return typeof security === "string" ? security : { mode: "seeds", endpoints, security };
  }
  if (hasEtcdSecurityFlags(raw)) return "--etcd-ca, --etcd-cert, --etcd-key, --etcd-user and --etcd-password-file need --seeds";
  if (raw.etcd !== true) return { mode: "memory" };
  const clientUrls = parseUrls("--client-url", raw.clientUrl ?? "http://127.0.0.1:2379");
  if (typeof clientUrls === "string") return clientUrls;
  const peerUrls = parseUrls("--peer-url", raw.peerUrl ?? "http://127.0.0.1:2380");
  if (typeof peerUrls === "string") return peerUrls;
  return { mode: "etcd", clientUrls, peerUrls };
}

/** Validate `steward run` flags; `path` is the PATH argument (absent: usage error). */
export function parseRunOptions(path: string | undefined, raw: RawRunOptions, defaultHostname: () => string = osHostname): ParsedRunOptions {
  const usage = (msg: string): ParsedRunOptions => ({ usage: msg });
  const cluster = parseCluster(raw);
  if (typeof cluster === "string") return usage(cluster);
  if (path === undefined && cluster.mode === "memory") return usage("expected a PATH (a .mcl file or a program directory), or --seeds/--etcd to run the newest deploy");

  let convergedTimeout: number | undefined;
  if (raw.convergedTimeout !== undefined) {
    const n = seconds("--converged-timeout", raw.convergedTimeout, false);
    if (typeof n === "string") return usage(n);
    convergedTimeout = n;
  }
  let maxRuntime: number | undefined;
  if (raw.maxRuntime !== undefined) {
    const n = seconds("--max-runtime", raw.maxRuntime, true);
    if (typeof n === "string") return usage(n);
    maxRuntime = n;
  }
  let sema = 0;
  if (raw.sema !== undefined) {
    if (!/^\d+$/.test(raw.sema.trim())) return usage(`--sema must be a non-negative integer, got '${raw.sema}'`);
    sema = Number(raw.sema.trim());
  }
  const logLevel = (raw.logLevel ?? "info") as LogLevel;
  if (!LEVELS.includes(logLevel)) return usage(`--log-level must be one of ${LEVELS.join(", ")}, got '${raw.logLevel ?? ""}'`);
  const logFormat = (raw.logFormat ?? "text") as LogFormat;
  if (!FORMATS.includes(logFormat)) return usage(`--log-format must be text or json, got '${raw.logFormat ?? ""}'`);

  if (raw.prefix !== undefined && raw.tmpPrefix === true) return usage("--prefix and --tmp-prefix cannot be used together");
  if (raw.prefix === "") return usage("--prefix must name a directory");
  if (raw.graphviz === "") return usage("--graphviz must name a file");
  if (raw.convergedStatusFile === "") return usage("--converged-status-file must name a file");

  const explicit = raw.hostname !== undefined;
  const hostname = raw.hostname ?? defaultHostname();
  const problem = hostnameProblem(hostname);
  if (problem !== undefined) {
    return usage(
      explicit
        ? `--hostname ${JSON.stringify(hostname)} ${problem}`
        : `this machine's hostname ${JSON.stringify(hostname)} ${problem}; pass --hostname`,
    );
  }

  return {
    ok: {
      ...(path === undefined ? {} : { path }),
      cluster,
      ...(convergedTimeout === undefined ? {} : { convergedTimeout }),
      ...(raw.convergedStatusFile === undefined ? {} : { convergedStatusFile: raw.convergedStatusFile }),
      noop: raw.noop === true,
      hostname,
      ...(raw.prefix === undefined ? {} : { prefix: raw.prefix }),
      tmpPrefix: raw.tmpPrefix === true,
      sema,
      autoedges: raw.autoedges !== false,
      autogroup: raw.autogroup !== false,
      cache: raw.cache !== false,
      ...(maxRuntime === undefined ? {} : { maxRuntime }),
      ...(raw.graphviz === undefined ? {} : { graphviz: raw.graphviz }),
      logLevel,
      logFormat,
    },
  };
}
