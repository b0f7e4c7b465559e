/**
 * Incremental `for` / `forkv` (runtime/funcs/lower-switch.ts `lowerFor`): when the list grows or
 * shrinks, or the map gains or loses keys, the body instances of the elements that stay are kept
 * (same node ids, their sources stay subscribed) and only new elements get a body; the resource
 * graph always equals a from-scratch evaluation of the same world state (the glitch-free contract).
 * The sources are `world.getval` / `world.kvlookup` on a real MemoryWorld whose `watch` counts
 * subscriptions per key.
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { defer, type Observable } from "rxjs";
import type { Evaluator } from "../../runtime/funcs/evaluator.js";
import { loadImpls } from "../../runtime/funcs/load-impls.js";
import { MemoryBackend, MemoryWorld } from "../../runtime/world/memory.js";
import { loadProgram } from "./program.js";

await loadImpls();

const numRuns = Number(process.env["FC_RUNS"] ?? 60);

/** A MemoryWorld that counts the subscriptions of `watch(key)` (one per `world.getval` source). */
class CountingWorld extends MemoryWorld {
  readonly subs = new Map<string, number>();
  override watch(key: string): Observable<string | undefined> {
    return defer(() => {
      this.subs.set(key, (this.subs.get(key) ?? 0) + 1);
      return super.watch(key);
    });
  }
}

interface Run {
  readonly ev: Evaluator;
  /** let the world's emissions reach the evaluator, run a wave, return the graph text */
  settle(): Promise<string>;
  ids(): Set<string>;
}

async function start(src: string, world: MemoryWorld): Promise<Run> {
  const p = loadProgram(src, world);
  const settle = async (): Promise<string> => {
    await new Promise((res) => setImmediate(res));
    p.ev.wave();
    assert.deepEqual(p.errors, []);
    return p.graph();
  };
  await settle();
  return { ev: p.ev, settle, ids: () => new Set(p.last()!.ids()) };
}

const subset = (a: Set<string>, b: Set<string>): boolean => [...a].every((x) => b.has(x));

const listSrc = `import "fmt"
import "strings"
import "world"
for $i, $x in strings.split(world.getval("l")->value, ",") {
	$n = fmt.printf("%d", $i)
	$s = world.getval("s-\${n}")->value
	test ["\${n}=\${x}:\${s}"] {}
}
`;

test("for: growing keeps the kept elements' nodes and sources; shrinking removes only the tail", async () => {
  const w = new CountingWorld("h1");
  await w.set("l", "a,b");
  const run = await start(listSrc, w);
  assert.equal(await run.settle(), "test[0=a:]\ntest[1=b:]");
  const two = run.ids();
  assert.deepEqual([w.subs.get("s-0"), w.subs.get("s-1")], [1, 1]);

  await w.set("l", "x,b,c");
  assert.equal(await run.settle(), "test[0=x:]\ntest[1=b:]\ntest[2=c:]", "the kept body of 0 sees the new value x");
  const three = run.ids();
  assert.ok(subset(two, three), "every node of the two kept bodies is still there");
  assert.ok(three.size > two.size);
  assert.deepEqual([w.subs.get("s-0"), w.subs.get("s-1"), w.subs.get("s-2")], [1, 1, 1], "kept bodies did not re-subscribe");

  await w.set("s-1", "S");
  assert.equal(await run.settle(), "test[0=x:]\ntest[1=b:S]\ntest[2=c:]", "a source inside a kept body still flows");

  await w.set("l", "y");
  assert.equal(await run.settle(), "test[0=y:]");
  const one = run.ids();
  assert.ok(subset(one, two), "shrinking kept the first body and added nothing");
  assert.equal(w.subs.get("s-0"), 1);
  assert.equal(run.ev.activeSubscriptions, 2, "the removed bodies' sources were unsubscribed (l and s-0 remain)");

  await w.set("l", "y,z");
  assert.equal(await run.settle(), "test[0=y:]\ntest[1=z:S]");
  assert.equal(w.subs.get("s-1"), 2, "a re-added element gets a new body");
  run.ev.stop();
});

