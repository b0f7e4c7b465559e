import { test, after } from "node:test";
import * as assert from "node:assert/strict";
import { chmodSync, chownSync, existsSync, rmSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, unlinkSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { getKindImpl } from "../../runtime/engine/resource.js";
import "../../stdlib/resources/file.js";
import { resolveMode } from "../../stdlib/resources/file-mode.js";
import { invalid, makeContext, recordWatch, removeTempDirs, start, tempDir, until } from "./harness.js";

after(removeTempDirs);

const modeOf = (p: string): number => statSync(p).mode & 0o7777;

test("content: create, idempotent, drift fixed, noop changes nothing", async () => {
  const d = tempDir();
  const f = join(d, "a.txt");
  const { res, h } = await start("file", f, { state: "exists", content: "hello\n", mode: "0640" });
  assert.equal(await res.checkApply(false, h.abort.signal), false, "noop: would create");
  assert.equal(existsSync(f), false, "noop created nothing");
  assert.match(h.logs.join("\n"), /would create file with 6 bytes/);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(f, "utf8"), "hello\n");
  assert.equal(modeOf(f), 0o640);
  assert.equal(await res.checkApply(true, h.abort.signal), true, "second run: nothing to do");
  writeFileSync(f, "tampered");
  chmodSync(f, 0o600);
  assert.equal(await res.checkApply(false, h.abort.signal), false);
  assert.equal(readFileSync(f, "utf8"), "tampered", "noop left content");
  assert.equal(modeOf(f), 0o600, "noop left mode");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(f, "utf8"), "hello\n");
  assert.equal(modeOf(f), 0o640);
  assert.deepEqual(readdirSync(d), ["a.txt"], "no temp files left behind");
  assert.ok(h.logs.includes("info: content fixed"), h.logs.join("\n"));
  assert.ok(h.logs.includes("info: mode 0600 → 0640"), h.logs.join("\n"));
  await res.cleanup();
});

test("content rewrite is atomic and keeps unmanaged mode and owner", async () => {
  const d = tempDir();
  const f = join(d, "keep");
  writeFileSync(f, "old");
  chmodSync(f, 0o604);
  chownSync(f, 65534, 65534);
  const inode = statSync(f).ino;
  const { res, h } = await start("file", f, { content: "new" });
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  const st = statSync(f);
  assert.equal(readFileSync(f, "utf8"), "new");
  assert.notEqual(st.ino, inode, "replaced by rename, not rewritten in place");
  assert.equal(st.mode & 0o7777, 0o604);
  assert.equal(st.uid, 65534);
  assert.equal(st.gid, 65534);
});

test("state unset: a missing file stays missing; content applies once it exists", async () => {
  const d = tempDir();
  const f = join(d, "maybe");
  const { res, h } = await start("file", f, { content: "x" });
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.equal(existsSync(f), false);
  writeFileSync(f, "y");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(f, "utf8"), "x");
});

test("mode: octal and symbolic forms", () => {
  assert.equal(resolveMode("0644", 0o777, false), 0o644);
  assert.equal(resolveMode("755", 0, false), 0o755);
  assert.equal(resolveMode("u=rw,go=r", 0o777, false), 0o644);
  assert.equal(resolveMode("a+x", 0o644, false), 0o755);
  assert.equal(resolveMode("g-w,o-rwx", 0o777, false), 0o750);
  assert.equal(resolveMode("+X", 0o644, true), 0o755);
  assert.equal(resolveMode("+X", 0o644, false), 0o644);
  assert.equal(resolveMode("u+s,+t", 0o755, false), 0o5755);
  assert.equal(resolveMode("g=u", 0o740, false), 0o770);
  assert.match(invalid("file", "/tmp/x", { mode: "0999" }) ?? "", /invalid mode/);
  assert.match(invalid("file", "/tmp/x", { mode: "u=rwq" }) ?? "", /invalid mode/);
});

test("mode: symbolic applied to a real file", async () => {
  const d = tempDir();
  const f = join(d, "sym");
  writeFileSync(f, "");
  chmodSync(f, 0o600);
  const { res, h } = await start("file", f, { mode: "go+r" });
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(modeOf(f), 0o644);
  assert.equal(await res.checkApply(true, h.abort.signal), true);
});

