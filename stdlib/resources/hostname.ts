/**
 * `hostname` (engine-reference.md §10): the machine's host names, managed directly in the files
 * and kernel interface systemd-hostnamed itself uses (mgmt goes through hostnamed over D-Bus;
 * Steward must work on hosts and containers without it, and a running hostnamed picks the file
 * changes up through its own inotify watch).
 *
 * | field                | default    | managed as                                                       |
 * |----------------------|------------|------------------------------------------------------------------|
 * | `hostname`           | the name   | fallback of `static_hostname` and `transient_hostname`           |
 * | `static_hostname`    | `hostname` | `/etc/hostname` (one line), written atomically (temp + rename)    |
 * | `transient_hostname` | `hostname` | the kernel's hostname (`/proc/sys/kernel/hostname`, sethostname) |
 * | `pretty_hostname`    | unmanaged  | `PRETTY_HOSTNAME=` in `/etc/machine-info`, other lines kept       |
 *
 * Deliberate difference: mgmt also falls back to `hostname` for the pretty name; we manage the
 * pretty name only when it is set, so `hostname "web1" {}` does not create /etc/machine-info.
 *
 * When `/etc/hostname` is itself a mount point (Docker and friends bind-mount it), rename(2) onto
 * it fails with EBUSY; we then rewrite it in place, the only thing possible there.
 *
 * Watch: `/etc/hostname` (and `/etc/machine-info` when the pretty name is managed) through the
 * shared watcher, plus the file itself when it is a mount point, plus a 1 s check of the kernel
 * hostname, which has no inotify.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { watch as fsWatch } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { watchPath } from "../../runtime/watch/index.js";
import { optStrField, strField, type Params } from "./param-fields.js";

/** Where the names live; tests point these at temp files or run in a private namespace. */
export interface HostnameHost {
  readonly etcHostname: string;
  readonly machineInfo: string;
  /** Read → the kernel's current hostname; write → sethostname(2). */
  readonly kernelHostname: string;
  /** How often watch re-reads the kernel hostname (ms). */
  readonly kernelPollMs: number;
}

export const SYSTEM_HOSTNAME_HOST: HostnameHost = {
  etcHostname: "/etc/hostname",
  machineInfo: "/etc/machine-info",
  kernelHostname: "/proc/sys/kernel/hostname",
  kernelPollMs: 1000,
};

/** systemd's `hostname_is_valid`: 1–64 chars of `[A-Za-z0-9_-]` in dot-separated non-empty labels. */
export function hostnameProblem(h: string): string | undefined {
  if (h.length === 0) return "is empty";
  if (h.length > 64) return `is longer than 64 characters (${h.length})`;
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(h)) return "must be letters, digits, '-' and '_' in dot-separated labels";
  return undefined;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** Replace `path` with `content` atomically, keeping its mode (default 0644). */
export async function writeFileAtomic(path: string, content: string, log?: (msg: string) => void): Promise<void> {
  const mode = (await stat(path).catch(() => undefined))?.mode ?? 0o644;
  const tmp = join(dirname(path), `.${basename(path)}.steward-${randomBytes(4).toString("hex")}`);
  try {
    await writeFile(tmp, content, { mode: mode & 0o7777, flush: true });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EBUSY" && code !== "EXDEV") throw e;
    log?.(`${path} is a mount point (${code}): rewriting it in place`);
    await writeFile(path, content, { flush: true });
  }
}

/** Is `path` a mount point in this mount namespace (e.g. a bind-mounted /etc/hostname)? */
export async function isMountPoint(path: string): Promise<boolean> {
  const info = await readOrUndefined("/proc/self/mountinfo");
  if (info === undefined) return false;
  const want = resolve(path);
  // field 5 is the mount point, with space, tab, newline and backslash octal-escaped
  return info.split("\n").some((line) => line.split(" ")[4]?.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))) === want);
}

/** The first non-comment line of /etc/hostname, trimmed (as systemd reads it). */
function parseEtcHostname(text: string): string {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t !== "" && !t.startsWith("#")) return t;
  }
  return "";
}

