import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileSource } from "../../lang/compile.js";
import { MapValue } from "../../lang/values.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { getKind } from "../../stdlib/registry.js";
import "../../stdlib/resources/mount.js";
import { editFstab, fstabLine, mountAt, parseFstabLine, parseMount, renderOptions } from "../../stdlib/resources/mount-spec.js";
import { parsePollLine } from "../../stdlib/resources/mount-watch.js";
import { pidGone, removeTempDirs, tempDir, until } from "./harness.js";

after(removeTempDirs);

const opts = (o: Record<string, string>): MapValue => new MapValue(Object.entries(o));

test("mount: fstab lines are parsed, rendered and edited; other lines are kept", () => {
  const s = parseMount("/mnt/a b", { state: "exists", device: "UUID=1234-ABCD", type: "vfat", options: opts({ umask: "077", defaults: "", noatime: "" }), passno: 2n });
  assert.equal(renderOptions(s.options), "defaults,noatime,umask=077");
  assert.equal(fstabLine(s), "UUID=1234-ABCD\t/mnt/a\\040b\tvfat\tdefaults,noatime,umask=077\t0\t2");
  assert.deepEqual(parseFstabLine("UUID=1234-ABCD  /mnt/a\\040b vfat noatime,umask=077,defaults 0 2"), { device: "UUID=1234-ABCD", target: "/mnt/a b", type: "vfat", options: new Map([["noatime", ""], ["umask", "077"], ["defaults", ""]]), freq: 0n, passno: 2n });
  assert.equal(parseFstabLine("# /mnt/a b"), undefined);
  assert.equal(parseMount("/m", { state: "exists" }).options.get("defaults"), "", "options default to defaults");

  const base = "# UNCONFIGURED FSTAB\nproc /proc proc defaults 0 0\n";
  const added = editFstab(base, s)!;
  assert.equal(added, base + fstabLine(s) + "\n");
  assert.equal(editFstab(added, s), undefined, "same entry (options in any order): nothing to do");
  assert.equal(editFstab(base + "UUID=1234-ABCD /mnt/a\\040b vfat umask=077,noatime,defaults 0 2\n", s), undefined);
  assert.equal(editFstab(base + "/dev/sdb1 /mnt/a\\040b ext4 defaults 0 0\n/dev/sdc1 /mnt/a\\040b ext4 defaults 0 0\n", s), base + fstabLine(s) + "\n", "wrong and duplicate entries replaced by one");
  assert.equal(editFstab(added, { ...s, state: "absent" }), base);
  assert.equal(editFstab(base, { ...s, state: "absent" }), undefined);
  assert.equal(editFstab(fstabLine(s) + "\n", { ...s, state: "absent" }), "");
});

test("mount: mountinfo and findmnt --poll lines are decoded", () => {
  const info = [
    "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
    "40 22 0:35 / /mnt/a\\040b rw,relatime - tmpfs tmpfs rw,size=1024k",
    "41 40 0:36 / /mnt/a\\040b rw,relatime shared:2 master:1 - ext4 /dev/loop0 rw",
  ].join("\n");
  assert.deepEqual(mountAt(info, "/mnt/a b"), { target: "/mnt/a b", type: "ext4", source: "/dev/loop0" }, "the top mount wins");
  assert.equal(mountAt(info, "/mnt"), undefined);
  assert.deepEqual(parsePollLine("umount /tmp/a\\x20b "), { action: "umount", target: "/tmp/a b", oldTarget: undefined });
  assert.deepEqual(parsePollLine("move /new /old"), { action: "move", target: "/new", oldTarget: "/old" });
});

test("mount: validation (schema hook and resource agree)", () => {
  const v = getKind("mount")!.validate!;
  const ok = { state: "exists", device: "tmpfs", type: "tmpfs" };
  assert.equal(v("/mnt/x", ok), undefined);
  assert.equal(v("/mnt/x", { ...ok, device: "LABEL=data" }), undefined);
  assert.equal(v("/mnt/x", { ...ok, device: "/dev/disk/by-id/x" }), undefined);
  assert.equal(v("/mnt/x", { state: "absent" }), undefined, "absent needs no device");
  assert.match(v("mnt/x", ok)!, /must be an absolute path/);
  assert.match(v("/mnt/x/", ok)!, /clean path/);
  assert.match(v("/mnt/../x", ok)!, /clean path/);
  assert.match(v("/mnt/x", { ...ok, state: "" })!, /state must be "exists" or "absent"/);
  assert.match(v("/mnt/x", { ...ok, device: "" })!, /device is required/);
  assert.match(v("/mnt/x", { ...ok, type: "" })!, /type is required/);
  assert.match(v("/mnt/x", { ...ok, device: "FOO=bar" })!, /unknown tag "FOO"/);
  assert.match(v("/mnt/x", { ...ok, device: "UUID=" })!, /empty UUID/);
  assert.match(v("/mnt/x", { ...ok, device: "a b" })!, /whitespace/);
  assert.match(v("/mnt/x", { ...ok, type: "ext4 ro" })!, /not a filesystem type/);
  assert.match(v("/mnt/x", { ...ok, options: opts({ "a,b": "" }) })!, /option name/);
  assert.match(v("/mnt/x", { ...ok, options: opts({ size: "1m,ro" }) })!, /must not contain commas/);
  assert.match(v("/mnt/x", { ...ok, passno: -1n })!, /passno must be in/);
  assert.equal(getKindImpl("mount")!.create("/mnt/x", { ...ok, type: "" }).validate(), v("/mnt/x", { ...ok, type: "" }));
});

