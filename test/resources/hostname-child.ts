/**
 * Run by hostname.test.ts inside `unshare --uts --mount` after /etc has been made private: drives
 * the `hostname` kind against the real /etc/hostname, /etc/machine-info and kernel hostname of
 * that namespace and prints one JSON line of observations for the parent to assert on.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import type { Value } from "../../lang/values.js";
import { HostnameResource, SYSTEM_HOSTNAME_HOST } from "../../stdlib/resources/hostname.js";
import { makeContext, recordWatch, removeTempDirs } from "./harness.js";

const want = process.argv[2] ?? "steward-ns-test";
const pretty = process.argv[3];
const read = (p: string): string | undefined => {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
};

const out: Record<string, unknown> = { kernelBefore: osHostname(), etcBefore: read("/etc/hostname") };
const inoBefore = statSync("/etc/hostname").ino;
const h = makeContext("hostname", want);
const params: Record<string, Value> = pretty === undefined ? {} : { pretty_hostname: pretty };
const res = new HostnameResource(want, params, { ...SYSTEM_HOSTNAME_HOST, kernelPollMs: 10 });
out.validate = res.validate() ?? null;
await res.init(h.ctx);
const w = await recordWatch(res);
try {
  out.noop = await res.checkApply(false, h.abort.signal);
  out.kernelAfterNoop = osHostname();
  out.apply = await res.checkApply(true, h.abort.signal);
  out.kernel = osHostname();
  out.etc = read("/etc/hostname");
  out.machineInfo = read("/etc/machine-info") ?? null;
  out.inoChanged = statSync("/etc/hostname").ino !== inoBefore;
  out.again = await res.checkApply(true, h.abort.signal);

  // drift: the kernel hostname (polled)
  let n = w.times.length;
  writeFileSync("/proc/sys/kernel/hostname", "drifted");
  await w.next(n);
  out.kernelDriftFixed = (await res.checkApply(true, h.abort.signal)) === false && osHostname() === want;

  // drift: /etc/hostname (inotify)
  await new Promise((r) => setTimeout(r, 50)); // let our own write's events drain
  n = w.times.length;
  writeFileSync("/etc/hostname", "someone-else\n");
  await w.next(n);
  out.etcDriftFixed = (await res.checkApply(true, h.abort.signal)) === false && read("/etc/hostname") === `${want}\n`;
  out.logs = h.logs;
} catch (e) {
  out.error = String(e);
} finally {
  w.stop();
  await res.cleanup();
  removeTempDirs();
}
process.stdout.write(JSON.stringify(out) + "\n");
