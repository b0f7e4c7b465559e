import { test, after } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MapValue, type Value } from "../../lang/values.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import "../../stdlib/resources/exec.js";
import { invalid, makeContext, pidGone, recordWatch, removeTempDirs, start, tempDir, until } from "./harness.js";

/** Every pid a test saw; anything still alive at the end is killed by pid. */
const seenPids = new Set<number>();
after(() => {
  for (const pid of seenPids) if (!pidGone(pid)) process.kill(pid, "SIGKILL");
  removeTempDirs();
});

/** Wait for a pid file written by a test command; records the pid for teardown. */
async function pidFrom(file: string): Promise<number> {
  await until(() => existsSync(file) && readFileSync(file, "utf8").trim() !== "", `pid file ${file}`);
  const pid = Number(readFileSync(file, "utf8").trim());
  seenPids.add(pid);
  return pid;
}

const last = (sent: readonly Readonly<Record<string, Value>>[]) => sent[sent.length - 1];

test("args: argv exec without a shell ($HOME stays literal); sends stdout/stderr/output", async () => {
  const { res, h } = await start("exec", "echo", { cmd: "/bin/echo", args: ["$HOME", "a  b", "*"] });
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.deepEqual(last(h.sent), { output: "$HOME a  b *\n", stdout: "$HOME a  b *\n", stderr: "" });
  assert.match(h.logs.join("\n"), /ran "\/bin\/echo" \(exit 0/);
});

test("cmd alone is split on whitespace (no shell) and found on the default PATH despite the empty env", async () => {
  const { res, h } = await start("exec", "x", { cmd: "echo  one   $USER" });
  await res.checkApply(true, h.abort.signal);
  assert.equal(last(h.sent)?.["stdout"], "one $USER\n");
});

test("shell: cmd passes through the shell; env is empty unless given; stderr and combined output", async () => {
  const a = await start("exec", "sh", { shell: "/bin/sh", cmd: 'echo "[$HOME]"; sleep 0.05; echo err >&2; sleep 0.05; echo $((1+2))' });
  await a.res.checkApply(true, a.h.abort.signal);
  const s = last(a.h.sent)!;
  assert.equal(s["stdout"], "[]\n3\n");
  assert.equal(s["stderr"], "err\n");
  // combined = arrival order across the two pipes (the sleeps make it deterministic here)
  assert.equal(s["output"], "[]\nerr\n3\n");
  const b = await start("exec", "env", { shell: "/bin/sh", cmd: 'echo "$FOO $BAR"', env: new MapValue([["FOO", "foo"], ["BAR", "b a r"]]) });
  await b.res.checkApply(true, b.h.abort.signal);
  assert.equal(last(b.h.sent)?.["stdout"], "foo b a r\n");
  const c = await start("exec", "envlist", { shell: "/bin/sh", cmd: 'echo "$FOO"', env: ["FOO=x=y"] });
  await c.res.checkApply(true, c.h.abort.signal);
  assert.equal(last(c.h.sent)?.["stdout"], "x=y\n");
});

test("cwd, and a failing command is an error carrying its stderr", async () => {
  const d = tempDir();
  const a = await start("exec", "pwd", { cmd: "pwd", cwd: d });
  await a.res.checkApply(true, a.h.abort.signal);
  assert.equal(last(a.h.sent)?.["stdout"], d + "\n");
  const b = await start("exec", "fail", { shell: "/bin/sh", cmd: "echo boom >&2; exit 3" });
  await assert.rejects(b.res.checkApply(true, b.h.abort.signal), /exited with code 3: boom/);
  assert.equal(b.h.sent.length, 0, "nothing sent after a failure");
  const c = await start("exec", "missing", { cmd: "no-such-command-anywhere" });
  await assert.rejects(c.res.checkApply(true, c.h.abort.signal), /command not found/);
});

test("no guard: runs on every checkApply; noop runs nothing", async () => {
  const d = tempDir();
  const f = join(d, "count");
  const { res, h } = await start("exec", "count", { shell: "/bin/sh", cmd: `echo x >> ${f}` });
  assert.equal(await res.checkApply(false, h.abort.signal), false);
  assert.equal(existsSync(f), false, "noop ran nothing");
  assert.match(h.logs.join("\n"), /would run/);
  for (let i = 0; i < 3; i++) assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(f, "utf8"), "x\nx\nx\n");
});