test("mount: autoedges from the mount point directory and an image file", () => {
  const impl = getKindImpl("mount")!;
  assert.deepEqual(impl.autoedges!("/mnt/x", { state: "exists", device: "/srv/disk.img", type: "ext4" }).seeks, [[{ kind: "file", key: "/mnt/x/" }], [{ kind: "file", key: "/srv/disk.img" }]]);
  assert.deepEqual(impl.autoedges!("/mnt/x", { state: "exists", device: "tmpfs", type: "tmpfs" }).seeks, [[{ kind: "file", key: "/mnt/x/" }]]);
  assert.equal(getKind("mount")!.traits.autoedge, true);
});

test("mount: steward check type-checks its fields", () => {
  const good = compileSource(`mount "/mnt/x" {\n\tstate => "exists",\n\tdevice => "tmpfs",\n\ttype => "tmpfs",\n\toptions => {"size" => "1m"},\n\tfreq => 0,\n\tpassno => 0,\n}\n`);
  assert.deepEqual(good.diagnostics.map((d) => d.message), []);
  const bad = compileSource(`mount "/mnt/x" {\n\tstate => "exists",\n\toptions => ["size=1m"],\n}\n`);
  assert.ok(bad.diagnostics.some((d) => /type error/.test(d.message) || /map/.test(d.message)), bad.diagnostics.map((d) => d.message).join("\n"));
});

test("mount: in a private mount namespace: tmpfs and a loop image mounted through /etc/fstab, drift corrected, absent undoes it", () => {
  const hostFstab = readFileSync("/etc/fstab", "utf8");
  const d = tempDir("steward-mount-");
  for (const s of ["upper", "work"]) mkdirSync(join(d, s));
  const script = [
    "set -e",
    `mount -t overlay overlay -o lowerdir=/etc,upperdir=${d}/upper,workdir=${d}/work /etc`,
    "mkdir -p /run/mount && mount -t tmpfs -o size=1m tmpfs /run/mount",
    `exec "$0" --import tsx test/resources/mount-child.ts ${d}`,
  ].join("; ");
  const r = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, process.execPath], { cwd: join(import.meta.dirname, "../.."), encoding: "utf8", timeout: 180_000 });
  assert.equal(r.status, 0, `child failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  const tmpT = join(d, "mnt", "scratch space");
  const loopT = join(d, "mnt", "loop");
  const tmpLine = `tmpfs\t${tmpT.replace(" ", "\\040")}\ttmpfs\tmode=0700,size=1m\t0\t0`;

  assert.equal(out.validate, null);
  assert.equal(out.noop, false);
  assert.equal(out.noopMounted, false, "noop mounted nothing");
  assert.equal(out.noopFstab, out.fstabBefore, "noop wrote nothing");
  assert.equal(out.apply, false);
  assert.deepEqual(out.mounted, { target: tmpT, type: "tmpfs", source: "tmpfs" });
  assert.equal(out.fstab, `${String(out.fstabBefore)}${tmpLine}\n`);
  assert.equal(out.again, true);
  assert.equal(out.umountDrift, false);
  assert.deepEqual(out.remounted, out.mounted, "unmounted by hand: mounted again");
  assert.equal(out.fstabDrift, false);
  assert.equal(out.fstabFixed, out.fstab, "fstab entry deleted by hand: written again");
  assert.deepEqual(out.watchErrors, []);
  assert.equal(typeof out.findmntPid, "number");
  assert.equal(out.findmntStopped, true, "the shared findmnt stops with the last watch");
  console.log(`# umount by hand → watch event ${(out.eventMs as number).toFixed(1)} ms → mounted again ${(out.remountMs as number).toFixed(1)} ms`);

  assert.equal(out.loopApply, false);
  assert.equal((out.loopMounted as { type: string }).type, "ext4");
  assert.match((out.loopMounted as { source: string }).source, /^\/dev\/loop\d+$/);
  assert.equal(out.loopAgain, true);
  assert.deepEqual(out["absent tmp"], [false, null, true]);
  assert.deepEqual(out["absent loop"], [false, null, true]);
  assert.equal(out.fstabAfter, out.fstabBefore, "absent removed exactly our entries");

  assert.equal(out.noDir, `Error: the mount point ${join(d, "missing")} is not a directory`);
  // one line, the reason without util-linux's "mount: <target>: " prefix
  assert.match(String(out.badDevice), new RegExp(`^Error: mount ${join(d, "mnt", "bad")} failed: (?!mount: )[^\\n]*no-such\\.img[^\\n]*$`));
  assert.ok((out.logs as string[]).includes(`info: mounted tmpfs on ${tmpT}`), String(out.logs));

  // nothing reached the host: its fstab, its mount table, the upper dir kept the edits
  assert.equal(readFileSync("/etc/fstab", "utf8"), hostFstab);
  assert.equal(mountAt(readFileSync("/proc/self/mountinfo", "utf8"), tmpT), undefined);
  assert.match(readFileSync(join(d, "upper", "fstab"), "utf8"), /no-such\.img/);
});

