/**
 * Test helpers for the `pkg` tests: the machine's dpkg state before a test file, and its restoration
 * afterwards (packages the tests installed are purged, holds are released, packages they removed
 * are reinstalled). Not a .test.ts file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { dpkgLockHolder } from "../../stdlib/resources/pkg-dpkg.js";

const ENV = { ...process.env, LC_ALL: "C", DEBIAN_FRONTEND: "noninteractive" };

/** Installed package names (`name:arch` for every installed package); `anyState`: also those with config files left. */
export function installedSet(anyState = false): Set<string> {
  const out = execFileSync("dpkg-query", ["-W", "-f=${Package}:${Architecture}\\t${Status}\\n"], { encoding: "utf8", env: ENV, maxBuffer: 64 << 20 });
  const s = new Set<string>();
  for (const line of out.split("\n")) {
    const [p, status] = line.split("\t");
    if (p && (status?.endsWith(" installed") || (anyState && status?.endsWith(" config-files")))) s.add(p);
  }
  return s;
}

export function isInstalledNow(name: string): boolean {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", name], { encoding: "utf8", env: ENV });
  return r.status === 0 && r.stdout.endsWith(" installed");
}

/** Run a command as a person would at a shell; throws with its stderr when it fails. */
export function sh(cmd: string, args: readonly string[]): string {
  // test files run two at a time: another file's apt run may hold the dpkg lock for a while,
  // and a person at a shell would simply try again once it is free
  const deadline = Date.now() + 300_000;
  for (;;) {
    const r = spawnSync(cmd, args, { encoding: "utf8", env: ENV });
    if (r.status === 0) return r.stdout;
    if (!/lock/i.test(r.stderr) || Date.now() > deadline) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
    waitUnlocked();
    spawnSync("sleep", ["0.2"]);
  }
}

/** Block until no process holds a dpkg lock (an apt run of ours may still be running its triggers). */
export function waitUnlocked(ms = 300_000): void {
  const deadline = Date.now() + ms;
  while (dpkgLockHolder() !== undefined && Date.now() < deadline) spawnSync("sleep", ["0.1"]);
}

/** Make sure `names` are absent before a test (by hand, like a person would, once dpkg is free). */
export function removeByHand(...names: string[]): void {
  waitUnlocked();
  const present = names.filter(isInstalledNow);
  if (present.length > 0) sh("dpkg", ["-r", ...present]);
}

/**
 * Record the dpkg state now; the returned function puts it back for the packages this test file
 * owns (`owned`, with the dependencies they pull in): test files run concurrently, and another
 * file's packages are that file's business.
 */
export function snapshotMachine(owned: readonly string[]): () => void {
  const before = installedSet();
  const known = installedSet(true);
  const mine = (p: string): boolean => owned.includes(p.split(":")[0]!);
  return () => {
    waitUnlocked();
    spawnSync("apt-mark", ["unhold", ...owned], { env: ENV });
    const now = installedSet();
    const added = [...installedSet(true)].filter((p) => !known.has(p) && mine(p));
    const lost = [...before].filter((p) => !now.has(p) && mine(p));
    if (added.length > 0) sh("apt-get", ["purge", "-q", "-y", "-o", "DPkg::Lock::Timeout=120", ...added]);
    if (lost.length > 0) sh("apt-get", ["install", "-q", "-y", "-o", "DPkg::Lock::Timeout=120", ...lost]);
  };
}
