/**
 * Lowering (runtime/funcs/lower*.ts) on a manual evaluator: the structural nodes build only what
 * is needed and rebuild only when the structure changes (mcl-language.md §7, §3.4, §3.5, §4).
 * The controllable source is `world.getval` on a MemoryWorld.
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { Evaluator, type Table } from "../../runtime/funcs/evaluator.js";
import { loadImpls } from "../../runtime/funcs/load-impls.js";
import { compileChecked } from "../../lang/compile.js";
import { memoryHost } from "../../lang/host.js";
import { lowerProgram } from "../../runtime/funcs/lower.js";
import { MemoryWorld } from "../../runtime/world/memory.js";
import { loadProgram } from "./program.js";

await loadImpls();

interface Harness {
  readonly ev: Evaluator;
  readonly world: MemoryWorld;
  /** set a key (or delete it with undefined) and run a wave; returns the latest graph text */
  set(key: string, v: string | undefined): Promise<string>;
  graph(): string;
  table(): Table;
  errors: string[];
}

async function harness(src: string, init: Record<string, string> = {}): Promise<Harness> {
  const world = new MemoryWorld("h1");
  for (const [k, v] of Object.entries(init)) await world.set(k, v);
  const { ev, errors, last, graph } = loadProgram(src, world);
  await Promise.resolve();
  ev.wave();
  return {
    ev,
    world,
    errors,
    graph,
    table: () => last()!,
    set: async (key, v) => {
      if (v === undefined) await world.delete(key);
      else await world.set(key, v);
      await new Promise((res) => setImmediate(res));
      ev.wave();
      return graph();
    },
  };
}

test("constants only: one table, the expected graph", async () => {
  const h = await harness(`test ["a", "b"] {}\n`);
  assert.equal(h.graph(), "test[a]\ntest[b]");
  h.ev.stop();
});

test("if statement: only the taken branch is built; flipping swaps and removes the old branch", async () => {
  const src = `$v = world.getval("k")
if $v->exists {
	$x = "yes-" + $v->value
	test [$x] {}
} else {
	test "no" {}
}
import "world"
`;
  const h = await harness(src);
  assert.equal(h.graph(), "test[no]");
  const base = h.ev.size;
  assert.equal(await h.set("k", "1"), "test[yes-1]");
  assert.equal(await h.set("k", "2"), "test[yes-2]");
  const withThen = h.ev.size;
  assert.equal(await h.set("k", undefined), "test[no]");
  assert.equal(h.ev.size, base, "the then branch was torn down");
  assert.equal(await h.set("k", "3"), "test[yes-3]");
  assert.equal(h.ev.size, withThen);
  h.ev.stop();
});

test("for: element values flow through without a rebuild; a length change rebuilds", async () => {
  const src = `import "strings"
import "world"
$l = strings.split(world.getval("k")->value, ",")
for $i, $x in $l {
	test ["\${x}"] {}
}
`;
  const h = await harness(src, { k: "a,b" });
  assert.equal(h.graph(), "test[a]\ntest[b]");
  const ids = new Set(h.table().ids());
  assert.equal(await h.set("k", "c,d"), "test[c]\ntest[d]");
  assert.deepEqual(new Set(h.table().ids()), ids, "same nodes: no rebuild");
  assert.equal(await h.set("k", "c,d,e"), "test[c]\ntest[d]\ntest[e]");
  assert.notDeepEqual(new Set(h.table().ids()), ids);
  assert.equal(await h.set("k", "z"), "test[z]");
  h.ev.stop();
});

test("forkv: rebuilt only when the key set changes", async () => {
  const src = `import "world"
$v = world.getval("k")->value
forkv $k, $x in {"a" => $v, "b" => "fixed"} {
	test ["\${k}=\${x}"] {}
}
`;
  const h = await harness(src, { k: "1" });
  assert.equal(h.graph(), "test[a=1]\ntest[b=fixed]");
  const ids = new Set(h.table().ids());
  assert.equal(await h.set("k", "2"), "test[a=2]\ntest[b=fixed]");
  assert.deepEqual(new Set(h.table().ids()), ids);
  h.ev.stop();
});

test("<|>: the fallback subgraph exists only while the primary is in error", async () => {
  const src = `import "world"
$m = {"a" => "A"}
$key = world.getval("k")->value
test [$m[$key] <|> "fb-" + $key] {}
`;
  const h = await harness(src, { k: "a" });
  assert.equal(h.graph(), "test[A]");
  const healthy = h.ev.size;
  assert.equal(await h.set("k", "zz"), "test[fb-zz]");
  assert.ok(h.ev.size > healthy, "fallback attached");
  assert.equal(await h.set("k", "a"), "test[A]");
  assert.equal(h.ev.size, healthy, "fallback torn down");
  h.ev.stop();
});

