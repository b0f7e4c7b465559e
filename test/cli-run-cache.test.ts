/**
 * The compile cache of `steward run` (runtime/cli/compile-cache.ts, issue 4 §5): a re-run of an
 * unchanged program whose functions are all pure takes its graph from the cache, and nothing
 * else ever does — an edited import, a new candidate file, another hostname, a source, an impure
 * or process-reading builtin, a corrupt entry and `--no-cache` all compile. Real files, the real
 * program loop in process, and the real command line for the wiring.
 */
import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { ResourceGraph } from "../lang/resource-graph.js";
import { CompileCache } from "../runtime/cli/compile-cache.js";
import { ProgramLoop, type CompileOutcome } from "../runtime/cli/run-program-loop.js";
import { MemoryWorld } from "../runtime/world/memory.js";
import { startRun, until, workdirs } from "./cli-run-harness.js";

const dirs = workdirs("cache");

interface Run {
  readonly loop: ProgramLoop;
  readonly compiled: CompileOutcome[];
  readonly graphs: ResourceGraph[];
}

/** Start a program loop over `main` and wait for its first graph (or problem). */
async function start(main: string, cacheDir: string | undefined, hostname = "h"): Promise<Run> {
  const compiled: CompileOutcome[] = [];
  const graphs: ResourceGraph[] = [];
  let problems = 0;
  const loop = new ProgramLoop(
    main,
    { hostname, world: new MemoryWorld(hostname), stateDir: dirs(), ...(cacheDir === undefined ? {} : { cache: new CompileCache(cacheDir) }) },
    { compiled: (o) => compiled.push(o), graph: (g) => graphs.push(g), problem: () => problems++ },
  );
  loop.start();
  try {
    await until(() => graphs.length > 0 || problems > 0 || compiled[0]?.ok === false, 20_000, "the first graph");
  } catch (e) {
    loop.stop();
    throw e;
  }
  return { loop, compiled, graphs };
}

/** One run to the first graph: whether it came from the cache, and the graph. */
async function once(main: string, cacheDir: string | undefined, hostname = "h"): Promise<{ cached: boolean; graph: ResourceGraph | undefined }> {
  const r = await start(main, cacheDir, hostname);
  r.loop.stop();
  return { cached: r.compiled[0]?.cached === true, graph: r.graphs[0] };
}

const param = (g: ResourceGraph | undefined, name: string, field: string): unknown => g?.vertices.find((v) => v.name === name)?.params[field];
const entries = (cacheDir: string): string[] => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith(".json")) : []);

