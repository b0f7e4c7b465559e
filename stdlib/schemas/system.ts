/** Host-management kinds (engine-reference.md §10): pkg, svc, user, group, hostname, mount, sysctl, line, nspawn, net, firewalld. */
import { kind } from "./define.js";
import { validateLine } from "../resources/line-spec.js";
import { validateMount } from "../resources/mount-spec.js";
import { validateSysctl } from "../resources/sysctl-spec.js";

export const PKG = kind(
  "pkg",
  { state: "str", allowdowngrade: "bool", allowuntrusted: "bool", allownonfree: "bool", allowunsupported: "bool" },
  { traits: { autoedge: true, autogroup: true, compatible: true } },
);
export const SVC = kind("svc", { state: "str", startup: "str", session: "bool" }, { traits: { autoedge: true, refresh: true } });
export const USER = kind(
  "user",
  { state: "str", uid: "int", gid: "int", group: "str", groups: "[]str", homedir: "str", shell: "str", allowduplicateuid: "bool" },
  { traits: { autoedge: true } },
);
export const GROUP = kind("group", { state: "str", gid: "int" }, { traits: { autoedge: true } });
export const HOSTNAME = kind("hostname", { hostname: "str", pretty_hostname: "str", static_hostname: "str", transient_hostname: "str" });
export const MOUNT = kind("mount", { state: "str", device: "str", type: "str", options: "map{str: str}", freq: "int", passno: "int" }, { traits: { autoedge: true }, validate: validateMount });
export const SYSCTL = kind("sysctl", { value: "str", runtime: "bool", persist: "bool", path: "str" }, { validate: validateSysctl });
export const LINE = kind("line", { file: "str", state: "str", content: "str", trim: "bool" }, { traits: { autoedge: true }, validate: validateLine });
export const NSPAWN = kind("nspawn", { state: "str" }, { traits: { refresh: true } });
export const NET = kind("net", { state: "str", addrs: "[]str", gateway: "str", ip_forward: "bool" }, { traits: { reverse: true } });
export const FIREWALLD = kind("firewalld", { zone: "str", state: "str", services: "[]str", ports: "[]str" });