test("if expression: the untaken branch's failing lookup never runs; flipping swaps", async () => {
  const src = `import "world"
$s = world.getval("k")
$l = [$s->value]
$v = if $s->exists { $l[0] } else { $l[5] <|> "missing" }
test [$v] {}
`;
  const h = await harness(src);
  assert.equal(h.graph(), "test[missing]");
  assert.equal(await h.set("k", "here"), "test[here]");
  assert.equal(await h.set("k", undefined), "test[missing]");
  h.ev.stop();
});

test("lambdas capture the current values of their free variables", async () => {
  const src = `import "iter"
import "world"
$suffix = world.getval("k")->value
$f = func($s) { $s + $suffix }
test iter.map(["a", "b"], $f) {}
`;
  const h = await harness(src, { k: "1" });
  assert.equal(h.graph(), "test[a1]\ntest[b1]");
  assert.equal(await h.set("k", "2"), "test[a2]\ntest[b2]");
  h.ev.stop();
});

test("a catchable error reaching a resource becomes a runtime diagnostic; recovery resumes tables", async () => {
  const src = `import "world"
$m = {"a" => "A"}
test [$m[world.getval("k")->value]] {}
`;
  const h = await harness(src, { k: "a" });
  assert.equal(h.graph(), "test[A]");
  await h.world.set("k", "nope");
  await new Promise((res) => setImmediate(res));
  h.ev.wave();
  assert.match(h.errors.at(-1) ?? "", /map key not present/);
  assert.equal(await h.set("k", "a"), "test[A]");
  h.ev.stop();
});

test("a func statement call builds the body per call site; binds are shared nodes", async () => {
  const src = `func f($x) {
	$x + "!"
}
$a = f("a")
test [$a, $a, f("b")] {}
`;
  const h = await harness(src);
  assert.equal(h.graph(), "test[a!]\ntest[b!]");
  h.ev.stop();
});

test("identical pure calls in one group share a node; inside a rebuilt loop body they go with it", async () => {
  const src = `import "strings"
import "world"
$v = world.getval("k")->value
test "a" {
	anotherstr => strings.to_upper($v),
	int64 => len($v),
}
test "b" {
	anotherstr => strings.to_upper($v),
	int64 => len($v) + 1,
	comment => strings.to_lower($v),
}
for $i, $x in strings.split($v, ",") {
	test [$x] {
		comment => strings.to_upper($v),
		anotherstr => strings.to_upper($x),
	}
}
`;
  const r = compileChecked("/main.mcl", memoryHost({ "/main.mcl": src }));
  const lowered = lowerProgram(r.program!, { hostname: "h1", world: new MemoryWorld("h1"), stateDir: "/tmp/steward-test", moduleDir: "/" });
  const count = (label: string): number => lowered.specs.filter((x) => x.label === label).length;
  assert.equal(count("call:strings.to_upper"), 1, "one to_upper($v) node for the two resources");
  assert.equal(count("call:len"), 1);
  assert.equal(count("call:strings.to_lower"), 1);

  const h = await harness(src, { k: "p,q" });
  const before = h.ev.size;
  assert.equal(h.graph(), [`test[a] anotherstr="P,Q" int64=3`, `test[b] anotherstr="P,Q" comment="p,q" int64=4`, `test[p] anotherstr="P" comment="P,Q"`, `test[q] anotherstr="Q" comment="P,Q"`].join("\n"));
  assert.equal(
    await h.set("k", "p,q,r"),
    [`test[a] anotherstr="P,Q,R" int64=5`, `test[b] anotherstr="P,Q,R" comment="p,q,r" int64=6`, `test[p] anotherstr="P" comment="P,Q,R"`, `test[q] anotherstr="Q" comment="P,Q,R"`, `test[r] anotherstr="R" comment="P,Q,R"`].join("\n"),
  );
  assert.ok(h.ev.size > before, "the bodies were rebuilt with one more element");
  assert.equal(await h.set("k", "p,q"), [`test[a] anotherstr="P,Q" int64=3`, `test[b] anotherstr="P,Q" comment="p,q" int64=4`, `test[p] anotherstr="P" comment="P,Q"`, `test[q] anotherstr="Q" comment="P,Q"`].join("\n"));
  assert.equal(h.ev.size, before, "the rebuilt bodies left no node behind");
  h.ev.stop();
});
