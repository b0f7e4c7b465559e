import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Observable, Subject } from "rxjs";
import { Evaluator, FatalEvalError, GraphError, type Result, type Table } from "../../runtime/funcs/evaluator.js";
import { CatchableError, type Value } from "../../lang/values.js";
import type { Diagnostic } from "../../lang/diagnostics.js";
import type { Span } from "../../lang/ast.js";

const span = (line: number): Span => ({ file: "main.mcl", start: { line, col: 1, offset: 0 }, end: { line, col: 5, offset: 4 } });

function collect(ev: Evaluator) {
  const tables: Table[] = [];
  const errors: Diagnostic[] = [];
  let fatal: FatalEvalError | undefined;
  ev.tables$.subscribe({ next: (t) => tables.push(t), error: (e: FatalEvalError) => (fatal = e) });
  ev.errors$.subscribe((d) => errors.push(d));
  return { tables, errors, fatal: () => fatal };
}

const int = (r: Result): bigint => r as bigint;

test("diamond: $now - $now is always 0, one table per source change", () => {
  const ev = new Evaluator({ schedule: "manual" });
  const now = new Subject<Value>();
  ev.txn()
    .add({ id: "now", source: now })
    .add({ id: "d", deps: ["now", "now"], fn: ([a, b]) => int(a!) - int(b!) })
    .add({ id: "sum", deps: ["now", "d"], fn: ([a, b]) => int(a!) + int(b!) })
    .commit();
  const out = collect(ev);
  ev.wave();
  assert.equal(out.tables.length, 0, "no table before the source emits");
  for (let i = 1n; i <= 5n; i++) {
    now.next(i * 1000n);
    ev.wave();
  }
  assert.equal(out.tables.length, 5);
  for (const [i, t] of out.tables.entries()) {
    assert.equal(t.get("d"), 0n);
    assert.equal(t.get("sum"), BigInt(i + 1) * 1000n);
  }
  ev.stop();
});

test("ladder graph emits once per source change and stays consistent", () => {
  const ev = new Evaluator({ schedule: "manual" });
  const src = new Subject<Value>();
  const t = ev.txn().add({ id: "n0", source: src }).add({ id: "n1", deps: ["n0"], fn: ([a]) => int(a!) + 1n });
  for (let i = 2; i < 25; i++) t.add({ id: `n${i}`, deps: [`n${i - 1}`, `n${i - 2}`], fn: ([a, b]) => int(a!) + int(b!) });
  t.commit();
  const out = collect(ev);
  const model = (x: bigint) => {
    const v = [x, x + 1n];
    for (let i = 2; i < 25; i++) v.push(v[i - 1]! + v[i - 2]!);
    return v;
  };
  for (const x of [1n, 2n, 7n, 7n, 3n]) {
    src.next(x);
    ev.wave();
  }
  assert.equal(out.tables.length, 4, "the repeated 7 produces no table");
  for (const [i, x] of [1n, 2n, 7n, 3n].entries()) {
    const m = model(x);
    for (let j = 0; j < 25; j++) assert.equal(out.tables[i]!.get(`n${j}`), m[j]);
  }
  assert.equal(ev.computeCount("n24"), 4);
  ev.stop();
});

test("events in one I/O turn share one wave (setImmediate), latest wins", async () => {
  const ev = new Evaluator();
  const a = new Subject<Value>(), b = new Subject<Value>();
  ev.txn()
    .add({ id: "a", source: a })
    .add({ id: "b", source: b })
    .add({ id: "s", deps: ["a", "b"], fn: ([x, y]) => `${String(x)}/${String(y)}` })
    .commit();
  const seen: string[] = [];
  const done = new Promise<void>((resolve) => ev.tables$.subscribe((t) => (seen.push(t.get("s") as string), seen.length === 2 && resolve())));
  a.next(1n);
  b.next(1n);
  a.next(2n);
  await new Promise((r) => setImmediate(r));
  b.next(5n);
  b.next(6n);
  await done;
  assert.deepEqual(seen, ["2/1", "2/6"]);
  assert.equal(ev.stats.waves, 2);
  ev.stop();
});

