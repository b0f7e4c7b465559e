/** Every resource kind schema known to the checker. */
import type { KindSchema } from "../registry.js";
import { CONSUL_KV, DEPLOY_TAR, GZIP, JSON_EDIT, SSH_AUTHORIZED_KEY, TAR } from "./data.js";
import { EXEC } from "./exec.js";
import { FILE } from "./file.js";
import { CRON, EXIT, KV, MSG, NOOP, PANIC, PASSWORD, SCHEDULE, TIMER } from "./misc.js";
import { PRINT } from "./print.js";
import { FIREWALLD, GROUP, HOSTNAME, LINE, MOUNT, NET, NSPAWN, PKG, SVC, SYSCTL, USER } from "./system.js";
import { TEST } from "./test.js";
import { VALUE } from "./value.js";
import { VIRT } from "./virt.js";

export const ALL_KINDS: readonly KindSchema[] = [
  TEST, PRINT, VALUE, FILE, EXEC, PKG, SVC, USER, GROUP, TIMER, NOOP, MSG, KV, PASSWORD, HOSTNAME,
  SCHEDULE, CRON, MOUNT, SYSCTL, LINE, EXIT, NSPAWN, VIRT, NET, FIREWALLD,
  JSON_EDIT, TAR, GZIP, DEPLOY_TAR, SSH_AUTHORIZED_KEY, CONSUL_KV, PANIC,
];