describe("compile cache", () => {
  test("an unchanged program's second run takes the same graph from the cache", async () => {
    const d = dirs();
    const cache = join(d, "cache");
    const main = join(d, "main.mcl");
    // pure calls, metaparams (an infinite default limit, a sema list), ints, a map, an edge
    writeFileSync(
      main,
      [
        'import "fmt"',
        'test "a" {',
        '\tanotherstr => fmt.printf("%s-%d", "x", 3),',
        '\tint64 => 42,',
        '\tfloat64 => 1.5,',
        '\tmapintfloat => {1 => 2.5},',
        '\tMeta:retry => 2,',
        '\tMeta:sema => ["one:1"],',
        '}',
        'test "b" {',
        '\tslicestring => ["p", "q"],',
        '}',
        'Test["a"] -> Test["b"]',
        '',
      ].join("\n"),
    );
    const first = await once(main, cache);
    assert.equal(first.cached, false);
    assert.equal(entries(cache).length, 1, "stored after the first run");
    const second = await once(main, cache);
    assert.equal(second.cached, true);
    assert.deepEqual(
      second.graph?.vertices.map((v) => v.key),
      first.graph?.vertices.map((v) => v.key),
    );
    assert.deepEqual(second.graph?.edges, first.graph?.edges);
    assert.equal(param(second.graph, "a", "anotherstr"), "x-3");
    assert.equal(second.graph?.vertices.find((v) => v.name === "a")?.meta.limit, Infinity);
    // without a cache it compiles, and a disabled cache stores nothing
    assert.equal((await once(main, undefined)).cached, false);
  });

  test("an edited import, a new candidate file or another hostname is a miss; a hit is still watched", async () => {
    const d = dirs();
    const cache = join(d, "cache");
    const main = join(d, "main.mcl");
    const lib = join(d, "lib.mcl");
    writeFileSync(lib, '$text = "one"\n');
    writeFileSync(main, 'import "lib.mcl"\ntest "a" {\n\tanotherstr => $lib.text + "@" + $hostname,\n}\n');
    assert.equal((await once(main, cache)).cached, false);
    assert.deepEqual(await once(main, cache).then((r) => [r.cached, param(r.graph, "a", "anotherstr")]), [true, "one@h"]);

    writeFileSync(lib, '$text = "two"\n'); // same size as before: the text decides, not the stat
    const edited = await once(main, cache);
    assert.deepEqual([edited.cached, param(edited.graph, "a", "anotherstr")], [false, "two@h"]);

    const other = await once(main, cache, "h2");
    assert.deepEqual([other.cached, param(other.graph, "a", "anotherstr")], [false, "two@h2"]);

    // a hit is the running program: a save recompiles it as usual
    const hit = await start(main, cache);
    try {
      assert.equal(hit.compiled[0]?.cached, true);
      assert.ok(hit.loop.watched.includes(lib), `watched: ${hit.loop.watched.join(", ")}`);
      writeFileSync(lib + ".tmp", '$text = "three"\n');
      renameSync(lib + ".tmp", lib);
      await until(() => param(hit.graphs.at(-1), "a", "anotherstr") === "three@h", 10_000, "the edit after a hit");
      assert.equal(hit.compiled.at(-1)?.cause, lib);
    } finally {
      hit.loop.stop();
    }

    // a file the compiler looked for and did not find (metadata.yaml beside the entry) appears
    assert.equal((await once(main, cache)).cached, true);
    writeFileSync(join(d, "metadata.yaml"), "main: main.mcl\n");
    assert.equal((await once(main, cache)).cached, false);
  });

  test("programs with a source, an impure or a process-reading builtin are never cached", async () => {
    const d = dirs();
    writeFileSync(join(d, "data.txt"), "data\n");
    const programs: Record<string, string> = {
      "os.readfile (source)": `import "os"\ntest "a" {\n\tanotherstr => os.readfile("${join(d, "data.txt")}"),\n}\n`,
      "datetime.now (source)": 'import "datetime"\nimport "fmt"\ntest "a" {\n\tanotherstr => fmt.printf("%d", datetime.now()),\n}\n',
      "os.args (pure, reads the command line)": 'import "os"\ntest "a" {\n\tslicestring => os.args(),\n}\n',
      "sys.getenv (impure)": 'import "sys"\ntest "a" {\n\tanotherstr => sys.getenv("HOME"),\n}\n',
    };
    for (const [what, text] of Object.entries(programs)) {
      const cache = join(dirs(), "cache");
      const main = join(dirs(), "main.mcl");
      writeFileSync(main, text);
      const first = await once(main, cache);
      assert.ok(first.graph, `${what}: it runs`);
      assert.equal((await once(main, cache)).cached, false, what);
      assert.deepEqual(entries(cache), [], `${what}: nothing stored`);
    }
  });

  test("corrupt or unreadable entries are ignored and replaced", async () => {
    const d = dirs();
    const cache = join(d, "cache");
    const main = join(d, "main.mcl");
    writeFileSync(main, 'test "a" {\n\tanotherstr => "x",\n}\n');
    await once(main, cache);
    const [entry] = entries(cache);
    assert.ok(entry);
    const file = join(cache, entry);
    const good = readFileSync(file, "utf8");
    for (const bad of ["", "{", "null", "[]", good.replace('"anotherstr"', '"nosuchfield'), good.replace('"key":"', '"key":"x'), good.replace("anotherstr => ", "anotherstr  => ")]) {
      writeFileSync(file, bad);
      const r = await once(main, cache);
      assert.deepEqual([r.cached, param(r.graph, "a", "anotherstr")], [false, "x"], `entry ${JSON.stringify(bad.slice(0, 40))}`);
    }
    // a well-formed entry whose graph does not decode (a param that is not a tagged value)
    writeFileSync(file, good.replace('"anotherstr":"x"', '"anotherstr":{"zz":1}'));
    assert.equal((await once(main, cache)).cached, false);
    rmSync(file);
    writeFileSync(join(d, "cache-file"), "");
    // the cache directory is a file: nothing can be stored, the run still works
    const blocked = await once(main, join(d, "cache-file", "sub"));
    assert.deepEqual([blocked.cached, param(blocked.graph, "a", "anotherstr")], [false, "x"]);
    assert.equal((await once(main, cache)).cached, false);
    assert.equal((await once(main, cache)).cached, true, "replaced by a good entry");
  });

  test("steward run uses it (XDG_CACHE_HOME) and --no-cache turns it off", async () => {
    const d = dirs();
    const target = join(d, "out.txt");
    const main = join(d, "main.mcl");
    writeFileSync(main, `file "${target}" {\n\tstate => "exists",\n\tcontent => "cached\\n",\n}\n`);
    const env = { ...process.env, XDG_CACHE_HOME: join(d, "xdg") };
    const run = async (extra: string[]): Promise<boolean | undefined> => {
      const c = startRun(["--converged-timeout", "0", ...extra, main], { env });
      try {
        const ev = await c.waitFor((e) => e.event === "compile");
        assert.equal((await c.exited).code, 0, c.text());
        return ev["cached"] as boolean | undefined;
      } finally {
        c.stop();
      }
    };
    assert.equal(await run([]), undefined);
    assert.equal(entries(join(d, "xdg", "steward", "compile-cache")).length, 1);
    rmSync(target);
    assert.equal(await run([]), true);
    assert.equal(readFileSync(target, "utf8"), "cached\n", "a cached graph is applied");
    assert.equal(await run(["--no-cache"]), undefined);
  });
});
