import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import { join } from "node:path";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { HostnameResource, hostnameProblem, prettyFromMachineInfo, withPretty, type HostnameHost } from "../../stdlib/resources/hostname.js";
import { invalid, makeContext, recordWatch, removeTempDirs, tempDir } from "./harness.js";

after(removeTempDirs);

/** Fake host files in a temp dir; "kernel" is a plain file standing in for /proc/sys/kernel/hostname. */
function fakeHost(kernel = "old", etc: string | undefined = "old\n"): HostnameHost {
  const d = tempDir("steward-hostname-");
  const host = { etcHostname: join(d, "hostname"), machineInfo: join(d, "machine-info"), kernelHostname: join(d, "kernel"), kernelPollMs: 10 };
  writeFileSync(host.kernelHostname, kernel + "\n");
  if (etc !== undefined) writeFileSync(host.etcHostname, etc, { mode: 0o644 });
  return host;
}

test("hostname: validation of static/transient names and the pretty name", () => {
  assert.equal(getKindImpl("hostname")!.refreshable, undefined);
  assert.equal(invalid("hostname", "web1.example.com", {}), undefined);
  assert.match(invalid("hostname", "bad name", {})!, /static_hostname "bad name" must be letters/);
  assert.match(invalid("hostname", "x", { transient_hostname: "a..b" })!, /transient_hostname/);
  assert.match(invalid("hostname", "x", { hostname: "a".repeat(65) })!, /longer than 64/);
  assert.match(invalid("hostname", "x", { pretty_hostname: "a\nb" })!, /control characters/);
  assert.equal(invalid("hostname", "x", { pretty_hostname: "Jo's \"laptop\" $HOME" }), undefined);
  assert.equal(hostnameProblem("-ok_too"), undefined);
});

test("hostname: machine-info editing keeps other lines and round-trips quoting", () => {
  const text = 'CHASSIS=laptop\nPRETTY_HOSTNAME="old"\nICON_NAME=computer\n';
  const next = withPretty(text, 'Jo\'s "box" $x');
  assert.equal(next, 'CHASSIS=laptop\nPRETTY_HOSTNAME="Jo\'s \\"box\\" \\$x"\nICON_NAME=computer\n');
  assert.equal(prettyFromMachineInfo(next), 'Jo\'s "box" $x');
  assert.equal(withPretty("", "p"), 'PRETTY_HOSTNAME="p"\n');
  assert.equal(prettyFromMachineInfo("A=1\n"), undefined);
});

test("hostname: sets kernel + /etc/hostname atomically (mode kept), pretty only when set; noop changes nothing", async () => {
  const host = fakeHost();
  statSync(host.etcHostname);
  const ino = statSync(host.etcHostname).ino;
  const h = makeContext("hostname", "web1");
  const res = new HostnameResource("web1", {}, host);
  await res.init(h.ctx);
  assert.equal(await res.checkApply(false, h.abort.signal), false);
  assert.equal(readFileSync(host.etcHostname, "utf8"), "old\n");
  assert.equal(readFileSync(host.kernelHostname, "utf8"), "old\n");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(host.kernelHostname, "utf8"), "web1");
  assert.equal(readFileSync(host.etcHostname, "utf8"), "web1\n");
  assert.notEqual(statSync(host.etcHostname).ino, ino, "replaced by rename");
  assert.equal(statSync(host.etcHostname).mode & 0o777, 0o644);
  assert.throws(() => statSync(host.machineInfo), "pretty unmanaged");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.deepEqual(h.logs, ['info: transient hostname set to "web1" (was "old")', 'info: static hostname set to "web1"']);
});

test("hostname: separate static / transient / pretty names; comments in /etc/hostname are ignored", async () => {
  const host = fakeHost("t1", "# managed\ns1\n");
  writeFileSync(host.machineInfo, "CHASSIS=vm\n");
  const h = makeContext("hostname", "x");
  const res = new HostnameResource("x", { hostname: "fallback", static_hostname: "s1", transient_hostname: "t1", pretty_hostname: "Pretty One" }, host);
  assert.equal(res.validate(), undefined);
  await res.init(h.ctx);
  assert.equal(await res.checkApply(true, h.abort.signal), false, "only the pretty name was wrong");
  assert.equal(readFileSync(host.etcHostname, "utf8"), "# managed\ns1\n");
  assert.equal(readFileSync(host.machineInfo, "utf8"), 'CHASSIS=vm\nPRETTY_HOSTNAME="Pretty One"\n');
  assert.equal(await res.checkApply(true, h.abort.signal), true);
});

