import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileSource } from "../../lang/compile.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { getKind } from "../../stdlib/registry.js";
import "../../stdlib/resources/sysctl.js";
import { SysctlResource, SYSTEM_SYSCTL_HOST } from "../../stdlib/resources/sysctl.js";
import { normalizeSysctlValue, parseSysctl, sysctlConf, sysctlRelPath } from "../../stdlib/resources/sysctl-spec.js";
import { makeContext, removeTempDirs, tempDir } from "./harness.js";

after(removeTempDirs);

test("sysctl: keys map to /proc/sys paths as sysctl(8) does; values compare whitespace-insensitively", () => {
  assert.equal(sysctlRelPath("net.ipv4.ip_forward"), "net/ipv4/ip_forward");
  assert.equal(sysctlRelPath("net.ipv4.conf.eth0/100.forwarding"), "net/ipv4/conf/eth0.100/forwarding");
  assert.equal(sysctlRelPath("net/ipv4/conf/eth0.100/forwarding"), "net/ipv4/conf/eth0.100/forwarding");
  assert.equal(normalizeSysctlValue(" 4096\t87380   6291456\n"), "4096 87380 6291456");
  const s = parseSysctl("vm.swappiness", { value: "10" });
  assert.deepEqual(s, { key: "vm.swappiness", value: "10", runtime: true, persist: true, path: "/etc/sysctl.d/99-vm.swappiness.conf" });
  assert.equal(sysctlConf(s), "vm.swappiness = 10\n");
  assert.equal(parseSysctl("a/b", { value: "1" }).path, "/etc/sysctl.d/99-a.b.conf");
  assert.equal(parseSysctl("a.b", { value: "1", runtime: false, persist: false, path: "/x.conf" }).runtime, false);
});

test("sysctl: validation (schema hook and resource agree)", () => {
  const v = getKind("sysctl")!.validate!;
  assert.equal(v("net.ipv4.ip_forward", { value: "1" }), undefined);
  assert.equal(v("net.ipv4.conf.eth0/100.forwarding", { value: "1" }), undefined);
  assert.equal(v("kernel.x", { value: "1", persist: false, path: "relative" }), undefined, "path unused without persist");
  assert.match(v("net ipv4", { value: "1" })!, /sysctl key "net ipv4" must be/);
  assert.match(v("net..x", { value: "1" })!, /empty or ".." level/);
  assert.match(v("net/../kernel", { value: "1" })!, /empty or ".." level/);
  assert.match(v("a.b", {})!, /value is empty/);
  assert.match(v("a.b", { value: " \t" })!, /value is empty/);
  assert.match(v("a.b", { value: "1\n2" })!, /single line/);
  assert.match(v("a.b", { value: "1", path: "etc/x.conf" })!, /must be an absolute file path/);
  assert.match(v("a.b", { value: "1", path: "/etc/sysctl.d/x" })!, /must end in \.conf/);
  assert.equal(new SysctlResource("a b", { value: "1" }).validate(), v("a b", { value: "1" }));
  assert.equal(getKindImpl("sysctl")!.autoedges, undefined);
});

test("sysctl: steward check type-checks its fields", () => {
  const good = compileSource(`sysctl "net.ipv4.ip_forward" {\n\tvalue => "1",\n\truntime => true,\n\tpersist => false,\n\tpath => "/etc/sysctl.d/10-fwd.conf",\n}\n`);
  assert.deepEqual(good.diagnostics.map((d) => d.message), []);
  const bad = compileSource(`sysctl "net.ipv4.ip_forward" {\n\tvalue => 1,\n}\n`);
  assert.ok(bad.diagnostics.some((d) => /int != str|str != int/.test(d.message)), bad.diagnostics.map((d) => d.message).join("\n"));
});

test("sysctl: the host's real procfs, read only: a matching value is OK, noop plans a change without making it", async () => {
  const ostype = readFileSync("/proc/sys/kernel/ostype", "utf8").trim();
  const h = makeContext("sysctl", "kernel.ostype");
  const same = new SysctlResource("kernel.ostype", { value: ostype, persist: false });
  await same.init(h.ctx);
  assert.equal(await same.checkApply(false, h.abort.signal), true);
  const other = new SysctlResource("kernel.ostype", { value: "Plan9", persist: false });
  await other.init(h.ctx);
  assert.equal(await other.checkApply(false, h.abort.signal), false);
  assert.equal(readFileSync("/proc/sys/kernel/ostype", "utf8").trim(), ostype);
  assert.equal(SYSTEM_SYSCTL_HOST.pollMs, 1000, "the documented poll interval");
});

