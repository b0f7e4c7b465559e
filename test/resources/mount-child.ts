/**
 * Run by mount.test.ts inside `unshare --mount --propagation private`, after /etc has been
 * overlaid with a throw-away upper dir and /run/mount covered by a tmpfs (libmount's utab): drives
 * the `mount` kind against the real /etc/fstab, mount(8), umount(8) and /proc/self/mountinfo of
 * that namespace. argv[2] is a temp directory. Prints one JSON line of observations.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MapValue, type Value } from "../../lang/values.js";
import { MountResource } from "../../stdlib/resources/mount.js";
import { mountAt } from "../../stdlib/resources/mount-spec.js";
import { mountWatchPid } from "../../stdlib/resources/mount-watch.js";
import { makeContext, pidGone, recordWatch, until } from "./harness.js";

const dir = process.argv[2]!;
const out: Record<string, unknown> = {};
const fstab = (): string => readFileSync("/etc/fstab", "utf8");
const at = (p: string) => mountAt(readFileSync("/proc/self/mountinfo", "utf8"), p);
const sh = (cmd: string, ...args: string[]): string => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50)); // our own writes' events drain
const opts = (o: Record<string, string>): MapValue => new MapValue(Object.entries(o));
const make = async (target: string, params: Record<string, Value>) => {
  const h = makeContext("mount", target);
  const res = new MountResource(target, params);
  await res.init(h.ctx);
  return { res, h };
};

const tmpT = join(dir, "mnt", "scratch space"); // a space: fstab and mountinfo escape it
mkdirSync(tmpT, { recursive: true });
out.fstabBefore = fstab();
const { res, h } = await make(tmpT, { state: "exists", device: "tmpfs", type: "tmpfs", options: opts({ size: "1m", mode: "0700" }) });
out.validate = res.validate() ?? null;
const w = await recordWatch(res);
try {
  out.noop = await res.checkApply(false, h.abort.signal);
  out.noopMounted = at(tmpT) !== undefined;
  out.noopFstab = fstab();
  out.apply = await res.checkApply(true, h.abort.signal);
  out.mounted = at(tmpT);
  out.fstab = fstab();
  out.again = await res.checkApply(true, h.abort.signal);

  // drift: unmounted by hand → an event (findmnt --poll) → mounted again
  await settle();
  let n = w.times.length;
  const t0 = performance.now();
  sh("umount", tmpT);
  const tEvent = await w.next(n);
  out.umountDrift = await res.checkApply(true, h.abort.signal);
  out.remountMs = performance.now() - t0;
  out.eventMs = tEvent - t0;
  out.remounted = at(tmpT);

  // drift: the fstab entry deleted by an editor (temp file + rename) → event → written again
  await settle();
  n = w.times.length;
  writeFileSync("/etc/fstab.new", out.fstabBefore as string);
  renameSync("/etc/fstab.new", "/etc/fstab");
  await w.next(n);
  out.fstabDrift = await res.checkApply(true, h.abort.signal);
  out.fstabFixed = fstab();
  out.findmntPid = mountWatchPid() ?? null;
  out.watchErrors = w.errors.map(String);
} finally {
  w.stop();
}
await until(() => out.findmntPid === null || pidGone(out.findmntPid as number), "findmnt --poll stopped with the last watch");
out.findmntStopped = mountWatchPid() === undefined;

// a loop-mounted ext4 image
const img = join(dir, "disk.img");
writeFileSync(img, "");
sh("truncate", "-s", "8M", img);
sh("mkfs.ext4", "-q", "-F", img);
const loopT = join(dir, "mnt", "loop");
mkdirSync(loopT);
const loop = await make(loopT, { state: "exists", device: img, type: "ext4", options: opts({ loop: "", noatime: "" }), passno: 2n });
out.loopApply = await loop.res.checkApply(true, loop.h.abort.signal);
out.loopMounted = at(loopT);
writeFileSync(join(loopT, "hello"), "on ext4\n");
out.loopAgain = await loop.res.checkApply(true, loop.h.abort.signal);

// absent: unmounted, entries removed; both tables end as they began
for (const [t, extra] of [[tmpT, {}], [loopT, {}]] as const) {
  const gone = await make(t, { state: "absent", ...extra });
  out[`absent ${t === tmpT ? "tmp" : "loop"}`] = [await gone.res.checkApply(true, gone.h.abort.signal), at(t) ?? null, await gone.res.checkApply(true, gone.h.abort.signal)];
}
out.fstabAfter = fstab();

// failures are one-line reasons
const fail = async (target: string, params: Record<string, Value>): Promise<string> => {
  const { res: r, h: hh } = await make(target, params);
  try {
    await r.checkApply(true, hh.abort.signal);
    return "no error";
  } catch (e) {
    return String(e);
  }
};
out.noDir = await fail(join(dir, "missing"), { state: "exists", device: "tmpfs", type: "tmpfs" });
mkdirSync(join(dir, "mnt", "bad"));
out.badDevice = await fail(join(dir, "mnt", "bad"), { state: "exists", device: join(dir, "no-such.img"), type: "ext4", options: opts({ loop: "" }) });
out.fstabEnd = fstab();
out.logs = [...h.logs, ...loop.h.logs];
process.stdout.write(JSON.stringify(out) + "\n");
