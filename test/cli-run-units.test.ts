/**
 * The parts of `steward run` that need no engine: flag validation (hostnames as engine-reference.md
 * §1 says), the state directory, the dot emitter, the JSON log shape, and the program loop
 * (recompile on save; a program that does not compile never replaces the running one).
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, statSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { makeGraph, makeVertex, META_DEFAULTS } from "../lang/resource-graph.js";
import { dotId, fromResourceGraph, toDot } from "../runtime/cli/dot.js";
import { createRunLogger } from "../runtime/cli/run-logger.js";
import { hostnameProblem, parseRunOptions, type RawRunOptions } from "../runtime/cli/run-options.js";
import { ProgramLoop, type CompileOutcome } from "../runtime/cli/run-program-loop.js";
import { defaultPrefix, openStateDir } from "../runtime/cli/run-state-dir.js";
import type { ResourceGraph } from "../lang/resource-graph.js";
import { MemoryWorld } from "../runtime/world/memory.js";
import { until } from "./cli-run-harness.js";

const parse = (raw: RawRunOptions, path: string | null = "p.mcl") => parseRunOptions(path ?? undefined, raw, () => "box");
const usage = (raw: RawRunOptions, path: string | null = "p.mcl"): string => {
  const r = parse(raw, path);
  assert.ok("usage" in r, `expected a usage error for ${JSON.stringify(raw)}`);
  return r.usage;
};

describe("run flags", () => {
  test("defaults", () => {
    const r = parse({});
    assert.ok("ok" in r);
    assert.deepEqual(r.ok, { path: "p.mcl", cluster: { mode: "memory" }, noop: false, hostname: "box", tmpPrefix: false, sema: 0, autoedges: true, autogroup: true, cache: true, logLevel: "info", logFormat: "text" });
  });

  test("every flag", () => {
    const r = parse({
      convergedTimeout: "0",
      convergedStatusFile: "/tmp/s",
      noop: true,
      hostname: "web1.example.com",
      prefix: "/var/tmp/x",
      sema: "2",
      autoedges: false,
      autogroup: false,
      cache: false,
      maxRuntime: "1.5",
      graphviz: "/tmp/g.dot",
      logLevel: "debug",
      logFormat: "json",
    });
    assert.ok("ok" in r);
    assert.equal(r.ok.convergedTimeout, 0);
    assert.equal(r.ok.maxRuntime, 1.5);
    assert.equal(r.ok.sema, 2);
    assert.equal(r.ok.autoedges, false);
    assert.equal(r.ok.autogroup, false);
    assert.equal(r.ok.cache, false);
    assert.equal(r.ok.hostname, "web1.example.com");
    assert.equal(r.ok.logFormat, "json");
  });

  test("--seeds / --etcd: the cluster, and PATH becomes optional", () => {
    const s = parseRunOptions(undefined, { seeds: "127.0.0.1:2379;http://10.0.0.2:2379", hostname: "h" });
    assert.ok("ok" in s);
    assert.deepEqual(s.ok.cluster, { mode: "seeds", endpoints: ["http://127.0.0.1:2379", "http://10.0.0.2:2379"], security: {} });
    assert.equal(s.ok.path, undefined);
    const e = parseRunOptions("p.mcl", { etcd: true, clientUrl: "http://127.0.0.1:3379", hostname: "h" });
    assert.ok("ok" in e);
    assert.deepEqual(e.ok.cluster, { mode: "etcd", clientUrls: ["http://127.0.0.1:3379"], peerUrls: ["http://127.0.0.1:2380"] });
    const m = parseRunOptions("p.mcl", { hostname: "h" });
    assert.ok("ok" in m && m.ok.cluster.mode === "memory");
  });

  test("usage errors", () => {
    assert.match(usage({ seeds: "http://127.0.0.1:2379", etcd: true }), /--seeds and --etcd cannot be used together/);
    assert.match(usage({ seeds: "ftp://x" }), /--seeds: 'ftp:\/\/x' is not an http/);
    assert.match(usage({ clientUrl: "http://127.0.0.1:1" }), /--client-url and --peer-url need --etcd/);
    assert.match(usage({ etcd: true, peerUrl: "nope" }), /--peer-url: 'nope' is not a URL/);
    assert.match(usage({}, null), /expected a PATH/);
    assert.match(usage({ convergedTimeout: "-1" }), /--converged-timeout must be a non-negative number/);
    assert.match(usage({ convergedTimeout: "soon" }), /--converged-timeout/);
    assert.match(usage({ maxRuntime: "0" }), /--max-runtime must be a positive number/);
    assert.match(usage({ sema: "1.5" }), /--sema must be a non-negative integer/);
    assert.match(usage({ logLevel: "trace" }), /--log-level must be one of debug, info, warn, error/);
    assert.match(usage({ logFormat: "xml" }), /--log-format must be text or json/);
    assert.match(usage({ prefix: "/x", tmpPrefix: true }), /cannot be used together/);
    assert.match(usage({ hostname: "" }), /--hostname "" must not be empty/);
    assert.match(usage({ hostname: "a b" }), /contains " "/);
    const bad = parseRunOptions("p.mcl", {}, () => "-bad");
    assert.ok("usage" in bad && /this machine's hostname "-bad" must not start with/.test(bad.usage));
  });

  test("hostnames (engine-reference.md §1)", () => {
    for (const ok of ["a", "web-1", "web_1.example.com", "1", "A.b-c_d", "x".repeat(253)]) assert.equal(hostnameProblem(ok), undefined, ok);
    for (const bad of ["", ".a", "-a", "a/b", "a:b", "é", "...", "_-_", "x".repeat(254), "a\nb"]) assert.notEqual(hostnameProblem(bad), undefined, bad);
  });
});

describe("state directory", () => {
  test("default prefix: STATE_DIRECTORY, root, XDG_CACHE_HOME, ~/.cache", () => {
    assert.equal(defaultPrefix({ uid: 0, env: { STATE_DIRECTORY: "/run/x:/run/y" }, home: "/root" }), "/run/x");
    assert.equal(defaultPrefix({ uid: 0, env: {}, home: "/root" }), "/var/lib/steward");
    assert.equal(defaultPrefix({ uid: 1000, env: { XDG_CACHE_HOME: "/c" }, home: "/home/u" }), "/c/steward");
    assert.equal(defaultPrefix({ uid: 1000, env: {}, home: "/home/u" }), "/home/u/.cache/steward");
  });

  test("--prefix is created 0700; --tmp-prefix is fresh and removed by dispose", () => {
    const base = mkdtempSync(join(tmpdir(), "steward-prefix-"));
    try {
      const d = openStateDir({ prefix: join(base, "a", "b"), tmpPrefix: false });
      assert.equal(statSync(d.path).mode & 0o777, 0o700);
      d.dispose();
      assert.ok(statSync(d.path).isDirectory(), "a --prefix directory is kept");
      writeFileSync(join(base, "file"), "");
      assert.throws(() => openStateDir({ prefix: join(base, "file"), tmpPrefix: false }), /cannot create the state directory|not a directory/);
      const t = openStateDir({ tmpPrefix: true });
      assert.equal(statSync(t.path).mode & 0o777, 0o700);
      t.dispose();
      assert.throws(() => statSync(t.path));
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe("dot", () => {
  test("vertices sorted, edges labelled, ids escaped", () => {
    const v = (kind: string, name: string) => makeVertex(kind, name, {}, META_DEFAULTS);
    const g = makeGraph(
      [v("file", "/tmp/b"), v("exec", 'say "hi"'), v("file", "/tmp/a")],
      [
        { from: "file[/tmp/a]", to: "file[/tmp/b]", notify: false },
        { from: 'exec[say "hi"]', to: "file[/tmp/a]", notify: true },
        { from: "file[/tmp/b]", to: "file[/tmp/a]", notify: false, send: "output", recv: "content" },
      ],
    );
    assert.equal(
      toDot(fromResourceGraph(g), { name: "web1" }),
      [
        'digraph "web1" {',
        '\tlabel="web1";',
        "\tnewrank=true;",
        "\tnode [shape=box];",
        '\t"exec[say \\"hi\\"]";',
        '\t"file[/tmp/a]";',
        '\t"file[/tmp/b]";',
        '\t"exec[say \\"hi\\"]" -> "file[/tmp/a]" [label="notify", style=bold];',
        '\t"file[/tmp/a]" -> "file[/tmp/b]";',
        '\t"file[/tmp/b]" -> "file[/tmp/a]" [label="output -> content", style=dashed];',
        "}",
        "",
      ].join("\n"),
    );
    assert.equal(dotId("a\\b\nc"), '"a\\\\b\\nc"');
    const grouped = toDot({ vertices: [{ id: "pkg[a]", members: ["pkg[a]", "pkg[b]"] }], edges: [{ from: "file[/x]", to: "pkg[a]", notify: false, auto: true }] });
    assert.ok(grouped.includes('\t"pkg[a]" [label="pkg[a]\\n+ pkg[b]"];'), grouped);
    assert.ok(grouped.includes('\t"file[/x]" -> "pkg[a]" [color=gray];'), grouped);
  });
});

describe("log", () => {
  test("json: one object per line with t, level, event, msg; levels filter", () => {
    const lines: string[] = [];
    const log = createRunLogger({ format: "json", level: "info", write: (s) => lines.push(s) });
    log.record("info", { event: "checkapply", vertex: "file[/a]", changed: true }, "file[/a]: fixed");
    log.record("debug", { event: "init", vertex: "file[/a]" }, "hidden");
    log.log("warn", "careful");
    assert.equal(lines.length, 2);
    const e = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(typeof e["t"], "number");
    assert.ok(Math.abs((e["t"] as number) - Date.now()) < 5000);
    assert.deepEqual({ ...e, t: 0 }, { level: "info", t: 0, event: "checkapply", vertex: "file[/a]", changed: true, msg: "file[/a]: fixed" });
    assert.deepEqual(JSON.parse(lines[1]!).event, "log");
  });

  test("text: time, level, message", () => {
    const lines: string[] = [];
    const log = createRunLogger({ format: "text", level: "debug", write: (s) => lines.push(s) });
    log.record("info", { event: "checkapply", vertex: "file[/a]" }, "file[/a]: fixed");
    log.record("error", { event: "compile" }, "x.mcl: does not compile\nline 2");
    assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} info  file\[\/a\]: fixed\n$/);
    assert.match(lines[1]!, /^\d\d:\d\d:\d\d\.\d{3} error x\.mcl: does not compile\nline 2\n$/);
  });
});

describe("program loop", () => {
  test("recompiles on save; a broken save never replaces the running program", async () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-loop-"));
    const main = join(dir, "main.mcl");
    const lib = join(dir, "lib.mcl");
    writeFileSync(lib, '$text = "one"\n');
    writeFileSync(main, 'import "lib.mcl"\ntest "a" {\n\tanotherstr => $lib.text,\n}\n');
    const compiled: CompileOutcome[] = [];
    const graphs: ResourceGraph[] = [];
    const loop = new ProgramLoop(main, { hostname: "h", world: new MemoryWorld("h"), stateDir: dir }, {
      compiled: (o) => compiled.push(o),
      graph: (g) => graphs.push(g),
      problem: () => {},
    });
    const param = (): unknown => graphs.at(-1)?.vertices[0]?.params["anotherstr"];
    try {
      loop.start();
      await until(() => graphs.length === 1, 10_000, "the first graph");
      assert.equal(compiled[0]?.ok, true);
      assert.equal(compiled[0]?.cause, "start");
      assert.ok(compiled[0]?.files.includes(lib), `imported file read: ${compiled[0]?.files.join(", ")}`);
      assert.equal(param(), "one");
      assert.ok(loop.watched.includes(lib));

      // an edit of the imported file, written atomically as editors do
      writeFileSync(lib + ".tmp", '$text = "two"\n');
      renameSync(lib + ".tmp", lib);
      await until(() => param() === "two", 5000, "the edit of lib.mcl");
      assert.equal(compiled.at(-1)?.cause, lib);

      // a half-written file: reported, not applied, still watched
      const before = graphs.length;
      writeFileSync(lib, "$text = ");
      await until(() => compiled.at(-1)?.ok === false, 5000, "the compile failure");
      assert.equal(compiled.at(-1)?.diagnostics[0]?.phase, "parse");
      assert.equal(graphs.length, before);

      writeFileSync(lib, '$text = "three"\n');
      await until(() => param() === "three", 5000, "the fixed program");
    } finally {
      loop.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