test("ifcmd / ifequals / nifcmd / creates guards; donecmd after success", async () => {
  const d = tempDir();
  const mark = join(d, "ran");
  const done = join(d, "done");
  const cmd = `touch ${mark}`;
  const ran = (): boolean => {
    const r = existsSync(mark);
    if (r) unlinkSync(mark);
    return r;
  };
  const check = async (params: Record<string, Value>): Promise<boolean> => {
    const { res, h } = await start("exec", "guarded", { shell: "/bin/sh", cmd, ...params });
    return res.checkApply(true, h.abort.signal);
  };
  assert.equal(await check({ ifcmd: "false" }), true);
  assert.equal(ran(), false, "ifcmd non-zero skips");
  assert.equal(await check({ ifcmd: "true" }), false);
  assert.equal(ran(), true, "ifcmd zero runs");
  assert.equal(await check({ ifcmd: "echo same", ifshell: "/bin/sh", ifequals: "same\n" }), true);
  assert.equal(ran(), false, "ifequals match skips");
  assert.equal(await check({ ifcmd: "echo other", ifshell: "/bin/sh", ifequals_stdout: "same\n" }), false);
  assert.equal(ran(), true);
  assert.equal(await check({ nifcmd: "true" }), true);
  assert.equal(ran(), false, "nifcmd zero skips");
  assert.equal(await check({ nifcmd: "false" }), false);
  assert.equal(ran(), true);
  const created = join(d, "created");
  assert.equal(await check({ creates: created, donecmd: `touch ${done}`, doneshell: "/bin/sh" }), false);
  assert.equal(ran(), true, "creates missing runs");
  assert.ok(existsSync(done), "donecmd ran");
  writeFileSync(created, "");
  assert.equal(await check({ creates: created }), true);
  assert.equal(ran(), false, "creates present skips");
  await assert.rejects(check({ donecmd: "false" }), /donecmd "false" exited with code 1/);
});

test("mtimes: a newer file forces a run past the guards", async () => {
  const d = tempDir();
  const m = join(d, "m");
  writeFileSync(m, "");
  const count = join(d, "count");
  const h = makeContext("exec", "mt");
  const { res } = await start("exec", "mt", { shell: "/bin/sh", cmd: `echo x >> ${count}`, ifcmd: "false", mtimes: [m] }, h);
  assert.equal(await res.checkApply(true, h.abort.signal), false, "no stamp yet: runs");
  assert.equal(await res.checkApply(true, h.abort.signal), true, "ifcmd skips now");
  const future = new Date(Date.now() + 5000);
  utimesSync(m, future, future);
  assert.equal(await res.checkApply(true, h.abort.signal), false, "touched: runs");
  assert.equal(readFileSync(count, "utf8"), "x\nx\n");
});

test("output cache: a skipped run sends the last output, also after a restart; send_* fallbacks", async () => {
  const d = tempDir();
  const created = join(d, "c");
  const h1 = makeContext("exec", "cached");
  const a = await start("exec", "cached", { shell: "/bin/sh", cmd: `echo hi; touch ${created}`, creates: created }, h1);
  await a.res.checkApply(true, h1.abort.signal);
  assert.equal(last(h1.sent)?.["stdout"], "hi\n");
  // a new instance (a restart) with the same state dir: skipped by `creates`, sends the cache
  const h2 = makeContext("exec", "cached", h1.stateDir);
  const b = await start("exec", "cached", { shell: "/bin/sh", cmd: `echo hi; touch ${created}`, creates: created }, h2);
  assert.equal(await b.res.checkApply(true, h2.abort.signal), true);
  assert.deepEqual(last(h2.sent), { output: "hi\n", stdout: "hi\n", stderr: "" });
  const c = await start("exec", "fallback", { cmd: "true", creates: created, send_stdout: "dflt" });
  assert.equal(await c.res.checkApply(true, c.h.abort.signal), true);
  assert.deepEqual(last(c.h.sent), { stdout: "dflt" });
  assert.deepEqual(getKindImpl("exec")?.sends, ["output", "stdout", "stderr"]);
});