const mapSrc = `import "world"
forkv $h, $v in world.kvlookup("ns") {
	$s = world.getval("s-" + $h)->value
	test ["\${h}=\${v}:\${s}"] {}
}
`;

test("forkv: a key joining builds one body; a key leaving tears down only its body", async () => {
  const backend = new MemoryBackend();
  const obs = new CountingWorld("obs", backend);
  const host = (name: string): MemoryWorld => new MemoryWorld(name, backend);
  await host("b").setHostValue("ns", "2");
  await host("d").setHostValue("ns", "4");
  const run = await start(mapSrc, obs);
  assert.equal(await run.settle(), "test[b=2:]\ntest[d=4:]");
  const before = run.ids();

  await host("a").setHostValue("ns", "1");
  await host("c").setHostValue("ns", "3");
  assert.equal(await run.settle(), "test[a=1:]\ntest[b=2:]\ntest[c=3:]\ntest[d=4:]");
  assert.ok(subset(before, run.ids()), "the bodies of b and d were kept");
  assert.deepEqual(["a", "b", "c", "d"].map((h) => obs.subs.get(`s-${h}`)), [1, 1, 1, 1]);

  await host("b").setHostValue("ns", "22");
  await host("b").deleteHostValue("ns");
  await host("d").setHostValue("ns", "44");
  assert.equal(await run.settle(), "test[a=1:]\ntest[c=3:]\ntest[d=44:]");
  assert.deepEqual(["a", "c", "d"].map((h) => obs.subs.get(`s-${h}`)), [1, 1, 1], "the kept bodies did not re-subscribe");
  run.ev.stop();
});

/** Nested loops over both kinds, with a source in the outer body. */
const modelSrc = `import "fmt"
import "strings"
import "world"
forkv $h, $v in world.kvlookup("ns") {
	$s = world.getval("s-" + $h)->value
	test ["m-\${h}=\${v}:\${s}"] {}
	for $j, $y in strings.split($v, ".") {
		test [fmt.printf("m-%s-%d=%s", $h, $j, $y)] {}
	}
}
for $i, $x in strings.split(world.getval("l")->value, ",") {
	test [fmt.printf("l-%d=%s", $i, $x)] {}
}
`;

type Edit =
  | { readonly k: "host"; readonly h: number; readonly v: string | undefined }
  | { readonly k: "list"; readonly v: string }
  | { readonly k: "s"; readonly h: number; readonly v: string };

const word = fc.constantFrom("a", "b", "a.b", "b.c.d", "");
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ k: fc.constant("host" as const), h: fc.nat({ max: 4 }), v: fc.option(word, { nil: undefined }) }),
  fc.record({ k: fc.constant("list" as const), v: fc.array(fc.constantFrom("p", "q", "r"), { maxLength: 6 }).map((xs) => xs.join(",")) }),
  fc.record({ k: fc.constant("s" as const), h: fc.nat({ max: 4 }), v: word }),
);

test("random list and map edits: the incremental graph equals a fresh evaluation after every wave", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), async (waves) => {
      const backend = new MemoryBackend();
      const hosts = [0, 1, 2, 3, 4].map((i) => new MemoryWorld(`h${i}`, backend));
      const obs = new MemoryWorld("obs", backend);
      const run = await start(modelSrc, obs);
      try {
        for (const edits of waves) {
          for (const e of edits) {
            if (e.k === "host") await (e.v === undefined ? hosts[e.h]!.deleteHostValue("ns") : hosts[e.h]!.setHostValue("ns", e.v));
            else if (e.k === "list") await obs.set("l", e.v);
            else await obs.set(`s-h${e.h}`, e.v);
          }
          const got = await run.settle();
          const fresh = await start(modelSrc, new MemoryWorld("obs", backend));
          const want = await fresh.settle();
          fresh.ev.stop();
          assert.equal(got, want);
        }
      } finally {
        run.ev.stop();
      }
    }),
    { numRuns },
  );
});