test("memoisation: only nodes downstream of a changed source recompute", () => {
  const ev = new Evaluator({ schedule: "manual" });
  const a = new Subject<Value>(), b = new Subject<Value>();
  ev.txn()
    .add({ id: "a", source: a })
    .add({ id: "b", source: b })
    .add({ id: "fa", deps: ["a"], fn: ([x]) => int(x!) * 2n })
    .add({ id: "fb", deps: ["b"], fn: ([x]) => int(x!) * 3n })
    .add({ id: "par", deps: ["fa"], fn: ([x]) => int(x!) % 2n }) // parity of 2a: always 0
    .add({ id: "after", deps: ["par"], fn: ([x]) => int(x!) + 100n })
    .add({ id: "k", value: 7n })
    .add({ id: "all", deps: ["fa", "fb", "k"], fn: ([x, y, z]) => int(x!) + int(y!) + int(z!) })
    .commit();
  const out = collect(ev);
  a.next(1n);
  b.next(1n);
  ev.wave();
  assert.equal(out.tables.length, 1);
  a.next(2n);
  ev.wave();
  assert.equal(ev.computeCount("fa"), 2);
  assert.equal(ev.computeCount("fb"), 1, "fb's input did not change");
  assert.equal(ev.computeCount("par"), 2);
  assert.equal(ev.computeCount("after"), 1, "par's value did not change, so after is not woken");
  assert.equal(ev.computeCount("k"), 1);
  assert.equal(ev.computeCount("all"), 2);
  assert.equal(out.tables[1]!.get("all"), 4n + 3n + 7n);
  ev.stop();
});

test("catchable errors flow as values, except catches them, a sink error becomes a diagnostic", () => {
  const ev = new Evaluator({ schedule: "manual" });
  const den = new Subject<Value>();
  const div = ([a, b]: readonly Result[]): Result => (int(b!) === 0n ? new CatchableError("division by zero") : int(a!) / int(b!));
  ev.txn()
    .add({ id: "den", source: den })
    .add({ id: "ten", value: 10n })
    .add({ id: "q", deps: ["ten", "den"], fn: div, span: span(3) })
    .add({ id: "q1", deps: ["q"], fn: ([x]) => int(x!) + 1n, span: span(4) })
    .add({ id: "fallback", value: -1n })
    .add({
      id: "safe",
      deps: ["q1", "fallback"],
      catches: true,
      fn: ([x, f]) => (x instanceof CatchableError ? f! : x!),
    })
    .commit();
  const out = collect(ev);
  den.next(0n);
  ev.wave();
  assert.equal(out.tables.length, 1);
  assert.equal(out.tables[0]!.get("safe"), -1n);
  assert.ok(out.tables[0]!.result("q1") instanceof CatchableError);
  assert.deepEqual((out.tables[0]!.result("q1") as CatchableError).span, span(3), "the error keeps the span of the failing expression");
  den.next(5n);
  ev.wave();
  assert.equal(out.tables[1]!.get("safe"), 3n);

  // an uncaught error reaching an output: a runtime diagnostic, no table, the engine keeps going
  ev.txn().add({ id: "bare", deps: ["q"], fn: ([x]) => x! }).commit();
  ev.wave();
  den.next(0n);
  ev.wave();
  assert.equal(out.tables.length, 3);
  assert.equal(out.errors.length, 1);
  assert.equal(out.errors[0]!.phase, "runtime");
  assert.equal(out.errors[0]!.message, "division by zero");
  assert.deepEqual(out.errors[0]!.span, span(3));
  den.next(2n);
  ev.wave();
  assert.equal(out.tables.length, 4);
  assert.equal(out.tables[3]!.get("bare"), 5n);
  assert.equal(out.fatal(), undefined);
  ev.stop();
});