test("owner and group: names and numeric ids, to nobody/nogroup and back", async () => {
  const d = tempDir();
  const f = join(d, "owned");
  writeFileSync(f, "");
  const a = await start("file", f, { owner: "nobody", group: "nogroup" });
  assert.equal(await a.res.checkApply(true, a.h.abort.signal), false);
  assert.equal(statSync(f).uid, 65534);
  assert.equal(statSync(f).gid, 65534);
  assert.equal(await a.res.checkApply(true, a.h.abort.signal), true);
  assert.ok(a.h.logs.includes("info: owner 0:0 → 65534:65534"), a.h.logs.join("\n"));
  const b = await start("file", f, { owner: "0", group: "root" });
  assert.equal(await b.res.checkApply(true, b.h.abort.signal), false);
  assert.equal(statSync(f).uid, 0);
  assert.equal(statSync(f).gid, 0);
  const c = await start("file", f, { owner: "no-such-user-here" });
  await assert.rejects(c.res.checkApply(true, c.h.abort.signal), /unknown user/);
});

test("state absent removes files, symlinks, and directories (non-empty only with recurse or force)", async () => {
  const d = tempDir();
  const f = join(d, "gone");
  writeFileSync(f, "x");
  const a = await start("file", f, { state: "absent" });
  assert.equal(await a.res.checkApply(false, a.h.abort.signal), false);
  assert.ok(existsSync(f), "noop kept it");
  assert.equal(await a.res.checkApply(true, a.h.abort.signal), false);
  assert.equal(existsSync(f), false);
  assert.equal(await a.res.checkApply(true, a.h.abort.signal), true);

  const dir = join(d, "dir");
  mkdirSync(join(dir, "sub"), { recursive: true });
  writeFileSync(join(dir, "sub", "x"), "");
  const b = await start("file", dir + "/", { state: "absent" });
  await assert.rejects(b.res.checkApply(true, b.h.abort.signal), /not empty; set recurse or force/);
  const c = await start("file", dir + "/", { state: "absent", recurse: true });
  assert.equal(await c.res.checkApply(true, c.h.abort.signal), false);
  assert.equal(existsSync(dir), false);
});

test("directories: create, recurse creates parents, purge removes unmanaged entries", async () => {
  const d = tempDir();
  const deep = join(d, "a", "b", "c") + "/";
  const nr = await start("file", deep, { state: "exists" });
  await assert.rejects(nr.res.checkApply(true, nr.h.abort.signal), /parent directory .* does not exist \(set recurse/);
  const r = await start("file", deep, { state: "exists", recurse: true, mode: "0750" });
  assert.equal(await r.res.checkApply(true, r.h.abort.signal), false);
  assert.ok(statSync(deep).isDirectory());
  assert.equal(modeOf(deep), 0o750);
  assert.equal(await r.res.checkApply(true, r.h.abort.signal), true);

  // purge: keeps what other file resources manage (and directories holding such paths)
  const top = join(d, "purged") + "/";
  mkdirSync(join(top, "keepdir"), { recursive: true });
  mkdirSync(join(top, "junkdir", "deeper"), { recursive: true });
  writeFileSync(join(top, "junk"), "");
  writeFileSync(join(top, "managed"), "");
  writeFileSync(join(top, "keepdir", "managed2"), "");
  writeFileSync(join(top, "keepdir", "junk2"), "");
  const m1 = await start("file", join(top, "managed"), { content: "" });
  const m2 = await start("file", join(top, "keepdir", "managed2"), { content: "" });
  const p = await start("file", top, { state: "exists", recurse: true, purge: true });
  assert.equal(await p.res.checkApply(false, p.h.abort.signal), false);
  assert.ok(existsSync(join(top, "junk")), "noop purged nothing");
  assert.equal(await p.res.checkApply(true, p.h.abort.signal), false);
  assert.deepEqual(readdirSync(top).sort(), ["keepdir", "managed"]);
  assert.deepEqual(readdirSync(join(top, "keepdir")), ["managed2"]);
  assert.equal(await p.res.checkApply(true, p.h.abort.signal), true);
  await m1.res.cleanup();
  await m2.res.cleanup();
  await p.res.cleanup();
});

test("force: file ↔ directory replacement needs force", async () => {
  const d = tempDir();
  const x = join(d, "x");
  writeFileSync(x, "i am a file");
  const a = await start("file", x + "/", { state: "exists" });
  await assert.rejects(a.res.checkApply(true, a.h.abort.signal), /is a file, want a dir; set force/);
  const b = await start("file", x + "/", { state: "exists", force: true });
  assert.equal(await b.res.checkApply(true, b.h.abort.signal), false);
  assert.ok(statSync(x).isDirectory());
  writeFileSync(join(x, "child"), "");
  const c = await start("file", x, { state: "exists", content: "file again" });
  await assert.rejects(c.res.checkApply(true, c.h.abort.signal), /is a dir, want a file; set force/);
  const e = await start("file", x, { state: "exists", content: "file again", force: true });
  assert.equal(await e.res.checkApply(true, e.h.abort.signal), false);
  assert.equal(readFileSync(x, "utf8"), "file again");
});

test("a symlink where a file is wanted is followed", async () => {
  const d = tempDir();
  writeFileSync(join(d, "real"), "old");
  symlinkSync("real", join(d, "link"));
  const { res, h } = await start("file", join(d, "link"), { state: "exists", content: "via link" });
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readlinkSync(join(d, "link")), "real", "link kept");
  assert.equal(readFileSync(join(d, "real"), "utf8"), "via link");
});

