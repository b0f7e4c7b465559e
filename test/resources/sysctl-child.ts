/**
 * Run by sysctl.test.ts inside `unshare --net`: a private network namespace has its own net.*
 * sysctl tree, so the `sysctl` kind can write the real /proc/sys there without touching the host.
 * argv[2] is a temp directory for the persist files. Prints one JSON line of observations.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SysctlResource, SYSTEM_SYSCTL_HOST } from "../../stdlib/resources/sysctl.js";
import { makeContext, recordWatch, removeTempDirs } from "./harness.js";

const dir = process.argv[2]!;
const host = { ...SYSTEM_SYSCTL_HOST, pollMs: 10 };
const proc = (rel: string): string => readFileSync(join("/proc/sys", rel), "utf8");
const out: Record<string, unknown> = {};
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50)); // our own write's events drain

const key = "net.ipv4.ip_local_port_range";
const path = join(dir, "99-ports.conf");
const h = makeContext("sysctl", key);
const res = new SysctlResource(key, { value: "20000  30000", path }, host);
out.validate = res.validate() ?? null;
await res.init(h.ctx);
const w = await recordWatch(res);
try {
  out.before = proc("net/ipv4/ip_local_port_range");
  out.noop = await res.checkApply(false, h.abort.signal);
  out.afterNoop = proc("net/ipv4/ip_local_port_range");
  out.noopFile = (() => { try { return readFileSync(path, "utf8"); } catch { return null; } })();
  out.apply = await res.checkApply(true, h.abort.signal);
  out.value = proc("net/ipv4/ip_local_port_range");
  out.file = readFileSync(path, "utf8");
  out.again = await res.checkApply(true, h.abort.signal);

  // drift of the running value: procfs has no inotify, the kind's poll sees it
  await settle();
  let n = w.times.length;
  writeFileSync("/proc/sys/net/ipv4/ip_local_port_range", "32768 60999");
  await w.next(n);
  out.runtimeDrift = await res.checkApply(true, h.abort.signal);
  out.runtimeFixed = proc("net/ipv4/ip_local_port_range");

  // drift of the persist file: edited, then deleted (shared watcher)
  await settle();
  n = w.times.length;
  writeFileSync(path, "net.ipv4.ip_local_port_range = 1 2\n");
  await w.next(n);
  out.fileDrift = await res.checkApply(true, h.abort.signal);
  await settle();
  n = w.times.length;
  rmSync(path);
  await w.next(n);
  out.fileGone = await res.checkApply(true, h.abort.signal);
  out.fileFixed = readFileSync(path, "utf8");
  out.logs = h.logs;
  out.watchErrors = w.errors.map(String);
} finally {
  w.stop();
}

// the slash form of a key, runtime only (no file written)
const ttl = new SysctlResource("net/ipv4/ip_default_ttl", { value: "99", persist: false }, host);
await ttl.init(makeContext("sysctl", "ttl").ctx);
out.ttlApply = await ttl.checkApply(true, h.abort.signal);
out.ttl = proc("net/ipv4/ip_default_ttl");

// drift back to the value the watch started with, before its first poll: still an event
const back = new SysctlResource("net.ipv4.ip_default_ttl", { value: "55", persist: false }, { ...SYSTEM_SYSCTL_HOST, pollMs: 200 });
await back.init(makeContext("sysctl", "back").ctx);
const wb = await recordWatch(back);
try {
  await wb.next(0);
  out.backApply = await back.checkApply(true, h.abort.signal);
  writeFileSync("/proc/sys/net/ipv4/ip_default_ttl", "99");
  out.backEvent = await wb.next(1, 2000).then(() => true, () => false);
  out.backFixed = (await back.checkApply(true, h.abort.signal)) === false && proc("net/ipv4/ip_default_ttl") === "55\n";
} finally {
  wb.stop();
}

// failures are one-line reasons
const fail = async (r: SysctlResource): Promise<string> => {
  await r.init(makeContext("sysctl", "x").ctx);
  try {
    await r.checkApply(true, h.abort.signal);
    return "no error";
  } catch (e) {
    return String(e);
  }
};
out.unknown = await fail(new SysctlResource("net.ipv4.no_such_key", { value: "1", persist: false }, host));
out.rejected = await fail(new SysctlResource("net.ipv4.ip_default_ttl", { value: "0", persist: false }, host));
removeTempDirs();
process.stdout.write(JSON.stringify(out) + "\n");
