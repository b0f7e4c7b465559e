/**
 * The `sysctl` kind (engine-reference.md §10 "sysctl"): one kernel parameter. Name = the key
 * (`net.ipv4.ip_forward`).
 *
 * checkApply: with `runtime` (default true) the running value, `/proc/sys/<key path>`, is compared
 * with `value` (fields separated by any whitespace count as equal: procfs prints tabs) and written
 * when it differs; with `persist` (default true) the file `path` (default
 * `/etc/sysctl.d/99-<key>.conf`) must hold exactly `<key> = <value>` and is replaced atomically
 * when it does not.
 *
 * Watch: the persist file through the shared watcher. procfs sends no inotify events, so the
 * running value is re-read on the kind's own interval (1 s, `SysctlHost.pollMs`) and a change
 * reported as an event; the rest of the time nothing runs. (`Meta:poll` replaces the whole watch
 * by the engine's periodic checkApply, as for every kind.)
 *
 * ```mcl
 * sysctl "net.ipv4.ip_forward" { value => "1", }
 * ```
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { readTextOrUndefined, watchTextFile, writeText } from "./line-file.js";
import type { Params } from "./param-fields.js";
import { normalizeSysctlValue, parseSysctl, sysctlConf, sysctlRelPath, validateSysctl, type SysctlSpec } from "./sysctl-spec.js";

/** Where the kernel's parameters live and how often the running value is re-read; tests shorten the interval. */
export interface SysctlHost {
  readonly procSys: string;
  readonly pollMs: number;
}

export const SYSTEM_SYSCTL_HOST: SysctlHost = { procSys: "/proc/sys", pollMs: 1000 };

export class SysctlResource implements Resource {
  readonly spec: SysctlSpec;
  readonly procPath: string;
  #ctx: ResourceContext | undefined;
  /**
   * The running value as last seen by the poll or by checkApply. The poll reports a difference
   * from this, so our own write is not an event but a change back to the value the poll saw before
   * that write is.
   */
  #seen: string | undefined;

  constructor(
    private readonly name: string,
    private readonly params: Params,
    readonly host: SysctlHost = SYSTEM_SYSCTL_HOST,
  ) {
    this.spec = parseSysctl(name, params);
    this.procPath = join(host.procSys, sysctlRelPath(name));
  }

  validate(): string | undefined {
    return validateSysctl(this.name, this.params);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  /** The running value, normalised; undefined when the key does not exist in this kernel (or namespace). */
  async #running(): Promise<string | undefined> {
    try {
      return normalizeSysctlValue(await readFile(this.procPath, "utf8"));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw new Error(`can't read ${this.procPath}: ${code ?? (e as Error).message}`);
    }
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const stops: (() => void)[] = [];
    if (this.spec.persist) stops.push(await watchTextFile(this.spec.path, () => sink.event(), (e) => sink.error(e)));
    if (this.spec.runtime) {
      this.#seen = await this.#running().catch(() => undefined);
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        this.#running()
          .catch(() => undefined)
          .then((now) => {
            if (now !== this.#seen) {
              this.#seen = now;
              sink.event();
            }
          })
          .finally(() => (busy = false));
      }, this.host.pollMs);
      stops.push(() => clearInterval(timer));
    }
    sink.event();
    return () => {
      for (const s of stops) s();
    };
  }

  async checkApply(apply: boolean, _signal: AbortSignal): Promise<boolean> {
    const log = this.#ctx?.log;
    const want = normalizeSysctlValue(this.spec.value);
    let ok = true;
    if (this.spec.runtime) {
      const have = await this.#running();
      this.#seen = have;
      if (have === undefined) throw new Error(`no sysctl ${this.spec.key} here (${this.procPath} does not exist)`);
      if (have !== want) {
        ok = false;
        if (apply) {
          await writeFile(this.procPath, this.spec.value).catch((e: NodeJS.ErrnoException) => {
            throw new Error(`can't set ${this.spec.key} to ${JSON.stringify(this.spec.value)}: ${e.code ?? e.message}`);
          });
          this.#seen = await this.#running();
          log?.info(`${this.spec.key} set to ${JSON.stringify(want)} (was ${JSON.stringify(have)})`);
        }
      }
    }
    if (this.spec.persist) {
      const text = sysctlConf(this.spec);
      if ((await readTextOrUndefined(this.spec.path)) !== text) {
        ok = false;
        if (apply) {
          await writeText(this.spec.path, text).catch((e: NodeJS.ErrnoException) => {
            throw new Error(`can't write ${this.spec.path}: ${e.code ?? e.message}`);
          });
          log?.info(`${this.spec.key} persisted in ${this.spec.path}`);
        }
      }
    }
    return ok;
  }

  async cleanup(): Promise<void> {}
}

export const sysctlKind: KindImpl = {
  kind: "sysctl",
  create: (name, params) => new SysctlResource(name, params),
};

registerKind(sysctlKind);
