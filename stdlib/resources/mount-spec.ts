/**
 * The params of a `mount` resource (engine-reference.md §10 "mount") and the two tables it
 * reconciles: `/etc/fstab` (fstab(5)) and `/proc/self/mountinfo` (proc(5)). Pure: the schema
 * (stdlib/schemas/system.ts) runs `validateMount` at compile time, the resource reuses the rest.
 */
import { isMap } from "../../lang/values.js";
import type { ResParams } from "../registry.js";

export interface MountSpec {
  /** The mount point: the resource's name, absolute. */
  readonly target: string;
  readonly state: "exists" | "absent";
  /** A path, `UUID=`/`LABEL=`/`PARTUUID=`/`PARTLABEL=`, or a pseudo source such as `tmpfs`. */
  readonly device: string;
  readonly type: string;
  /** fstab options; a key with an empty value is a flag (`defaults`, `ro`). Default `{defaults: ""}`. */
  readonly options: ReadonlyMap<string, string>;
  readonly freq: bigint;
  readonly passno: bigint;
}

const str = (p: ResParams, f: string): string => (typeof p[f] === "string" ? (p[f] as string) : "");
const int = (p: ResParams, f: string): bigint => (typeof p[f] === "bigint" ? (p[f] as bigint) : 0n);

function optionsOf(p: ResParams): Map<string, string> {
  const v = p["options"];
  if (v === undefined || !isMap(v)) return new Map([["defaults", ""]]);
  const out = new Map<string, string>();
  for (const [k, x] of v) out.set(String(k), String(x));
  return out;
}

export function parseMount(name: string, params: ResParams): MountSpec {
  return {
    target: name,
    state: str(params, "state") === "absent" ? "absent" : "exists",
    device: str(params, "device"),
    type: str(params, "type"),
    options: optionsOf(params),
    freq: int(params, "freq"),
    passno: int(params, "passno"),
  };
}

const TAGS = new Set(["UUID", "LABEL", "PARTUUID", "PARTLABEL", "ID"]);
const WS = /[\s\x00-\x1f\x7f]/;

/** mgmt's MountRes.Validate, with one extension: a device may be a bare pseudo source (`tmpfs`, `proc`, `none`). */
export function validateMount(name: string, params: ResParams): string | undefined {
  if (!name.startsWith("/")) return `the mount point ${JSON.stringify(name)} must be an absolute path`;
  if (name !== "/" && (name.endsWith("/") || /\/\.{0,2}(\/|$)/.test(name) || name.includes("//"))) return `the mount point ${JSON.stringify(name)} must be a clean path (no trailing slash, no . or .. or //)`;
  if (/[\x00-\x1f\x7f]/.test(name)) return "the mount point must not contain control characters";
  const state = str(params, "state");
  if (state !== "exists" && state !== "absent") return `state must be "exists" or "absent", not ${JSON.stringify(state)}`;
  const s = parseMount(name, params);
  if (state === "exists") {
    if (s.device === "") return "device is required when state is exists";
    if (s.type === "") return "type is required when state is exists";
  }
  if (s.device !== "") {
    if (WS.test(s.device)) return `device ${JSON.stringify(s.device)} must not contain whitespace`;
    const eq = s.device.indexOf("=");
    if (!s.device.startsWith("/") && eq >= 0) {
      const tag = s.device.slice(0, eq);
      if (!TAGS.has(tag)) return `device ${JSON.stringify(s.device)}: unknown tag ${JSON.stringify(tag)} (use a path, UUID=, LABEL=, PARTUUID=, PARTLABEL= or ID=)`;
      if (eq === s.device.length - 1) return `device ${JSON.stringify(s.device)} has an empty ${tag}`;
    }
  }
  if (s.type !== "" && !/^[A-Za-z0-9_.+-]+$/.test(s.type)) return `type ${JSON.stringify(s.type)} is not a filesystem type`;
  if (s.type === "swap") return "swap is not a mount (not supported)";
  for (const [k, v] of s.options) {
    if (k === "" || /[,=]/.test(k) || WS.test(k)) return `option name ${JSON.stringify(k)} must be non-empty, without commas, '=' or whitespace`;
    if (v.includes(",") || WS.test(v)) return `option ${k}: value ${JSON.stringify(v)} must not contain commas or whitespace`;
  }
  for (const [f, n] of [["freq", s.freq], ["passno", s.passno]] as const) if (n < 0n || n > 2147483647n) return `${f} must be in 0..2147483647, got ${n}`;
  return undefined;
}

