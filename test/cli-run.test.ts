/**
 * `steward run` through the real command line (architecture.md "CLI contract", issue 4 §3): one
 * agent process per test with `--tmp-prefix --log-format json`, real files in a temp directory,
 * and the JSON event stream as the witness of what happened. Agents are killed by PID in
 * `finally` (harness `stop()`).
 */
import * as assert from "node:assert/strict";
import { chmodSync, existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { read, startRun, steward, until, workdirs, type RunEvent } from "./cli-run-harness.js";

const workdir = workdirs("cli-run");

/** A program managing `files` (path → content). */
function fileProgram(files: Readonly<Record<string, string>>): string {
  return Object.entries(files)
    .map(([p, c]) => `file ${JSON.stringify(p)} {\n\tstate => "exists",\n\tcontent => ${JSON.stringify(c)},\n}\n`)
    .join("");
}

/** Replace `path` atomically, as editors do. */
function save(path: string, text: string): void {
  writeFileSync(path + ".swp", text);
  renameSync(path + ".swp", path);
}

const named = (event: string, vertex?: string) => (e: RunEvent) => e.event === event && (vertex === undefined || e.vertex === vertex);

describe("steward run", { concurrency: 3 }, () => {
  test("--converged-timeout 0: converges, writes the file, exits 0; the event stream tells the story", async () => {
    const d = workdir();
    const f = join(d, "f1");
    const prog = join(d, "main.mcl");
    writeFileSync(prog, fileProgram({ [f]: "hello\n" }));
    const run = startRun(["--converged-timeout", "0", prog]);
    try {
      const { code } = await run.exited;
      assert.equal(code, 0, run.text() + JSON.stringify(run.events));
      assert.equal(read(f), "hello\n");
      const names = run.events.map((e) => e.event);
      for (const e of ["start", "compile", "swap", "watch-start", "checkapply", "converged", "exit"]) assert.ok(names.includes(e), `no ${e} event: ${names.join(" ")}`);
      assert.equal(names[0], "start");
      assert.equal(names.at(-1), "exit");
      const v = `file[${f}]`;
      const ca = run.events.find((e) => e.event === "checkapply" && e.vertex === v && e["changed"] === true);
      assert.ok(ca, "a checkapply that changed the file");
      assert.equal(typeof ca["ms"], "number");
      assert.equal(ca.msg, `${v}: fixed (${(ca["ms"] as number) < 10 ? (ca["ms"] as number).toFixed(1) : Math.round(ca["ms"] as number)} ms)`);
      const swap = run.events.find(named("swap"))!;
      assert.deepEqual(swap["added"], [v]);
      const compile = run.events.find(named("compile"))!;
      assert.equal(compile["ok"], true);
      assert.deepEqual(compile["files"], [prog]);
      const exit = run.events.at(-1)!;
      assert.equal(exit["code"], 0);
      assert.match(String(exit["reason"]), /converged/);
      for (const e of run.events) assert.equal(typeof e.t, "number");
      const prefix = String(run.events[0]!["prefix"]);
      assert.equal(existsSync(prefix), false, "--tmp-prefix directory left behind");
    } finally {
      run.stop();
    }
  });

  test("--noop --converged-timeout 0 prints the plan and changes nothing", async () => {
    const d = workdir();
    const f = join(d, "f1");
    const keep = join(d, "keep");
    writeFileSync(keep, "mine\n");
    const prog = join(d, "main.mcl");
    writeFileSync(prog, fileProgram({ [f]: "hello\n", [keep]: "theirs\n" }));
    const run = startRun(["--noop", "--converged-timeout", "0", prog]);
    try {
      const { code } = await run.exited;
      assert.equal(code, 0, run.text());
      assert.equal(existsSync(f), false, "noop created a file");
      assert.equal(read(keep), "mine\n", "noop changed a file");
      for (const p of [f, keep]) {
        const ca = run.events.find((e) => e.event === "checkapply" && e.vertex === `file[${p}]`);
        assert.ok(ca, `no plan line for ${p}`);
        assert.equal(ca["noop"], true);
        assert.equal(ca["checkOK"], false);
        assert.equal(ca["changed"], false);
        assert.equal(ca.msg, `file[${p}]: would change (noop)`);
      }
      const conv = run.events.find((e) => e.event === "converged" && e["converged"] === true);
      assert.ok(conv);
      assert.match(conv.msg ?? "", /2 would change \(noop\)/);
    } finally {
      run.stop();
    }
  });

  test("live edit: a save is applied; a broken save keeps the old graph enforcing; SIGTERM exits 0 within 1 s", async () => {
    const d = workdir();
    const f = join(d, "managed");
    const prog = join(d, "main.mcl");
    writeFileSync(prog, fileProgram({ [f]: "one\n" }));
    const run = startRun(["--max-runtime", "120", prog]);
    try {
      await run.waitFor((e) => e.event === "checkapply" && e.vertex === `file[${f}]` && e["changed"] === true);
      assert.equal(read(f), "one\n");

      // a good edit: the new content is applied, the vertex replaced
      let mark = run.events.length;
      save(prog, fileProgram({ [f]: "two\n" }));
      await until(() => read(f) === "two\n", 10_000, "the edited content");
      const compile = await run.waitFor(named("compile"), 10_000, mark);
      assert.equal(compile["ok"], true);
      assert.equal(compile["cause"], prog);
      const swap = await run.waitFor(named("swap"), 10_000, mark);
      assert.deepEqual(swap["replaced"], [`file[${f}]`]);

      // a broken edit: diagnostics, no swap, and the old graph still corrects drift
      mark = run.events.length;
      save(prog, 'file "x" {\n\tstate => \n');
      const bad = await run.waitFor(named("compile"), 10_000, mark);
      assert.equal(bad["ok"], false);
      assert.equal(bad.level, "error");
      const diags = bad["diagnostics"] as { phase: string; line: number }[];
      assert.equal(diags[0]?.phase, "parse");
      assert.match(bad.msg ?? "", /does not compile; the running graph stays/);
      unlinkSync(f);
      await until(() => read(f) === "two\n", 10_000, "the deleted file to come back");
      assert.equal(run.events.slice(mark).filter(named("swap")).length, 0, "a broken program was swapped in");

      // fixed again
      save(prog, fileProgram({ [f]: "three\n" }));
      await until(() => read(f) === "three\n", 10_000, "the fixed program's content");

      const t0 = Date.now();
      run.proc.kill("SIGTERM");
      const { code, at } = await run.exited;
      assert.equal(code, 0);
      assert.ok(at - t0 < 1000, `SIGTERM took ${at - t0} ms`);
      const exit = run.events.at(-1)!;
      assert.equal(exit.event, "exit");
      assert.match(String(exit["reason"]), /SIGTERM/);
    } finally {
      run.stop();
    }
  });

  test("runtime errors of a new program keep the last good graph; run never exits on them", async () => {
    const d = workdir();
    const f = join(d, "managed");
    const prog = join(d, "main.mcl");
    writeFileSync(prog, fileProgram({ [f]: "good\n" }));
    const run = startRun(["--max-runtime", "120", prog]);
    try {
      await run.waitFor((e) => e.event === "checkapply" && e["changed"] === true);
      const mark = run.events.length;
      // compiles, but indexing past the end fails when it runs
      save(prog, `$l = ["a"]\nfile ${JSON.stringify(f)} {\n\tstate => "exists",\n\tcontent => $l[3],\n}\n`);
      const err = await run.waitFor((e) => e.event === "error" && e["phase"] === "runtime", 10_000, mark);
      assert.ok(Array.isArray(err["diagnostics"]));
      chmodSync(f, 0o600);
      writeFileSync(f, "drift\n");
      await until(() => read(f) === "good\n", 10_000, "the last good graph to correct drift");
      assert.equal(run.proc.exitCode, null);
    } finally {
      run.stop();
    }
  });

  test("--max-runtime exits 0 after that long", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    writeFileSync(prog, fileProgram({ [join(d, "f")]: "x\n" }));
    const run = startRun(["--max-runtime", "1", prog]);
    try {
      const start = await run.waitFor(named("start"));
      const { code } = await run.exited;
      assert.equal(code, 0);
      const exit = run.events.at(-1)!;
      assert.equal(exit.event, "exit");
      assert.match(String(exit["reason"]), /--max-runtime 1 s/);
      const took = exit.t - start.t;
      assert.ok(took >= 1000 && took < 3000, `ran ${took} ms`);
    } finally {
      run.stop();
    }
  });

  test("--converged-status-file appends true/false; --graphviz writes the graph", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    const status = join(d, "status");
    const dot = join(d, "graph.dot");
    const a = join(d, "a");
    writeFileSync(prog, fileProgram({ [a]: "x\n", [join(d, "b")]: "y\n" }));
    const run = startRun(["--converged-timeout", "0", "--converged-status-file", status, "--graphviz", dot, "--hostname", "web1", prog]);
    try {
      const { code } = await run.exited;
      assert.equal(code, 0, run.text());
      const lines = readFileSync(status, "utf8").trimEnd().split("\n");
      assert.equal(lines.at(-1), "true");
      assert.ok(lines.every((l) => l === "true" || l === "false"), lines.join(","));
      const text = readFileSync(dot, "utf8");
      assert.match(text, /^digraph "web1" \{/);
      assert.ok(text.includes(`"file[${a}]";`), text);
    } finally {
      run.stop();
    }
  });

  test("--prefix: the state directory is created 0700 and kept", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    const prefix = join(d, "state", "steward");
    writeFileSync(prog, fileProgram({ [join(d, "f")]: "x\n" }));
    const run = startRun(["--prefix", prefix, "--converged-timeout", "0", prog], { tmpPrefix: false });
    try {
      const { code } = await run.exited;
      assert.equal(code, 0, run.text());
      assert.equal(run.events[0]!["prefix"], prefix);
      assert.equal(statSync(prefix).mode & 0o777, 0o700);
    } finally {
      run.stop();
    }
  });

  test("a second signal while stopping exits at once, still 0", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    writeFileSync(prog, fileProgram({ [join(d, "f")]: "x\n" }));
    const run = startRun(["--max-runtime", "120", prog]);
    try {
      await run.waitFor((e) => e.event === "checkapply");
      const t0 = Date.now();
      run.proc.kill("SIGINT");
      run.proc.kill("SIGINT");
      const { code, at } = await run.exited;
      assert.equal(code, 0);
      assert.ok(at - t0 < 1000, `took ${at - t0} ms`);
      assert.equal(run.events.at(-1)?.event, "exit");
    } finally {
      run.stop();
    }
  });

  test("the first program does not compile: exit 1 with the diagnostics (text form)", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    writeFileSync(prog, 'file "/tmp/x" {\n\tstate => 42,\n}\n');
    const r = await steward(["run", "--tmp-prefix", prog]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /the program does not compile; nothing to run/);
    assert.match(r.stderr, /main\.mcl:2:\d+: type error/);
    assert.match(r.stderr, /\|\s+state => 42,/);
    assert.match(r.stderr, /exit 1: the program does not compile/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "a stack trace");
  });

  test("an exit resource's code is the exit code", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    const f = join(d, "f");
    writeFileSync(prog, `${fileProgram({ [f]: "x\n" })}exit "done" {\n\tcode => 3,\n\tDepend => File[${JSON.stringify(f)}],\n}\n`);
    const run = startRun([prog]);
    try {
      const { code } = await run.exited;
      assert.equal(code, 3, run.text());
      assert.equal(read(f), "x\n");
      assert.equal(run.events.at(-1)?.["code"], 3);
    } finally {
      run.stop();
    }
  });

  test("text form: one line per change and a converged summary", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    const f = join(d, "f2");
    writeFileSync(prog, fileProgram({ [f]: "x\n" }));
    const r = await steward(["run", "--tmp-prefix", "--converged-timeout", "0", prog]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} info  file\\[${f.replace(/[/.]/g, "\\$&")}\\]: fixed`, "m"));
    assert.match(r.stderr, /info  converged: 1 resource, 1 changed, 0 errors/);
    assert.match(r.stderr, /info  exit 0: converged for 0 s/);
    assert.equal(statSync(f).isFile(), true);
  });

  test("usage errors exit 2 with one line", async () => {
    const d = workdir();
    const prog = join(d, "main.mcl");
    writeFileSync(prog, fileProgram({}));
    const cases = [["--seeds", "ftp://127.0.0.1:2379", prog], ["--etcd", "--seeds", "http://127.0.0.1:2379", prog], ["--hostname", "-x", prog], ["--prefix", d, "--tmp-prefix", prog], [join(d, "missing.mcl")], []];
    const results = await Promise.all(cases.map((args) => steward(["run", ...args])));
    for (const [i, r] of results.entries()) {
      const args = cases[i]!;
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^steward: run: /);
    }
  });
});
