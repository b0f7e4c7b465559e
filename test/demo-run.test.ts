/**
 * The demos of issue 4 §4 through the real command line (`steward run --tmp-prefix --log-format
 * json`): parallelism, drift events and graph swap. Timing is read from the agent's own JSON event
 * stream (`t` is wall-clock ms with µs resolution, `ms` the checkApply duration), never from the
 * wall clock around the spawn: tsx start-up on a loaded machine takes seconds. The tight numbers
 * (100 ms correction, 0.3 s parallel overhead) belong to the benchmarks; here the bounds are loose.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { describe, test } from "node:test";
import { read, startRun, until, workdirs, type RunEvent } from "./cli-run-harness.js";

const workdir = workdirs("demo-run");

/** Same clock as the agent's `t` (run-logger's nowMs). */
const now = (): number => performance.timeOrigin + performance.now();

/** Replace `path` atomically, as editors do. */
function save(path: string, text: string): void {
  writeFileSync(path + ".swp", text);
  renameSync(path + ".swp", path);
}

const isCheck = (vertex: string) => (e: RunEvent) => e.event === "checkapply" && e.vertex === vertex;

describe("demos", { concurrency: 3 }, () => {
  test("parallelism: a chain of three `sleep 1` runs serially, an independent `sleep 1.5` alongside it", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    writeFileSync(
      prog,
      [
        'exec "a" {\n\tcmd => "/bin/sleep",\n\targs => ["1"],\n}',
        'exec "b" {\n\tcmd => "/bin/sleep",\n\targs => ["1"],\n}',
        'exec "c" {\n\tcmd => "/bin/sleep",\n\targs => ["1"],\n}',
        'exec "x" {\n\tcmd => "/bin/sleep",\n\targs => ["1.5"],\n}',
        'Exec["a"] -> Exec["b"] -> Exec["c"]',
        "",
      ].join("\n"),
    );
    const run = startRun(["--converged-timeout", "1", prog]);
    try {
      const { code } = await run.exited;
      assert.equal(code, 0, run.text() + run.events.map((e) => JSON.stringify(e)).join("\n"));
      const span = (name: string): { start: number; end: number } => {
        const ca = run.events.find((e) => isCheck(`exec[${name}]`)(e) && e["changed"] === true);
        assert.ok(ca, `no changing checkapply for exec[${name}]`);
        const ms = ca["ms"] as number;
        assert.ok(ms >= 900, `exec[${name}] took only ${ms} ms`);
        return { start: ca.t - ms, end: ca.t };
      };
      const [a, b, c, x] = ["a", "b", "c", "x"].map(span) as [ReturnType<typeof span>, ReturnType<typeof span>, ReturnType<typeof span>, ReturnType<typeof span>];
      // serial chain: each step starts after its parent ended (1 ms slack for rounding of t/ms)
      assert.ok(b.start >= a.end - 1, `b started ${a.end - b.start} ms before a ended`);
      assert.ok(c.start >= b.end - 1, `c started ${b.end - c.start} ms before b ended`);
      // the independent one overlaps the chain
      assert.ok(x.start < b.end, `x started at +${Math.round(x.start - a.start)} ms, after b ended at +${Math.round(b.end - a.start)} ms`);
      assert.ok(x.end > a.start, "x ended before the chain started");
      const start = run.events.find((e) => e.event === "start")!.t;
      const exit = run.events.at(-1)!;
      assert.equal(exit.event, "exit");
      const total = exit.t - start;
      assert.ok(total >= 3000, `total ${total} ms < 3 s`);
      const first = Math.min(a.start, x.start);
      const last = Math.max(c.end, x.end);
      console.log(
        `parallelism demo: chain ${Math.round(a.start - first)}..${Math.round(c.end - first)} ms, independent ${Math.round(x.start - first)}..${Math.round(x.end - first)} ms; ` +
          `applies ${Math.round(last - first)} ms (critical path 3000 ms); start→exit ${Math.round(total)} ms (incl. compile and the 1 s converged timeout)`,
      );
    } finally {
      run.stop();
    }
  });

  test("events: delete, chmod, create and append are each corrected by the running agent", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    const f = (i: number): string => join(d, `f${i}`);
    const body = (i: number): string => `content of f${i}\n`;
    const lines: string[] = [];
    for (const i of [1, 2, 3]) lines.push(`file ${JSON.stringify(f(i))} {\n\tstate => "exists",\n\tcontent => ${JSON.stringify(body(i))},\n\tmode => "0644",\n}`);
    lines.push(`file ${JSON.stringify(f(4))} {\n\tstate => "absent",\n}`);
    writeFileSync(prog, lines.join("\n") + "\n");
    const run = startRun(["--max-runtime", "120", prog]);
    try {
      await run.waitFor((e) => e.event === "converged" && e["converged"] === true, 60_000);
      for (const i of [1, 2, 3]) assert.equal(read(f(i)), body(i));
      assert.equal(read(f(4)), undefined);
      assert.equal(statSync(f(1)).mode & 0o777, 0o644);
      const mark = run.events.length;

      const acted: Record<string, number> = {};
      acted[f(2)] = now();
      unlinkSync(f(2));
      acted[f(1)] = now();
      chmodSync(f(1), 0o600);
      acted[f(4)] = now();
      writeFileSync(f(4), "intruder\n");
      acted[f(3)] = now();
      appendFileSync(f(3), "more\n");

      await until(
        () =>
          read(f(1)) === body(1) &&
          (statSync(f(1)).mode & 0o777) === 0o644 &&
          read(f(2)) === body(2) &&
          read(f(3)) === body(3) &&
          read(f(4)) === undefined,
        10_000,
        "all four corrections",
      );
      // every correction's checkapply is in the stream by now or very soon
      for (const i of [1, 2, 3, 4]) await run.waitFor((e) => isCheck(`file[${f(i)}]`)(e) && e["changed"] === true, 10_000, mark);
      // and nothing else changes afterwards
      await new Promise((r) => setTimeout(r, 300));
      const fixes = run.events.slice(mark).filter((e) => e.event === "checkapply" && e["changed"] === true);
      assert.equal(fixes.length, 4, `corrections: ${fixes.map((e) => e.vertex).join(", ")}`);
      const report: string[] = [];
      for (const i of [1, 2, 3, 4]) {
        const mine = fixes.filter((e) => e.vertex === `file[${f(i)}]`);
        assert.equal(mine.length, 1, `f${i} corrected ${mine.length} times`);
        const latency = mine[0]!.t - acted[f(i)]!;
        report.push(`f${i} ${latency.toFixed(1)} ms`);
        assert.ok(latency <= 1000, `f${i} corrected after ${latency} ms`);
      }
      console.log(`events demo correction latency (action → checkapply t): ${report.join(", ")}`);
    } finally {
      run.stop();
    }
  });

  test("swap: 50 resources, one file edited → exactly one vertex replaced, the exec watcher's process kept, the other 48 untouched; a metaparam change replaces", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    const marker = String(3_000_000 + Math.floor(Math.random() * 900_000_000));
    const files = Array.from({ length: 49 }, (_, i) => join(d, `f${String(i).padStart(2, "0")}`));
    const program = (changed: string, meta: string): string =>
      files
        .map((p, i) => {
          const content = i === 0 ? changed : `file ${i}\n`;
          const m = i === 1 ? meta : "";
          return `file ${JSON.stringify(p)} {\n\tstate => "exists",\n\tcontent => ${JSON.stringify(content)},\n${m}}`;
        })
        .concat([`exec "w" {\n\tcmd => "/bin/true",\n\twatchcmd => "/bin/sleep ${marker}",\n}`])
        .join("\n") + "\n";
    const pidOf = (): string => execFileSync("pgrep", ["-f", `^/bin/sleep ${marker}$`], { encoding: "utf8" }).trim();
    writeFileSync(prog, program("one\n", ""));
    const run = startRun(["--max-runtime", "120", prog]);
    try {
      await run.waitFor((e) => e.event === "converged" && e["converged"] === true, 60_000);
      const first = run.events.find((e) => e.event === "swap")!;
      assert.equal((first["added"] as string[]).length, 50);
      await until(() => {
        try {
          return pidOf() !== "";
        } catch {
          return false;
        }
      }, 10_000, "the watchcmd process");
      const pid = pidOf();
      assert.match(pid, /^\d+$/, `pgrep found ${JSON.stringify(pid)}`);

      // 1. one file's content changes
      let mark = run.events.length;
      save(prog, program("two\n", ""));
      const swap = await run.waitFor((e) => e.event === "swap", 30_000, mark);
      const v0 = `file[${files[0]}]`;
      assert.deepEqual(swap["replaced"], [v0]);
      assert.deepEqual(swap["added"], []);
      assert.deepEqual(swap["removed"], []);
      assert.equal(swap["kept"], 49);
      await until(() => read(files[0]!) === "two\n", 10_000, "the edited content");
      await run.waitFor((e) => isCheck(v0)(e) && e["changed"] === true, 10_000, mark);
      await new Promise((r) => setTimeout(r, 300));
      const lifecycle = new Set(["init", "cleanup", "watch-start", "watch-stop", "checkapply"]);
      const touched = run.events.slice(mark).filter((e) => lifecycle.has(e.event) && e.vertex !== undefined);
      const others = touched.filter((e) => e.vertex !== v0);
      assert.deepEqual(others.map((e) => `${e.event} ${e.vertex}`), [], "vertices other than the edited one were touched");
      assert.ok(touched.some((e) => e.event === "init"), "the replaced vertex was not initialised");
      assert.equal(pidOf(), pid, "the exec watcher was restarted");

      // 2. a metaparam of another file changes
      mark = run.events.length;
      save(prog, program("two\n", "\tMeta:retry => 2,\n"));
      const swap2 = await run.waitFor((e) => e.event === "swap", 30_000, mark);
      assert.deepEqual(swap2["replaced"], [`file[${files[1]}]`]);
      assert.deepEqual(swap2["added"], []);
      assert.deepEqual(swap2["removed"], []);
      await run.waitFor((e) => isCheck(`file[${files[1]}]`)(e), 10_000, mark);
      await new Promise((r) => setTimeout(r, 300));
      const others2 = run.events.slice(mark).filter((e) => lifecycle.has(e.event) && e.vertex !== undefined && e.vertex !== `file[${files[1]}]`);
      assert.deepEqual(others2.map((e) => `${e.event} ${e.vertex}`), []);
      assert.equal(pidOf(), pid, "the exec watcher was restarted");
      console.log(`swap demo: content edit swap ${String(swap["ms"])} ms, metaparam edit swap ${String(swap2["ms"])} ms; watcher pid ${pid} kept`);
    } finally {
      run.stop();
    }
  });
});
