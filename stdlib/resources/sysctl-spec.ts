/**
 * The params of a `sysctl` resource (engine-reference.md §10 "sysctl"), typed and validated. Pure:
 * the schema (stdlib/schemas/system.ts) runs `validateSysctl` at compile time, the resource reuses it.
 */
import type { ResParams } from "../registry.js";

export interface SysctlSpec {
  /** The key as written (`net.ipv4.ip_forward`). */
  readonly key: string;
  readonly value: string;
  /** Write the running kernel's value (`/proc/sys/…`). Default true. */
  readonly runtime: boolean;
  /** Keep `<key> = <value>` in `path` so it survives a reboot. Default true. */
  readonly persist: boolean;
  /** Default `/etc/sysctl.d/99-<key>.conf`. */
  readonly path: string;
}

const str = (p: ResParams, f: string): string => (typeof p[f] === "string" ? (p[f] as string) : "");
const bool = (p: ResParams, f: string, def: boolean): boolean => (typeof p[f] === "boolean" ? (p[f] as boolean) : def);

export function parseSysctl(name: string, params: ResParams): SysctlSpec {
  return {
    key: name,
    value: str(params, "value"),
    runtime: bool(params, "runtime", true),
    persist: bool(params, "persist", true),
    path: str(params, "path") || `/etc/sysctl.d/99-${name.replaceAll("/", ".")}.conf`,
  };
}

/**
 * The key's file below /proc/sys, as sysctl(8) maps it: dots separate the levels, unless the first
 * separator is a slash, in which case slashes do and dots are part of a name
 * (`net/ipv4/conf/eth0.100/forwarding`); in the dotted form a slash stands for a literal dot
 * (`net.ipv4.conf.eth0/100.forwarding`).
 */
export function sysctlRelPath(key: string): string {
  const firstSep = /[./]/.exec(key)?.[0];
  if (firstSep === "/") return key;
  return key.replace(/[./]/g, (c) => (c === "." ? "/" : "."));
}

/** The value as the kernel compares it: fields separated by single spaces (procfs prints tabs). */
export function normalizeSysctlValue(v: string): string {
  return v.trim().split(/\s+/).join(" ");
}

/** The persist file's whole text. */
export function sysctlConf(spec: SysctlSpec): string {
  return `${spec.key} = ${spec.value}\n`;
}

export function validateSysctl(name: string, params: ResParams): string | undefined {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.:@/-]*$/.test(name)) return `sysctl key ${JSON.stringify(name)} must be letters, digits and _ - : @ separated by dots or slashes`;
  if (sysctlRelPath(name).split("/").some((part) => part === "" || part === "..")) return `sysctl key ${JSON.stringify(name)} has an empty or ".." level`;
  const spec = parseSysctl(name, params);
  if (normalizeSysctlValue(spec.value) === "") return "value is empty";
  if (/[\r\n]/.test(spec.value)) return "value must be a single line";
  if (spec.persist) {
    if (!spec.path.startsWith("/") || spec.path.endsWith("/")) return `path ${JSON.stringify(spec.path)} must be an absolute file path`;
    // systemd-sysctl and `sysctl --system` read only *.conf
    if (!spec.path.endsWith(".conf")) return `path ${JSON.stringify(spec.path)} must end in .conf (sysctl.d reads nothing else)`;
  }
  return undefined;
}