function unquote(v: string): string {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(v) ?? /^'([^']*)'$/.exec(v);
  return m ? m[1]!.replace(/\\(.)/g, "$1") : v;
}
const quote = (v: string): string => `"${v.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;

/** `PRETTY_HOSTNAME` of an /etc/machine-info text (an env file). */
export function prettyFromMachineInfo(text: string): string | undefined {
  for (const line of text.split("\n")) {
    const m = /^\s*PRETTY_HOSTNAME=(.*)$/.exec(line);
    if (m) return unquote(m[1]!.trim());
  }
  return undefined;
}

/** The machine-info text with `PRETTY_HOSTNAME` set to `pretty`, every other line kept. */
export function withPretty(text: string, pretty: string): string {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const entry = `PRETTY_HOSTNAME=${quote(pretty)}`;
  const i = lines.findIndex((l) => /^\s*PRETTY_HOSTNAME=/.test(l));
  if (i >= 0) lines[i] = entry;
  else lines.push(entry);
  return lines.join("\n") + "\n";
}

export class HostnameResource implements Resource {
  readonly staticName: string;
  readonly transientName: string;
  readonly prettyName: string | undefined;
  #ctx: ResourceContext | undefined;
  /** the kernel hostname the watch's poll last saw or checkApply last wrote: the poll's baseline */
  #lastKernel = "";

  constructor(
    name: string,
    params: Params,
    readonly host: HostnameHost = SYSTEM_HOSTNAME_HOST,
  ) {
    const h = strField(params, "hostname", name);
    this.staticName = strField(params, "static_hostname") || h;
    this.transientName = strField(params, "transient_hostname") || h;
    const pretty = optStrField(params, "pretty_hostname");
    this.prettyName = pretty === "" ? undefined : pretty;
  }

  validate(): string | undefined {
    for (const [field, v] of [["static_hostname", this.staticName], ["transient_hostname", this.transientName]] as const) {
      const why = hostnameProblem(v);
      if (why !== undefined) return `${field} ${JSON.stringify(v)} ${why}`;
    }
    // control characters would corrupt the env file
    if (this.prettyName !== undefined && /[\x00-\x1f\x7f]/.test(this.prettyName)) return "pretty_hostname must not contain control characters";
    return undefined;
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  async #kernel(): Promise<string> {
    return ((await readOrUndefined(this.host.kernelHostname)) ?? "").trim();
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const stops: (() => void)[] = [];
    for (const path of this.prettyName === undefined ? [this.host.etcHostname] : [this.host.etcHostname, this.host.machineInfo]) {
      stops.push(watchPath(path, () => sink.event()));
      // A bind-mounted file's writes are reported against the bind source's directory, never the
      // one we watch; but a mount point can't be renamed over, so its inode is stable: watch it.
      if (await isMountPoint(path)) {
        const fw = fsWatch(path, () => sink.event());
        fw.on("error", (e) => sink.error(e));
        stops.push(() => fw.close());
      }
    }
    this.#lastKernel = await this.#kernel();
    let polling = false;
    const timer = setInterval(() => {
      if (polling) return;
      polling = true;
      this.#kernel()
        .then((now) => {
          if (now !== this.#lastKernel) {
            this.#lastKernel = now;
            sink.event();
          }
        })
        .catch((e: unknown) => sink.error(e instanceof Error ? e : new Error(String(e))))
        .finally(() => (polling = false));
    }, this.host.kernelPollMs);
    sink.event();
    return () => {
      clearInterval(timer);
      for (const s of stops) s();
    };
  }

  async checkApply(apply: boolean, _signal?: AbortSignal): Promise<boolean> {
    const log = this.#ctx?.log;
    let ok = true;

    const kernel = await this.#kernel();
    if (kernel !== this.transientName) {
      ok = false;
      if (apply) {
        await writeFile(this.host.kernelHostname, this.transientName).catch((e: unknown) => {
          throw new Error(`can't set the kernel hostname to ${JSON.stringify(this.transientName)}: ${(e as Error).message}`);
        });
        // a hand change back to the old name before the next poll must still be seen
        this.#lastKernel = this.transientName;
        log?.info(`transient hostname set to ${JSON.stringify(this.transientName)} (was ${JSON.stringify(kernel)})`);
      }
    }

    const etc = await readOrUndefined(this.host.etcHostname);
    if (etc === undefined || parseEtcHostname(etc) !== this.staticName) {
      ok = false;
      if (apply) {
        await writeFileAtomic(this.host.etcHostname, `${this.staticName}\n`, (m) => log?.debug(m));
        log?.info(`static hostname set to ${JSON.stringify(this.staticName)}`);
      }
    }

    if (this.prettyName !== undefined) {
      const info = (await readOrUndefined(this.host.machineInfo)) ?? "";
      if (prettyFromMachineInfo(info) !== this.prettyName) {
        ok = false;
        if (apply) {
          await writeFileAtomic(this.host.machineInfo, withPretty(info, this.prettyName), (m) => log?.debug(m));
          log?.info(`pretty hostname set to ${JSON.stringify(this.prettyName)}`);
        }
      }
    }
    return ok;
  }

  async cleanup(): Promise<void> {}
}

export const hostnameKind: KindImpl = {
  kind: "hostname",
  create: (name, params) => new HostnameResource(name, params),
};

registerKind(hostnameKind);
