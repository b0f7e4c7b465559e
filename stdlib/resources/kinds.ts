/**
 * Where each resource kind lives, registered without loading it: `steward run` imports this file,
 * and the engine loads only the kinds a program uses (runtime/engine/resource.ts
 * `registerKindLoader`). index.ts loads them all, for in-process users that need every kind at once.
 * Each loader imports the module whose `registerKind` defines the kind (test/engine/kinds.test.ts
 * checks the table against what the modules register).
 */
import { registerKindLoader } from "../../runtime/engine/resource.js";

const exit = () => import("./exit.js");

export const KIND_MODULES: Readonly<Record<string, () => Promise<unknown>>> = {
  timer: () => import("./timer.js"),
  noop: () => import("./noop.js"),
  msg: () => import("./msg.js"),
  print: () => import("./print.js"),
  test: () => import("./test.js"),
  password: () => import("./password.js"),
  kv: () => import("./kv.js"),
  hostname: () => import("./hostname.js"),
  exit,
  _panic: exit,
  value: () => import("./value.js"),
  file: () => import("./file.js"),
  exec: () => import("./exec.js"),
  pkg: () => import("./pkg.js"),
  svc: () => import("./svc.js"),
  group: () => import("./group.js"),
  user: () => import("./user.js"),
  cron: () => import("./cron.js"),
  schedule: () => import("./schedule.js"),
  mount: () => import("./mount.js"),
  sysctl: () => import("./sysctl.js"),
  line: () => import("./line.js"),
  "json:edit": () => import("./json-edit.js"),
  tar: () => import("./tar.js"),
  gzip: () => import("./gzip.js"),
  "ssh:authorized_key": () => import("./ssh-authorized-key.js"),
};

for (const [kind, load] of Object.entries(KIND_MODULES)) registerKindLoader(kind, load);
