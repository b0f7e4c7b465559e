/**
 * The interruptable trait (issue 4 §1, engine-reference.md §2.2 InterruptableRes, §4.8): a
 * checkApply that ignores its AbortSignal is hard-stopped through the resource's `interrupt()` on
 * shutdown, on `Meta:timeout` and when a swap removes its vertex and the run can't drain. With the
 * real `exec` kind: its process group (which ignores SIGTERM) is SIGKILLed within 1 s.
 */
import { test, after } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeGraph, makeVertex, META_DEFAULTS, type Meta } from "../../lang/resource-graph.js";
import type { Value } from "../../lang/values.js";
import { registerKind } from "../../runtime/engine/resource.js";
import "../../stdlib/resources/exec.js";
import { harness, until } from "./probe.js";

/** Test kind `stubborn`: checkApply ignores its signal and ends only through interrupt(). */
const stubborn = { started: 0, interrupts: [] as number[], settled: [] as number[] };
registerKind({
  kind: "stubborn",
  create: () => {
    let release: (() => void) | undefined;
    return {
      validate: () => undefined,
      init: async () => {},
      watch: async (sink) => {
        sink.event();
        return () => {};
      },
      checkApply: async () => {
        stubborn.started = performance.now();
        await new Promise<void>((r) => (release = r));
        stubborn.settled.push(performance.now());
        return true;
      },
      interrupt: () => {
        stubborn.interrupts.push(performance.now());
        release?.();
      },
      cleanup: async () => {},
    };
  },
});

const dirs: string[] = [];
const pids = new Set<number>();
after(() => {
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL"); // a failed test leaves nothing running
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "steward-interrupt-"));
  dirs.push(d);
  return d;
}

/**
 * Whether process group `pgid` still has a live member. Zombies don't count: a killed grandchild is
 * reparented to PID 1, which may take a while to reap it (and kill(-pgid, 0) still finds it).
 */
function alive(pgid: number): boolean {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid pgrp …; comm may contain spaces, so split after the last ')'
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(f[2]) === pgid && f[0] !== "Z") return true;
  }
  return false;
}

const vertex = (kind: string, name: string, params: Record<string, Value>, meta: Partial<Meta> = {}) => makeVertex(kind, name, params, { ...META_DEFAULTS, ...meta });

/** An exec whose group ignores SIGTERM (the polite stop) and writes its pgid to `pidFile`. */
function stubbornExec(pidFile: string, meta: Partial<Meta> = {}) {
  return vertex("exec", "stubborn", { shell: "/bin/sh", cmd: `trap "" TERM; echo $$ > ${pidFile}; sleep 30 & wait; wait` }, meta);
}

async function pidOf(file: string): Promise<number> {
  await until(() => existsSync(file) && readFileSync(file, "utf8").trim() !== "", 5000, `pid file ${file}`);
  const pid = Number(readFileSync(file, "utf8").trim());
  pids.add(pid);
  return pid;
}

test("shutdown: a checkApply that ignores its signal is interrupted, and shutdown ends within 1 s", async () => {
  stubborn.interrupts.length = 0;
  stubborn.settled.length = 0;
  const h = harness();
  await h.engine.apply(makeGraph([vertex("stubborn", "s", {})], []));
  await until(() => stubborn.started > 0, 2000, "checkApply to start");
  const t0 = performance.now();
  await h.engine.shutdown();
  const took = performance.now() - t0;
  assert.equal(stubborn.interrupts.length, 1, "interrupt() called once");
  assert.equal(stubborn.settled.length, 1, "the checkApply really ended");
  assert.ok(took < 1000, `shutdown took ${took.toFixed(0)} ms`);
  assert.ok(h.trace.some((e) => e.t === "interrupt" && e.vertex === "stubborn[s]"));
});

test("forced shutdown interrupts at once", async () => {
  stubborn.interrupts.length = 0;
  stubborn.started = 0;
  const h = harness();
  await h.engine.apply(makeGraph([vertex("stubborn", "f", {})], []));
  await until(() => stubborn.started > 0, 2000, "checkApply to start");
  const t0 = performance.now();
  await h.engine.shutdown(true);
  assert.equal(stubborn.interrupts.length, 1);
  assert.ok(stubborn.interrupts[0]! - t0 < 50, "interrupted without waiting for the grace");
  await h.engine.shutdown();
});

test("swap removal: an in-flight run that does not drain is aborted, then interrupted", async () => {
  stubborn.interrupts.length = 0;
  stubborn.started = 0;
  const h = harness({ removeDrainMs: 100 });
  await h.engine.apply(makeGraph([vertex("stubborn", "r", {})], []));
  await until(() => stubborn.started > 0, 2000, "checkApply to start");
  const t0 = performance.now();
  await h.engine.apply(makeGraph([], []));
  const took = performance.now() - t0;
  assert.equal(stubborn.interrupts.length, 1);
  assert.ok(took < 1000, `swap took ${took.toFixed(0)} ms`);
  assert.equal(h.count("cleanup", "stubborn[r]"), 1);
  await h.engine.shutdown();
});

test("exec: shutdown kills a SIGTERM-ignoring command's whole group within 1 s", async () => {
  const d = tmp();
  const pidFile = join(d, "pgid");
  const h = harness();
  await h.engine.apply(makeGraph([stubbornExec(pidFile)], []));
  const pgid = await pidOf(pidFile);
  assert.ok(alive(pgid));
  const t0 = performance.now();
  await h.engine.shutdown();
  await until(() => !alive(pgid), 1000, "the process group to die");
  const took = performance.now() - t0;
  assert.ok(took < 1000, `group gone after ${took.toFixed(0)} ms`);
  assert.ok(h.events.some((e) => e.event === "log" && e.vertex === "exec[stubborn]" && e.message === "checkApply interrupted"));
});

test("exec: Meta:timeout aborts and interrupts; the group is gone within 1 s of the timeout", async () => {
  const d = tmp();
  const pidFile = join(d, "pgid");
  const h = harness();
  const t0 = performance.now();
  await h.engine.apply(makeGraph([stubbornExec(pidFile, { timeout: 1 })], []));
  const pgid = await pidOf(pidFile);
  await until(() => h.events.some((e) => e.event === "error" && e.vertex === "exec[stubborn]"), 3000, "the timeout error");
  const err = h.events.find((e) => e.event === "error" && e.vertex === "exec[stubborn]");
  assert.match(err && "message" in err ? err.message : "", /timeout after 1 seconds/);
  const tErr = performance.now();
  await until(() => !alive(pgid), 1000, "the process group to die");
  const took = performance.now() - t0;
  assert.ok(took < 2000 + 500, `group gone ${took.toFixed(0)} ms after start (timeout 1 s)`);
  assert.ok(performance.now() - tErr < 1000);
  await h.engine.shutdown();
});
