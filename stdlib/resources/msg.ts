/**
 * `msg` (engine-reference.md §10; mgmt engine/resources/msg.go): logs `body` once per resource
 * instance, and again on every refresh. Refreshable.
 *
 * `priority` (syslog names `Emerg`…`Debug`, case-insensitive; default `Info`) picks the log
 * level: Emerg/Alert/Crit/Err/Warning → warn, Notice/Info → info, Debug → debug. `fields` are
 * appended to the line as `key=value`. `journal` and `syslog` are accepted and validated but only
 * log through the engine's logger (which may itself be journald): no direct sd_journal/syslog
 * write, matching mgmt's syslog stub.
 *
 * @example msg "deploy" { body => "deploying v2", priority => "Notice", fields => {"APP" => "web",}, }
 */
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { boolField, startupOnlyWatch, strField, strMapField, type Params } from "./param-fields.js";

/** syslog(3) priorities as mgmt spells them, most severe first. */
export const MSG_PRIORITIES = ["Emerg", "Alert", "Crit", "Err", "Warning", "Notice", "Info", "Debug"] as const;
export type MsgPriority = (typeof MSG_PRIORITIES)[number];

function parsePriority(s: string): MsgPriority | undefined {
  if (s === "") return "Info";
  return MSG_PRIORITIES.find((p) => p.toLowerCase() === s.toLowerCase());
}

export class MsgResource implements Resource {
  readonly body: string;
  readonly priorityText: string;
  readonly fields: ReadonlyMap<string, string>;
  readonly journal: boolean;
  readonly syslog: boolean;
  #ctx: ResourceContext | undefined;
  #logged = false;

  constructor(params: Params) {
    this.body = strField(params, "body");
    this.priorityText = strField(params, "priority");
    this.fields = strMapField(params, "fields");
    this.journal = boolField(params, "journal");
    this.syslog = boolField(params, "syslog");
  }

  validate(): string | undefined {
    if (parsePriority(this.priorityText) === undefined) return `invalid priority ${JSON.stringify(this.priorityText)} (one of ${MSG_PRIORITIES.join(", ")})`;
    for (const k of this.fields.keys()) {
      // journald field names: upper-case letters, digits, underscore; no leading underscore (trusted fields)
      if (!/^[A-Za-z0-9_]+$/.test(k)) return `invalid character in field ${JSON.stringify(k)}`;
      if (k.startsWith("_")) return `field ${JSON.stringify(k)}: fields cannot begin with _`;
    }
    return undefined;
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }
  watch(sink: WatchSink): Promise<() => void> {
    return startupOnlyWatch(sink);
  }

  async checkApply(apply: boolean, _signal?: AbortSignal): Promise<boolean> {
    const refresh = this.#ctx?.refresh() ?? false;
    if (this.#logged && !refresh) return true;
    if (!apply) return false;
    this.#emit();
    this.#logged = true;
    return false;
  }

  #emit(): void {
    const log = this.#ctx?.log;
    if (!log) return;
    const extra = [...this.fields].map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join("");
    const line = `${this.body}${extra}`;
    const p = parsePriority(this.priorityText) ?? "Info";
    if (p === "Debug") log.debug(line);
    else if (p === "Notice" || p === "Info") log.info(line);
    else log.warn(line);
  }

  async cleanup(): Promise<void> {}
}

export const msgKind: KindImpl = {
  kind: "msg",
  create: (_name, params) => new MsgResource(params),
  refreshable: true,
};

registerKind(msgKind);