test("symlink: create, retarget, replace a file only with force", async () => {
  const d = tempDir();
  const l = join(d, "l");
  const a = await start("file", l, { state: "exists", symlink: true, source: "/etc/hostname" });
  assert.equal(await a.res.checkApply(true, a.h.abort.signal), false);
  assert.equal(readlinkSync(l), "/etc/hostname");
  assert.equal(await a.res.checkApply(true, a.h.abort.signal), true);
  const b = await start("file", l, { state: "exists", symlink: true, source: "relative/target" });
  assert.equal(await b.res.checkApply(true, b.h.abort.signal), false);
  assert.equal(readlinkSync(l), "relative/target");
  const f = join(d, "plain");
  writeFileSync(f, "");
  const c = await start("file", f, { state: "exists", symlink: true, source: "/etc/hostname" });
  await assert.rejects(c.res.checkApply(true, c.h.abort.signal), /is a file, want a symlink; set force/);
  const e = await start("file", f, { state: "exists", symlink: true, source: "/etc/hostname", force: true });
  assert.equal(await e.res.checkApply(true, e.h.abort.signal), false);
  assert.ok(lstatSync(f).isSymbolicLink());
  assert.match(invalid("file", f, { symlink: true }) ?? "", /needs source/);
});

test("source: copy a file; sync a directory tree with purge", async () => {
  const d = tempDir();
  writeFileSync(join(d, "src.txt"), "copied");
  chmodSync(join(d, "src.txt"), 0o755);
  const a = await start("file", join(d, "dst.txt"), { state: "exists", source: join(d, "src.txt") });
  assert.equal(await a.res.checkApply(true, a.h.abort.signal), false);
  assert.equal(readFileSync(join(d, "dst.txt"), "utf8"), "copied");
  assert.equal(modeOf(join(d, "dst.txt")), 0o755, "a new copy takes the source's mode");
  assert.equal(await a.res.checkApply(true, a.h.abort.signal), true);

  const src = join(d, "tree") + "/";
  mkdirSync(join(src, "sub"), { recursive: true });
  writeFileSync(join(src, "one"), "1");
  writeFileSync(join(src, "sub", "two"), "2");
  symlinkSync("one", join(src, "ln"));
  const dst = join(d, "copy") + "/";
  mkdirSync(dst);
  writeFileSync(join(dst, "stale"), "");
  const b = await start("file", dst, { state: "exists", source: src, recurse: true, purge: true });
  assert.equal(await b.res.checkApply(true, b.h.abort.signal), false);
  assert.deepEqual(readdirSync(dst).sort(), ["ln", "one", "sub"]);
  assert.equal(readFileSync(join(dst, "sub", "two"), "utf8"), "2");
  assert.equal(readlinkSync(join(dst, "ln")), "one");
  assert.equal(await b.res.checkApply(true, b.h.abort.signal), true);
  writeFileSync(join(dst, "sub", "two"), "drift");
  assert.equal(await b.res.checkApply(true, b.h.abort.signal), false);
  assert.equal(readFileSync(join(dst, "sub", "two"), "utf8"), "2");
  assert.match(invalid("file", dst, { source: src }) ?? "", /needs recurse/);
  assert.match(invalid("file", dst, { source: join(d, "src.txt") }) ?? "", /both be directories/);
});