test("mount: steward run in a private mount namespace: the file resource makes the mount point, unmounted by hand it is mounted again", () => {
  const d = tempDir("steward-mount-run-");
  for (const s of ["upper", "work"]) mkdirSync(join(d, s));
  const t = join(d, "srv", "cache");
  mkdirSync(join(d, "srv"));
  writeFileSync(
    join(d, "main.mcl"),
    `file "${t}/" {\n\tstate => "exists",\n}\nmount "${t}" {\n\tstate => "exists",\n\tdevice => "tmpfs",\n\ttype => "tmpfs",\n\toptions => {"size" => "2m"},\n}\n`,
  );
  // Everything the agent starts lives and dies in the namespace; the trap kills it by PID on any failure.
  const script = `set -e
mount -t overlay overlay -o lowerdir=/etc,upperdir=${d}/upper,workdir=${d}/work /etc
mkdir -p /run/mount && mount -t tmpfs -o size=1m tmpfs /run/mount
"$0" --import tsx runtime/cli/main.ts run --tmp-prefix --max-runtime 170 ${d}/main.mcl >${d}/run.log 2>&1 &
PID=$!
trap 'kill -9 $PID 2>/dev/null || true' EXIT INT TERM
wait_for() { end=$(( $(date +%s) + $2 )); until mountpoint -q "${t}"; do [ "$(date +%s)" -lt $end ] || { echo "timed out: $1" >&2; cat ${d}/run.log >&2; exit 1; }; sleep 0.01; done; }
wait_for "first mount" 100
umount "${t}"
t0=$(date +%s%N)
wait_for "mounted again" 20
t1=$(date +%s%N)
echo "remount_ms=$(( (t1 - t0) / 1000000 ))"
grep -c "${t}" /etc/fstab
kill $PID; wait $PID || true
trap - EXIT INT TERM
`;
  // generous: the agent's start (tsx compiling the tree) takes seconds, a minute on a loaded machine
  const r = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, process.execPath], { cwd: join(import.meta.dirname, "../.."), encoding: "utf8", timeout: 180_000 });
  assert.equal(r.status, 0, `failed: ${r.stderr}\n${r.stdout}`);
  const [ms, fstabCount] = r.stdout.trim().split("\n");
  assert.match(ms!, /^remount_ms=\d+$/);
  assert.equal(fstabCount, "1", "one fstab entry");
  console.log(`# steward run: unmounted by hand → mounted again within ${ms!.split("=")[1]} ms (10 ms polling of the test)`);
  const log = readFileSync(join(d, "run.log"), "utf8");
  assert.match(log, /mount\[.*\]: mounted tmpfs on /);
  assert.ok(log.indexOf("file[") < log.indexOf("mount["), "autoedge: the directory first");
  assert.doesNotMatch(log, /^\S+ (error|warn) /m);
});

test("mount: the shared findmnt --poll dies with an agent killed by SIGKILL (no orphan)", async () => {
  const code = `import { watchMounts, mountWatchPid } from "./stdlib/resources/mount-watch.ts";
const w = watchMounts(() => {}, (e) => console.error(String(e)));
await w.ready;
console.log(mountWatchPid());
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: join(import.meta.dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] });
  let findmnt: number | undefined;
  try {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    await until(() => /^\d+\n/.test(out), "the findmnt pid", 120_000);
    findmnt = Number(out.trim());
    assert.match(readFileSync(`/proc/${findmnt}/cmdline`, "utf8"), /^findmnt\0--poll/);
    process.kill(child.pid!, "SIGKILL");
    await until(() => pidGone(findmnt!), "findmnt gone after its agent was killed");
  } finally {
    child.kill("SIGKILL");
    if (findmnt !== undefined && !pidGone(findmnt)) process.kill(findmnt, "SIGKILL");
  }
});