test("sysctl: in a private network namespace: sets and persists a net.* key, corrects drift of the value and of the file", () => {
  const before = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8");
  const ttlBefore = readFileSync("/proc/sys/net/ipv4/ip_default_ttl", "utf8");
  const dir = tempDir("steward-sysctl-");
  const r = spawnSync("unshare", ["--net", process.execPath, "--import", "tsx", "test/resources/sysctl-child.ts", dir], { cwd: join(import.meta.dirname, "../.."), encoding: "utf8", timeout: 180_000 });
  assert.equal(r.status, 0, `child failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  assert.equal(out.validate, null);
  assert.equal(out.noop, false);
  assert.equal(out.afterNoop, out.before, "noop changed nothing");
  assert.equal(out.noopFile, null);
  assert.equal(out.apply, false);
  assert.equal(out.value, "20000\t30000\n");
  assert.equal(out.file, "net.ipv4.ip_local_port_range = 20000  30000\n");
  assert.equal(out.again, true);
  assert.equal(out.runtimeDrift, false);
  assert.equal(out.runtimeFixed, "20000\t30000\n");
  assert.equal(out.fileDrift, false);
  assert.equal(out.fileGone, false);
  assert.equal(out.fileFixed, "net.ipv4.ip_local_port_range = 20000  30000\n");
  assert.deepEqual(out.watchErrors, []);
  assert.ok((out.logs as string[]).includes('info: net.ipv4.ip_local_port_range set to "20000 30000" (was "32768 60999")'), String(out.logs));
  assert.equal(out.ttlApply, false);
  assert.equal(out.ttl, "99\n");
  assert.equal(out.backApply, false);
  assert.equal(out.backEvent, true, "set back by hand to the value seen before our write: the poll reports it");
  assert.equal(out.backFixed, true);
  assert.equal(out.unknown, "Error: no sysctl net.ipv4.no_such_key here (/proc/sys/net/ipv4/no_such_key does not exist)");
  assert.equal(out.rejected, 'Error: can\'t set net.ipv4.ip_default_ttl to "0": EINVAL');
  // the host's namespace was never touched
  assert.equal(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8"), before);
  assert.equal(readFileSync("/proc/sys/net/ipv4/ip_default_ttl", "utf8"), ttlBefore);
});

test("sysctl: steward run in a private network namespace: a value changed by hand is set back by the 1 s poll", () => {
  const d = tempDir("steward-sysctl-run-");
  const conf = join(d, "99-ttl.conf");
  writeFileSync(join(d, "main.mcl"), `sysctl "net.ipv4.ip_default_ttl" {\n\tvalue => "77",\n\tpath => "${conf}",\n}\n`);
  const ttl = "/proc/sys/net/ipv4/ip_default_ttl";
  // The agent lives and dies in the namespace; the trap kills it by PID on any failure.
  const script = `set -e
"$0" --import tsx runtime/cli/main.ts run --tmp-prefix --max-runtime 170 ${d}/main.mcl >${d}/run.log 2>&1 &
PID=$!
trap 'kill -9 $PID 2>/dev/null || true' EXIT INT TERM
wait_for() { end=$(( $(date +%s) + $2 )); until [ "$(cat ${ttl})" = "$1" ]; do [ "$(date +%s)" -lt $end ] || { echo "timed out waiting for $1" >&2; cat ${d}/run.log >&2; exit 1; }; sleep 0.01; done; }
wait_for 77 100
# converged first: the engine's own re-check right after a fix must not be what catches the change
end=$(( $(date +%s) + 30 )); until grep -q "converged:" ${d}/run.log; do [ "$(date +%s)" -lt $end ] || exit 1; sleep 0.01; done
echo 64 > ${ttl}
t0=$(date +%s%N)
wait_for 77 20
t1=$(date +%s%N)
echo "restored_ms=$(( (t1 - t0) / 1000000 ))"
kill $PID; wait $PID || true
trap - EXIT INT TERM
`;
  const before = readFileSync(ttl, "utf8");
  const r = spawnSync("unshare", ["--net", "sh", "-c", script, process.execPath], { cwd: join(import.meta.dirname, "../.."), encoding: "utf8", timeout: 180_000 });
  assert.equal(r.status, 0, `failed: ${r.stderr}\n${r.stdout}`);
  const ms = Number(/^restored_ms=(\d+)$/m.exec(r.stdout)?.[1]);
  assert.ok(ms >= 0 && ms < 5000, `restored within the poll interval (+ load): ${ms} ms`);
  console.log(`# steward run: ip_default_ttl changed by hand → set back after ${ms} ms (poll interval 1000 ms)`);
  assert.equal(readFileSync(conf, "utf8"), "net.ipv4.ip_default_ttl = 77\n");
  const log = readFileSync(join(d, "run.log"), "utf8");
  assert.match(log, /sysctl\[net\.ipv4\.ip_default_ttl\]: net\.ipv4\.ip_default_ttl set to "77" \(was "64"\)/);
  assert.doesNotMatch(log, /^\S+ (error|warn) /m);
  assert.equal(readFileSync(ttl, "utf8"), before, "the host's value never changed");
});