test("fragments: files and directories' files, concatenated in order", async () => {
  const d = tempDir();
  writeFileSync(join(d, "head"), "HEAD\n");
  mkdirSync(join(d, "parts"));
  writeFileSync(join(d, "parts", "20-b"), "b\n");
  writeFileSync(join(d, "parts", "10-a"), "a\n");
  mkdirSync(join(d, "parts", "ignored-subdir"));
  const out = join(d, "out");
  const { res, h } = await start("file", out, { state: "exists", fragments: [join(d, "head"), join(d, "parts") + "/"] });
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(out, "utf8"), "HEAD\na\nb\n");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  // a new fragment file is noticed by the watch and applied
  const w = await recordWatch(res);
  await w.next(0);
  writeFileSync(join(d, "parts", "30-c"), "c\n");
  await w.next(1);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(out, "utf8"), "HEAD\na\nb\nc\n");
  w.stop();
});

test("dirname / basename override the path's parts", async () => {
  const d = tempDir();
  const { res, h } = await start("file", "anything", { path: "/nowhere/orig.txt", dirname: d + "/", basename: "renamed.txt", state: "exists", content: "z" });
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(join(d, "renamed.txt"), "utf8"), "z");
  assert.match(invalid("file", "x", { path: "/a/b", dirname: "/no-slash" }) ?? "", /dirname must end/);
});

test("content received along send/recv replaces the param", async () => {
  const d = tempDir();
  const f = join(d, "recv");
  const { res, h } = await start("file", f, { state: "exists", content: "param" });
  h.setRecv("content", "from exec\n");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(f, "utf8"), "from exec\n");
  assert.equal(getKindImpl("file")?.recvable, true);
});

test("watch: startup event; delete, chmod, chown, append, atomic replace each raise an event (latency printed)", async () => {
  const d = tempDir();
  const f = join(d, "watched");
  const { res, h } = await start("file", f, { state: "exists", content: "w\n" });
  await res.checkApply(true, h.abort.signal);
  const w = await recordWatch(res);
  await w.next(0);
  const lat: Record<string, number> = {};
  const step = async (what: string, act: () => void): Promise<void> => {
    const n = w.times.length;
    const t0 = performance.now();
    act();
    const t = await w.next(n);
    lat[what] = t - t0;
    await res.checkApply(true, h.abort.signal);
  };
  await step("delete", () => unlinkSync(f));
  assert.equal(readFileSync(f, "utf8"), "w\n", "restored");
  await step("chmod", () => chmodSync(f, 0o777));
  await step("chown", () => chownSync(f, 65534, 65534));
  await step("append", () => appendFileSync(f, "more"));
  assert.equal(readFileSync(f, "utf8"), "w\n");
  // repeated delete → event → repair, the drift-correction loop the engine runs
  const trials: number[] = [];
  for (let i = 0; i < 200; i++) {
    const n = w.times.length;
    const t0 = performance.now();
    unlinkSync(f);
    await w.next(n);
    await res.checkApply(true, h.abort.signal);
    trials.push(performance.now() - t0);
    assert.equal(readFileSync(f, "utf8"), "w\n");
  }
  trials.sort((a, b) => a - b);
  const q = (x: number): string => trials[Math.min(trials.length - 1, Math.floor(x * trials.length))]!.toFixed(3);
  console.log(`file watch latency (ms): ${Object.entries(lat).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(", ")}`);
  console.log(`delete → event → restored (ms, 200 trials): p50 ${q(0.5)} p99 ${q(0.99)} max ${q(1)}`);
  for (const v of Object.values(lat)) assert.ok(v < 100, `event latency ${v} ms`);
  w.stop();
  assert.deepEqual(w.errors, []);
});