test("timeout kills the whole process group", async () => {
  const d = tempDir();
  const p1 = join(d, "sh.pid");
  const p2 = join(d, "sleep.pid");
  const { res, h } = await start("exec", "slow", { shell: "/bin/sh", cmd: `echo $$ > ${p1}; sleep 100 & echo $! > ${p2}; wait`, timeout: 1n });
  const t0 = performance.now();
  await assert.rejects(res.checkApply(true, h.abort.signal), /timed out after 1 s/);
  const took = performance.now() - t0;
  const [sh, sleep] = [await pidFrom(p1), await pidFrom(p2)];
  await until(() => pidGone(sh) && pidGone(sleep), "the group to die", 2000);
  assert.ok(took < 2000, `took ${took} ms`);
});

test("abort kills the group: SIGTERM, then SIGKILL for what ignores it", async () => {
  const d = tempDir();
  const p1 = join(d, "a.pid");
  const a = await start("exec", "abortme", { shell: "/bin/sh", cmd: `sleep 100 & echo $! > ${p1}; wait` });
  const ca = a.res.checkApply(true, a.h.abort.signal);
  const sleep = await pidFrom(p1);
  a.h.abort.abort(new Error("shutting down"));
  await assert.rejects(ca, /shutting down/);
  await until(() => pidGone(sleep), "sleep to die");

  const p2 = join(d, "b.pid");
  const ctl = new AbortController();
  const b = await start("exec", "stubborn", { shell: "/bin/sh", cmd: `trap "" TERM; echo $$ > ${p2}; while :; do sleep 0.05; done` });
  const cb = b.res.checkApply(true, ctl.signal);
  const sh = await pidFrom(p2);
  const t0 = performance.now();
  ctl.abort(new Error("timeout metaparam"));
  await assert.rejects(cb, /timeout metaparam/);
  await until(() => pidGone(sh), "stubborn shell to die");
  const took = performance.now() - t0;
  console.log(`SIGTERM-ignoring group killed after ${took.toFixed(0)} ms`);
  assert.ok(took < 1500, `took ${took} ms`);
});

test("interrupt(): the running command's whole group is SIGKILLed at once, even one that ignores SIGTERM", async () => {
  const d = tempDir();
  const p = join(d, "i.pid");
  const { res, h } = await start("exec", "interruptme", { shell: "/bin/sh", cmd: `trap "" TERM; echo $$ > ${p}; while :; do sleep 0.05; done` });
  const run = res.checkApply(true, h.abort.signal);
  const sh = await pidFrom(p);
  const t0 = performance.now();
  res.interrupt?.();
  await assert.rejects(run, /exited on SIGKILL/);
  await until(() => pidGone(sh), "the shell to die");
  const took = performance.now() - t0;
  assert.ok(took < 1000, `took ${took} ms`);
  res.interrupt?.(); // nothing running: a no-op
});

test("user/group: runs as nobody (primary group when only user is set)", async () => {
  const a = await start("exec", "id", { shell: "/bin/sh", cmd: "id -u; id -g; id -G", user: "nobody" });
  await a.res.checkApply(true, a.h.abort.signal);
  assert.equal(last(a.h.sent)?.["stdout"], "65534\n65534\n65534\n");
  const c = await start("exec", "id2", { shell: "/bin/sh", cmd: "echo $(id -u):$(id -g)", user: "65534", group: "daemon" });
  await c.res.checkApply(true, c.h.abort.signal);
  assert.equal(last(c.h.sent)?.["stdout"], "65534:1\n");
});

