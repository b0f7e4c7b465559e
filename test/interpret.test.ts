/**
 * Interpret (lang/interpret.ts, lang/interpret-build.ts, lang/resource-graph.ts): the parts the
 * graph goldens (test/lang/graph) don't show — immutability, structural identity keys, the JSON
 * shape, metaparam defaults and single-resource building.
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { firstValueFrom } from "rxjs";
import { memoryHost } from "../lang/host.js";
import { buildResource } from "../lang/interpret-build.js";
import { graphToJson, graphToText, makeVertex, META_DEFAULTS, type ResourceGraph } from "../lang/resource-graph.js";
import { MapValue } from "../lang/values.js";
import { runProgram } from "../runtime/funcs/run-program.js";
import { MemoryWorld } from "../runtime/world/memory.js";

async function graphOf(src: string): Promise<ResourceGraph> {
  const ev = await firstValueFrom(runProgram("/main.mcl", memoryHost({ "/main.mcl": src })));
  if (!("graph" in ev)) assert.fail(ev.diagnostics.map((d) => d.message).join("\n"));
  return ev.graph;
}

test("the resource graph is deeply frozen", async () => {
  const g = await graphOf(`test "a" {\n\tslicestring => ["x"],\n}\n`);
  assert.ok(Object.isFrozen(g));
  assert.ok(Object.isFrozen(g.vertices));
  assert.ok(Object.isFrozen(g.vertices[0]!.params));
  assert.ok(Object.isFrozen(g.vertices[0]!.meta));
  assert.throws(() => ((g.vertices as unknown as unknown[]).length = 0));
});

test("vertex identity keys are structural and stable", async () => {
  const a = await graphOf(`test "a" {\n\tint64 => 1,\n\tcomment => "c",\n}\n`);
  const b = await graphOf(`test "a" {\n\tcomment => "c",\n\tint64 => 0 + 1,\n}\n`);
  const c = await graphOf(`test "a" {\n\tcomment => "c",\n\tint64 => 2,\n}\n`);
  const d = await graphOf(`test "a" {\n\tcomment => "c",\n\tint64 => 1,\n\tMeta:noop => true,\n}\n`);
  assert.equal(a.vertices[0]!.key, b.vertices[0]!.key);
  assert.notEqual(a.vertices[0]!.key, c.vertices[0]!.key);
  assert.notEqual(a.vertices[0]!.key, d.vertices[0]!.key);
  const m1 = makeVertex("test", "x", { mapintfloat: new MapValue([[1n, 1.5], [2n, 2.5]]) }, META_DEFAULTS);
  const m2 = makeVertex("test", "x", { mapintfloat: new MapValue([[2n, 2.5], [1n, 1.5]]) }, META_DEFAULTS);
  assert.equal(m1.key, m2.key, "map key order does not matter");
});

test("graph --json shape: vertices {kind,name,params,meta} and edges {from,to,notify}", async () => {
  const g = await graphOf(`test ["a", "b"] {\n\tint64 => 9007199254740993,\n\tfloat64 => 1.5,\n\tMeta:retry => 2,\n}\nTest["a"] -> Test["b"]\n`);
  const j = graphToJson(g) as { vertices: Record<string, unknown>[]; edges: Record<string, unknown>[] };
  assert.deepEqual(j.vertices[0], { kind: "test", name: "a", params: { float64: 1.5, int64: "9007199254740993" }, meta: { retry: 2 } });
  assert.deepEqual(j.edges, [{ from: "test[a]", to: "test[b]", notify: false }]);
});

test("metaparam defaults (engine-reference.md §3)", () => {
  assert.equal(META_DEFAULTS.limit, Infinity);
  assert.equal(META_DEFAULTS.autoedge, true);
  assert.equal(META_DEFAULTS.autogroup, true);
  assert.equal(META_DEFAULTS.retry, 0);
  assert.deepEqual(META_DEFAULTS.sema, []);
});

test("buildResource: fields, metas, validation", () => {
  const span = { file: "/main.mcl", start: { line: 1, col: 1, offset: 0 }, end: { line: 1, col: 2, offset: 1 } };
  const ok = buildResource("test", "a", [["int8", -128n, span]], [["retry", -1n, span]]);
  assert.ok(!("error" in ok));
  assert.equal(ok.meta.retry, -1);
  const over = buildResource("test", "a", [["uint8", 256n, span]], []);
  assert.ok("error" in over && over.error === "validate" && /uint8/.test(over.message));
  assert.deepEqual(buildResource("nosuch", "a", [], []), { error: "kind" });
  const sema = buildResource("test", "a", [], [["sema", ["lock:0"], span]]);
  assert.ok("error" in sema);
  const ok2 = buildResource("test", "a", [], [["sema", ["lock:2", "other"], span], ["export", ["h"], span]], true);
  assert.ok(!("error" in ok2));
  assert.deepEqual(ok2.meta.export, [], "collected resources have their export list cleared");
});

test("identical duplicates merge; hidden duplicates of one name coexist when different", async () => {
  const g = await graphOf(`test "a" {}\ntest "a" {}\ntest "a" {\n\tcomment => "1",\n\tMeta:hidden => true,\n}\ntest "a" {\n\tcomment => "2",\n\tMeta:hidden => true,\n}\n`);
  assert.deepEqual(g.vertices.map((v) => [v.name, v.hidden ?? false]), [["a", false], ["a", true], ["a", true]]);
});

test("a live run's graphs equal from-scratch interprets while names, order, params, hidden and duplicates change", async () => {
  // interpret reuses the last graph's vertex order, name index and edges when the names repeat
  // (lang/interpret.ts `reuse`); every graph of a live run must still equal a fresh run's
  const src = [
    `import "strings"`,
    `import "world"`,
    `$n = world.getval("n")->value`,
    `$p = world.getval("p")->value`,
    `test strings.split($n, ",") {\n\tanotherstr => $p,\n}`,
    `test "fixed" {\n\tcomment => "\${n}/\${p}",\n\tint64 => len($p),\n\tMeta:hidden => len($p) > 7,\n}`,
    `Test["fixed"] -> Test[strings.split($n, ",")]`,
    "",
  ].join("\n");
  const host = memoryHost({ "/main.mcl": src });
  const run = (w: MemoryWorld) => runProgram("/main.mcl", host, { world: w });
  const fresh = async (n: string, p: string): Promise<ResourceGraph> => {
    const w = new MemoryWorld("h");
    await w.set("n", n);
    await w.set("p", p);
    const ev = await firstValueFrom(run(w));
    if (!("graph" in ev)) assert.fail(ev.diagnostics.map((d) => d.message).join("\n"));
    return ev.graph;
  };
  const world = new MemoryWorld("h");
  await world.set("n", "a,b");
  await world.set("p", "1");
  const graphs: ResourceGraph[] = [];
  const sub = run(world).subscribe((ev) => {
    if ("graph" in ev) graphs.push(ev.graph);
    else assert.fail(ev.diagnostics.map((d) => d.message).join("\n"));
  });
  const comment = (g: ResourceGraph): unknown => g.vertices.find((x) => x.name === "fixed")?.params["comment"];
  const steps: [string, string][] = [
    ["a,b", "1"], ["a,b", "2"], ["b,a", "2"], ["b,a", "3"], ["b,a", "hidden-now"], ["b,a", "4"], ["b,a", "5"],
    ["x,x", "5"], ["x,x", "6"], ["a,b,c", "6"], ["a,b,c", "7"], ["a,b,c", "8"],
  ];
  try {
    for (const [n, p] of steps) {
      await world.set("n", n);
      await world.set("p", p);
      const deadline = Date.now() + 5000;
      while (graphs.length === 0 || comment(graphs.at(-1)!) !== `${n}/${p}`) {
        if (Date.now() > deadline) assert.fail(`no graph for ${n}/${p}`);
        await new Promise((r) => setImmediate(r));
      }
      const live = graphs.at(-1)!, want = await fresh(n, p);
      assert.equal(graphToText(live), graphToText(want), `graph for ${n}/${p}`);
      assert.deepEqual(live.vertices.map((x) => x.key), want.vertices.map((x) => x.key), `keys for ${n}/${p}`);
      assert.ok(Object.isFrozen(live) && Object.isFrozen(live.vertices) && Object.isFrozen(live.edges));
    }
  } finally {
    sub.unsubscribe();
  }
});