test("hostname: watch reports /etc/hostname edits and kernel hostname changes", async () => {
  const host = fakeHost("web1", "web1\n");
  const h = makeContext("hostname", "web1");
  const res = new HostnameResource("web1", {}, host);
  await res.init(h.ctx);
  const w = await recordWatch(res);
  try {
    assert.equal(await res.checkApply(true, h.abort.signal), true);
    writeFileSync(host.etcHostname, "other\n");
    await w.next(1);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    await new Promise((r) => setTimeout(r, 30)); // our own rename's events
    const n = w.times.length;
    writeFileSync(host.kernelHostname, "drift\n");
    await w.next(n);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    assert.equal(readFileSync(host.kernelHostname, "utf8"), "web1");
  } finally {
    w.stop();
  }
});

/** Run hostname-child.ts in a private UTS + mount namespace with a private /etc; `bindFile` also bind-mounts a file over /etc/hostname (as containers do). */
function runInNamespace(bindFile: boolean, args: string[]): Record<string, unknown> {
  const d = tempDir("steward-uts-");
  for (const s of ["upper", "work"]) mkdirSync(join(d, s));
  writeFileSync(join(d, "etc-hostname"), "before-bind\n");
  const mounts = [`mount -t overlay overlay -o lowerdir=/etc,upperdir=${d}/upper,workdir=${d}/work /etc`];
  if (bindFile) mounts.push(`mount --bind ${d}/etc-hostname /etc/hostname`);
  const script = `set -e; ${mounts.join(" && ")}; exec "$0" --import tsx test/resources/hostname-child.ts "$@"`;
  const r = spawnSync("unshare", ["--uts", "--mount", "sh", "-c", script, process.execPath, ...args], { cwd: join(import.meta.dirname, "../.."), encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, `child failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  out.dir = d;
  return out;
}

const canUnshare = process.getuid?.() === 0 && spawnSync("unshare", ["--uts", "--mount", "true"]).status === 0;

test("hostname: in a private UTS+mount namespace: kernel hostname and /etc/hostname via rename; drift corrected", { skip: !canUnshare && "needs root and unshare" }, () => {
  const realHost = osHostname();
  const realEtc = readFileSync("/etc/hostname", "utf8");
  const out = runInNamespace(false, ["steward-ns-a", "Steward NS"]);
  assert.equal(out.error, undefined);
  assert.equal(out.validate, null);
  assert.equal(out.noop, false);
  assert.equal(out.kernelAfterNoop, realHost, "noop changed nothing");
  assert.equal(out.apply, false);
  assert.equal(out.kernel, "steward-ns-a");
  assert.equal(out.etc, "steward-ns-a\n");
  assert.equal(out.inoChanged, true, "atomic replace");
  assert.match(String(out.machineInfo), /^PRETTY_HOSTNAME="Steward NS"$/m);
  assert.equal(out.again, true);
  assert.equal(out.kernelDriftFixed, true);
  assert.equal(out.etcDriftFixed, true);
  // the writes landed in the overlay's upper dir, not the real /etc
  assert.equal(readFileSync(join(String(out.dir), "upper", "hostname"), "utf8"), "steward-ns-a\n");
  assert.equal(osHostname(), realHost);
  assert.equal(readFileSync("/etc/hostname", "utf8"), realEtc);
});

test("hostname: /etc/hostname bind-mounted (container style): rename gets EBUSY, rewritten in place", { skip: !canUnshare && "needs root and unshare" }, () => {
  const realHost = osHostname();
  const realEtc = readFileSync("/etc/hostname", "utf8");
  const out = runInNamespace(true, ["steward-ns-b"]);
  assert.equal(out.error, undefined);
  assert.equal(out.apply, false);
  assert.equal(out.kernel, "steward-ns-b");
  assert.equal(out.etc, "steward-ns-b\n");
  assert.equal(out.inoChanged, false, "same inode: written in place");
  assert.equal(out.machineInfo, (() => { try { return readFileSync("/etc/machine-info", "utf8"); } catch { return null; } })(), "pretty unmanaged");
  assert.ok((out.logs as string[]).some((l) => /is a mount point \(EBUSY\)/.test(l)));
  assert.equal(out.etcDriftFixed, true);
  assert.equal(readFileSync(join(String(out.dir), "etc-hostname"), "utf8"), "steward-ns-b\n", "the bind source got the write");
  assert.equal(osHostname(), realHost);
  assert.equal(readFileSync("/etc/hostname", "utf8"), realEtc);
});