test("watch: a recursed, purged directory reports changes inside it", async () => {
  const d = tempDir();
  const top = join(d, "tree") + "/";
  const { res, h } = await start("file", top, { state: "exists", recurse: true, purge: true });
  await res.checkApply(true, h.abort.signal);
  const w = await recordWatch(res);
  await w.next(0);
  mkdirSync(join(top, "sub"));
  await w.next(1);
  const n = w.times.length;
  writeFileSync(join(top, "sub", "intruder"), "");
  await w.next(n);
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(readdirSync(top), []);
  // the directory itself deleted and re-created: the watch re-arms inside the new one
  const m = w.times.length;
  rmSync(top, { recursive: true });
  await w.next(m);
  assert.equal(await res.checkApply(true, h.abort.signal), false, "recreated");
  await new Promise((r) => setTimeout(r, 20)); // let the events of our own mkdir drain
  const tw = performance.now();
  writeFileSync(join(top, "again"), "");
  await until(() => w.times.some((t) => t > tw), "an event from inside the re-created directory");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(readdirSync(top), []);
  w.stop();
});

test("reversal: captures the prior state at init", async () => {
  const d = tempDir();
  const fresh = join(d, "fresh");
  const a = await start("file", fresh, { state: "exists", content: "new" });
  assert.deepEqual(await a.res.reversal?.(), { params: { path: fresh, state: "absent" } });

  const old = join(d, "old");
  writeFileSync(old, "before\n");
  chmodSync(old, 0o600);
  const b = await start("file", old, { state: "exists", content: "after\n", mode: "0644" });
  await b.res.checkApply(true, b.h.abort.signal);
  assert.deepEqual(await b.res.reversal?.(), { params: { path: old, state: "exists", content: "before\n", mode: "0600" } });

  const c = await start("file", old, { state: "absent" });
  const rev = await c.res.reversal?.();
  assert.equal(rev?.params["state"], "exists");
  assert.equal(rev?.params["content"], "after\n");
  // the reversal is itself a valid file resource that restores the file
  await c.res.checkApply(true, c.h.abort.signal);
  assert.equal(existsSync(old), false);
  const r = await start("file", old, rev!.params);
  await r.res.checkApply(true, r.h.abort.signal);
  assert.equal(readFileSync(old, "utf8"), "after\n");
  assert.equal(modeOf(old), 0o644);
});

test("reversal: without Meta:reverse (ctx.reverse false) init captures nothing", async () => {
  const d = tempDir();
  const p = join(d, "kept");
  writeFileSync(p, "before\n");
  const h = makeContext("file", p);
  const { res } = await start("file", p, { state: "exists", content: "after\n" }, { ...h, ctx: { ...h.ctx, reverse: false } });
  assert.equal(await res.reversal?.(), undefined);
});

test("autoedges: the path is the uid; parent dirs nearest first, fragments and source are seeks", () => {
  const impl = getKindImpl("file")!;
  const e = impl.autoedges!("/a/b/c.txt", { fragments: ["/f/1"] });
  assert.deepEqual(e.uids, [{ kind: "file", key: "/a/b/c.txt" }]);
  assert.deepEqual(e.seeks, [
    [{ kind: "file", key: "/a/b/" }, { kind: "file", key: "/a/" }, { kind: "file", key: "/" }],
    [{ kind: "file", key: "/f/1" }],
  ]);
  const dir = impl.autoedges!("/a/b/", {});
  assert.deepEqual(dir.uids, [{ kind: "file", key: "/a/b/" }]);
  assert.deepEqual(dir.seeks, [[{ kind: "file", key: "/a/" }, { kind: "file", key: "/" }]]);
});

test("validate: mgmt's rules", () => {
  const v = (name: string, p: Record<string, import("../../lang/values.js").Value>) => invalid("file", name, p);
  assert.equal(v("/ok", { content: "x" }), undefined);
  assert.match(v("relative", {}) ?? "", /must be absolute/);
  assert.match(v("/x", { state: "present" }) ?? "", /state must be/);
  assert.match(v("/x", { content: "a", source: "/b" }) ?? "", /only specify one/);
  assert.match(v("/x", { state: "absent", content: "a" }) ?? "", /state is absent/);
  assert.match(v("/x/", { content: "a" }) ?? "", /directory/);
  assert.match(v("/x/", { purge: true }) ?? "", /purge needs recurse/);
  assert.match(v("/x", { fragments: ["rel"] }) ?? "", /must be absolute/);
  assert.match(v("/x", { selinux: "system_u:object_r:etc_t:s0" }) ?? "", /selinux/);
});