/** `defaults,size=1m`: keys sorted for a stable line, `defaults` first. */
export function renderOptions(opts: ReadonlyMap<string, string>): string {
  const keys = [...opts.keys()].sort((a, b) => (a === "defaults" ? -1 : b === "defaults" ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return keys.length === 0 ? "defaults" : keys.map((k) => (opts.get(k) === "" ? k : `${k}=${opts.get(k)}`)).join(",");
}

export function parseOptions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of text.split(",")) {
    if (o === "") continue;
    const i = o.indexOf("=");
    out.set(i < 0 ? o : o.slice(0, i), i < 0 ? "" : o.slice(i + 1));
  }
  return out;
}

/** fstab(5) and mountinfo escape space, tab, newline and backslash as `\ooo`. */
export function escapeField(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
}
export function unescapeField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export interface FstabEntry {
  readonly device: string;
  readonly target: string;
  readonly type: string;
  readonly options: ReadonlyMap<string, string>;
  readonly freq: bigint;
  readonly passno: bigint;
}

/** One fstab line, or undefined for a comment, a blank or a line too short to be an entry. */
export function parseFstabLine(line: string): FstabEntry | undefined {
  const t = line.trim();
  if (t === "" || t.startsWith("#")) return undefined;
  const f = t.split(/\s+/);
  if (f.length < 2) return undefined;
  const num = (x: string | undefined): bigint => (x !== undefined && /^\d+$/.test(x) ? BigInt(x) : 0n);
  return { device: unescapeField(f[0]!), target: unescapeField(f[1]!), type: f[2] ?? "auto", options: parseOptions(f[3] ?? "defaults"), freq: num(f[4]), passno: num(f[5]) };
}

export function fstabLine(s: MountSpec): string {
  return [escapeField(s.device), escapeField(s.target), s.type, renderOptions(s.options), s.freq, s.passno].join("\t");
}

function sameOptions(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** The fstab text with exactly the entry `s` wants for its mount point (or none, when absent); undefined when it already is so. */
export function editFstab(text: string, s: MountSpec): string | undefined {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const ours = lines.map((l) => parseFstabLine(l)).map((e, i) => ({ e, i })).filter((x) => x.e?.target === s.target);
  if (s.state === "absent") {
    if (ours.length === 0) return undefined;
  } else if (ours.length === 1) {
    const e = ours[0]!.e!;
    if (e.device === s.device && e.type === s.type && sameOptions(e.options, s.options) && e.freq === s.freq && e.passno === s.passno) return undefined;
  }
  const drop = new Set(ours.map((x) => x.i));
  const keep = lines.filter((_l, i) => !drop.has(i));
  if (s.state === "exists") keep.push(fstabLine(s));
  return keep.length === 0 ? "" : keep.join("\n") + "\n";
}

export interface MountInfo {
  readonly target: string;
  readonly type: string;
  readonly source: string;
}

/** The mounts of a /proc/self/mountinfo text, in mount order (a later one over the same point covers the earlier). */
export function parseMountinfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split("\n")) {
    const f = line.split(" ");
    const dash = f.indexOf("-", 6);
    if (f.length < 7 || dash < 0) continue;
    out.push({ target: unescapeField(f[4]!), type: f[dash + 1] ?? "", source: unescapeField(f[dash + 2] ?? "") });
  }
  return out;
}

/** The mount now visible at `target` (the last one mounted there), if any. */
export function mountAt(text: string, target: string): MountInfo | undefined {
  return parseMountinfo(text).filter((m) => m.target === target).at(-1);
}