test("thrown CatchableError is catchable; any other throw is fatal and stops the engine", () => {
  const ev = new Evaluator({ schedule: "manual" });
  const s = new Subject<Value>();
  let unsubscribed = false;
  const src = new Observable<Value>((sub) => {
    const inner = s.subscribe(sub);
    return () => ((unsubscribed = true), inner.unsubscribe());
  });
  ev.txn()
    .add({ id: "s", source: src })
    .add({
      id: "f",
      deps: ["s"],
      span: span(9),
      fn: ([x]) => {
        if (x === "catch") throw new CatchableError("nope");
        if (x === "boom") throw new Error("kaboom");
        return x!;
      },
    })
    .commit();
  const out = collect(ev);
  s.next("catch");
  ev.wave();
  assert.equal(out.errors[0]?.message, "nope");
  s.next("boom");
  ev.wave();
  const f = out.fatal();
  assert.ok(f instanceof FatalEvalError);
  assert.equal(f.diagnostic.phase, "runtime");
  assert.equal(f.diagnostic.message, "kaboom");
  assert.deepEqual(f.diagnostic.span, span(9));
  assert.ok(ev.isStopped);
  assert.ok(unsubscribed, "sources are unsubscribed on a fatal error");
});

test("a source Observable error is fatal with the source's span", () => {
  const ev = new Evaluator({ schedule: "manual" });
  const s = new Subject<Value>();
  ev.txn().add({ id: "s", source: s, span: span(2) }).commit();
  const out = collect(ev);
  ev.wave();
  s.error(new Error("watch failed"));
  assert.equal(out.fatal()?.diagnostic.message, "watch failed");
  assert.deepEqual(out.fatal()?.diagnostic.span, span(2));
});

test("dynamic subgraph: add, share by ref-count, remove unsubscribes its sources", () => {
  const ev = new Evaluator({ schedule: "manual" });
  const active = new Set<string>();
  const counter = (name: string, start: bigint) =>
    new Observable<Value>((sub) => {
      active.add(name);
      sub.next(start);
      return () => active.delete(name);
    });
  ev.txn().add({ id: "base", source: counter("base", 1n) }).commit();
  const out = collect(ev);
  ev.wave();
  assert.equal(out.tables.length, 1);
  assert.deepEqual([...active], ["base"]);

  const sub1 = ev
    .txn()
    .add({ id: "shared", source: counter("shared", 10n) })
    .add({ id: "a", deps: ["base", "shared"], fn: ([x, y]) => int(x!) + int(y!) })
    .commit();
  const sub2 = ev
    .txn()
    .add({ id: "shared", source: counter("should-not-subscribe", 0n) })
    .add({ id: "b", deps: ["shared"], fn: ([y]) => int(y!) * 2n })
    .commit();
  ev.wave();
  assert.equal(out.tables.length, 2, "the sync-emitting new source joins the same wave");
  assert.equal(out.tables[1]!.get("a"), 11n);
  assert.equal(out.tables[1]!.get("b"), 20n);
  assert.deepEqual([...active].sort(), ["base", "shared"]);

  sub1();
  ev.wave();
  assert.ok(active.has("shared"), "shared survives while b uses it");
  assert.ok(!ev.has("a"));
  assert.equal(out.tables.length, 3);
  assert.equal(out.tables[2]!.has("a"), false);
  sub2();
  ev.wave();
  assert.deepEqual([...active], ["base"]);
  assert.equal(ev.activeSubscriptions, 1);
  assert.equal(out.tables[3]!.size, 1);
  ev.stop();
  assert.equal(active.size, 0);
});