test("watchcmd: each non-empty line is an event; its exit is a watch error; stop kills it", async () => {
  const d = tempDir();
  const pf = join(d, "w.pid");
  const fifo = join(d, "go");
  const { res } = await start("exec", "w", {
    cmd: "true",
    watchshell: "/bin/sh",
    watchcmd: `echo $$ > ${pf}; echo one; echo; echo two; while [ ! -e ${fifo} ]; do sleep 0.02; done; echo three; sleep 100`,
  });
  const w = await recordWatch(res);
  await w.next(0);
  const pid = await pidFrom(pf);
  await w.next(2);
  assert.equal(w.times.length, 3, "startup + two lines (the empty one is no event)");
  writeFileSync(fifo, "");
  await w.next(3);
  w.stop();
  await until(() => pidGone(pid), "watchcmd to die");
  assert.deepEqual(w.errors, []);

  const e = await start("exec", "w2", { cmd: "true", watchcmd: "false" });
  const w2 = await recordWatch(e.res);
  await until(() => w2.errors.length > 0, "watch error");
  assert.match(w2.errors[0]!.message, /watchcmd exited \(code 1\)/);
  w2.stop();
});

test("watchfiles and creates are watched", async () => {
  const d = tempDir();
  const wf = join(d, "wf");
  const cr = join(d, "cr");
  const { res } = await start("exec", "wf", { cmd: "true", watchfiles: [wf], creates: cr });
  const w = await recordWatch(res);
  await w.next(0);
  const t0 = performance.now();
  writeFileSync(wf, "");
  const t1 = await w.next(1);
  writeFileSync(cr, "");
  await w.next(2);
  unlinkSync(cr);
  await w.next(3);
  console.log(`exec watchfiles event latency ${(t1 - t0).toFixed(3)} ms`);
  w.stop();
});

test("autoedges: the command's program file, creates' parent dirs, cwd, user and group", () => {
  const impl = getKindImpl("exec")!;
  const e = impl.autoedges!("x", { cmd: "sh -c true", ifcmd: "/usr/bin/test -e /x", creates: "/opt/app/bin/app", cwd: "/srv", user: "nobody", group: "nogroup" });
  const sh = existsSync("/usr/bin/sh") ? "/usr/bin/sh" : "/bin/sh";
  assert.deepEqual(e.seeks, [
    [{ kind: "file", key: sh }],
    [{ kind: "file", key: "/usr/bin/test" }],
    [{ kind: "file", key: "/opt/app/bin/" }, { kind: "file", key: "/opt/app/" }, { kind: "file", key: "/opt/" }, { kind: "file", key: "/" }],
    [{ kind: "file", key: "/srv/" }],
    [{ kind: "user", key: "nobody" }],
    [{ kind: "group", key: "nogroup" }],
  ]);
  const s = impl.autoedges!("y", { cmd: "/usr/local/bin/tool --flag && other", shell: "/bin/bash" });
  assert.deepEqual(s.seeks, [[{ kind: "file", key: "/bin/bash" }], [{ kind: "file", key: "/usr/local/bin/tool" }]]);
});

test("validate", () => {
  const v = (p: Record<string, Value>) => invalid("exec", "n", p);
  assert.equal(v({ cmd: "true" }), undefined);
  assert.match(v({ cmd: "x", args: ["a"], shell: "/bin/sh" }) ?? "", /args can't be combined with shell/);
  assert.match(v({ cmd: "x", sig: "SIGNOPE" }) ?? "", /unknown signal/);
  assert.equal(v({ cmd: "x", sig: "kill" }), undefined);
  assert.match(v({ cmd: "x", ifequals: "y" }) ?? "", /need ifcmd/);
  assert.match(v({ cmd: "x", creates: "rel" }) ?? "", /must be absolute/);
  assert.match(v({ cmd: "x", timeout: -1n }) ?? "", /timeout/);
});
