/** Small kinds (engine-reference.md §10): timer, noop, msg, kv, password, exit, schedule, cron, _panic. */
import { kind } from "./define.js";

export const TIMER = kind("timer", { interval: "int" }, { traits: { refresh: true } });
export const NOOP = kind("noop", { comment: "str" }, { traits: { autogroup: true, refresh: true } });
export const MSG = kind("msg", { body: "str", priority: "str", fields: "map{str: str}", journal: "bool", syslog: "bool" }, { traits: { refresh: true } });
export const KV = kind(
  "kv",
  { key: "str", value: "str", mapped: "bool", skiplessthan: "bool", skipcmpstyle: "int" },
  { recvable: true, traits: { refresh: true } },
);
export const PASSWORD = kind(
  "password",
  { length: "int", saved: "bool", check_recovery: "bool" },
  { sends: { password: "str" }, traits: { refresh: true } },
);
export const EXIT = kind("exit", { code: "int" });
export const SCHEDULE = kind("schedule", { namespace: "str", strategy: "str", max: "int", persist: "bool", ttl: "int", withdraw: "bool" });
export const CRON = kind(
  "cron",
  {
    unit: "str",
    state: "str",
    startup: "str",
    session: "bool",
    trigger: "str",
    time: "str",
    // systemd time spans ("1min", "30s"), as mgmt's cron.go
    accuracysec: "str",
    randomizeddelaysec: "str",
    persistent: "bool",
    wakesystem: "bool",
    remainafterelapse: "bool",
    description: "str",
    // Steward extensions (stdlib/resources/cron.ts): the service's command, and where unit files go
    command: "str",
    unitdir: "str",
  },
  { recvable: true, traits: { autoedge: true, refresh: true } },
);
/** The synthetic sink emitted by `panic()` (§3.9); the only `_`-prefixed kind. */
export const PANIC = kind("_panic", {});