test("graph errors: unknown input, cycle, removing a used node; the graph is unchanged after", () => {
  const ev = new Evaluator({ schedule: "manual" });
  ev.txn().add({ id: "x", value: 1n }).add({ id: "y", deps: ["x"], fn: ([a]) => a! }).commit();
  assert.throws(() => ev.txn().add({ id: "z", deps: ["nope"], fn: () => 1n }).commit(), GraphError);
  assert.ok(!ev.has("z"));
  assert.throws(() => ev.txn().add({ id: "p", deps: ["q"], fn: () => 1n }).add({ id: "q", deps: ["p"], fn: () => 1n }).commit(), GraphError);
  assert.throws(() => ev.txn().setDeps("x", ["y"]).commit(), /cycle/);
  assert.throws(() => ev.txn().remove("x").commit(), /still used by y/);
  assert.ok(ev.has("x"));
  const out = collect(ev);
  ev.wave();
  assert.equal(out.tables[0]!.get("y"), 1n);
  ev.stop();
});

test("structural node edits the graph mid-wave (if-expression style); no glitch", () => {
  const ev = new Evaluator({ schedule: "manual" });
  const cond = new Subject<Value>();
  const x = new Subject<Value>();
  let branch: (() => void) | undefined;
  let current: string | undefined;
  ev.txn()
    .add({ id: "cond", source: cond })
    .add({ id: "x", source: x })
    .add({ id: "out", deps: ["cond"], fn: ([c]) => c! }) // placeholder until the switch wires a branch
    .add({
      id: "switch",
      deps: ["cond"],
      fn: ([c], ctx) => {
        const want = c ? "then" : "else";
        if (want !== current) {
          branch?.();
          const t = ctx.txn();
          if (want === "then") t.add({ id: "then", deps: ["x"], fn: ([v]) => `then:${String(v)}` });
          else t.add({ id: "else", deps: ["x"], fn: ([v]) => `else:${String(v)}` });
          t.setDeps("out", [want]);
          const rev = t.commit();
          branch = () => {
            rev();
          };
          current = want;
        }
        return want;
      },
    })
    .commit();
  const out = collect(ev);
  x.next(1n);
  cond.next(true);
  ev.wave();
  assert.equal(out.tables.at(-1)!.get("out"), "then:1");
  cond.next(false);
  x.next(2n);
  ev.wave();
  const t = out.tables.at(-1)!;
  assert.equal(t.get("out"), "else:2");
  assert.equal(t.get("switch"), "else");
  assert.ok(!t.has("then"));
  for (const tb of out.tables) assert.equal(String(tb.get("out")).split(":")[0], tb.get("switch"));
  ev.stop();
});

test("stream nodes resubscribe when their input changes and block output until they emit", () => {
  const ev = new Evaluator({ schedule: "manual" });
  const path = new Subject<Value>();
  const files = new Map<string, Subject<Value>>();
  const subs: string[] = [];
  ev.txn()
    .add({ id: "path", source: path })
    .add({
      id: "read",
      deps: ["path"],
      stream: ([p]) =>
        new Observable<Value>((sub) => {
          subs.push(`+${String(p)}`);
          const s = new Subject<Value>();
          files.set(p as string, s);
          const inner = s.subscribe(sub);
          return () => (subs.push(`-${String(p)}`), inner.unsubscribe());
        }),
    })
    .add({ id: "both", deps: ["path", "read"], fn: ([p, c]) => `${String(p)}=${String(c)}` })
    .commit();
  const out = collect(ev);
  path.next("/a");
  ev.wave();
  files.get("/a")!.next("A1");
  ev.wave();
  assert.equal(out.tables.at(-1)!.get("both"), "/a=A1");
  path.next("/b");
  ev.wave();
  assert.equal(out.tables.length, 1, "no table mixes the new path with the old content");
  files.get("/b")!.next("B1");
  ev.wave();
  assert.equal(out.tables.at(-1)!.get("both"), "/b=B1");
  assert.deepEqual(subs, ["+/a", "-/a", "+/b"]);
  ev.stop();
  assert.deepEqual(subs, ["+/a", "-/a", "+/b", "-/b"]);
});
