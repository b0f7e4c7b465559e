/**
 * Model test of the evaluator (ecosystem.md §5): random DAGs of pure functions, random source
 * update sequences; the oracle is a from-scratch evaluation of the same source values.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { NEVER } from "rxjs";
import { Evaluator, type Result, type Table } from "../../runtime/funcs/evaluator.js";
import { CatchableError, isCatchable } from "../../lang/values.js";
import type { Diagnostic } from "../../lang/diagnostics.js";

const numRuns = Number(process.env.FC_RUNS ?? 100);

type Op = "add" | "sub" | "mul" | "div" | "except";
interface FnDef {
  op: Op;
  deps: number[]; // indexes of earlier nodes
}
interface Case {
  sources: number;
  fns: FnDef[];
  waves: [number, number][][]; // per wave: (source index, value) updates
}

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 4 }).chain((sources) =>
  fc
    .array(
      fc.record({
        op: fc.constantFrom<Op>("add", "sub", "mul", "div", "except"),
        picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 25 },
    )
    .chain((raw) => {
      const fns = raw.map((r, i) => ({ op: r.op, deps: r.picks.map((p) => p % (sources + i)) }));
      const update = fc.tuple(fc.nat({ max: sources - 1 }), fc.integer({ min: -3, max: 3 }));
      return fc.record({
        sources: fc.constant(sources),
        fns: fc.constant(fns),
        waves: fc.array(fc.array(update, { maxLength: 4 }), { minLength: 1, maxLength: 12 }),
      });
    }),
);

const divZero = "division by zero";
function apply(op: Op, args: readonly Result[]): Result {
  if (op === "except") {
    for (const a of args) if (!isCatchable(a)) return a;
    return -1n;
  }
  const err = args.find(isCatchable);
  if (err) return err;
  const xs = args as bigint[];
  switch (op) {
    case "add":
      return xs.reduce((a, b) => a + b, 0n) % 1000n;
    case "sub":
      return xs.reduce((a, b) => a - b) % 1000n;
    case "mul":
      return xs.reduce((a, b) => a * b, 1n) % 1000n;
    case "div": {
      const [a, ...rest] = xs;
      let r = a!;
      for (const b of rest) {
        if (b === 0n) return new CatchableError(divZero);
        r = r / b;
      }
      return r;
    }
  }
}

const same = (a: Result, b: Result) =>
  isCatchable(a) || isCatchable(b) ? isCatchable(a) && isCatchable(b) && a.message === b.message : a === b;

/** From-scratch evaluation; nodes are already in topological order. */
function model(c: Case, src: bigint[]): Result[] {
  const vals: Result[] = [...src];
  for (const f of c.fns) vals.push(apply(f.op, f.deps.map((d) => vals[d]!)));
  return vals;
}
const id = (i: number) => `n${i}`;

test("evaluator ≡ from-scratch evaluation, memoised, glitch-free", () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const ev = new Evaluator({ schedule: "manual" });
      const calls = new Array<number>(c.sources + c.fns.length).fill(0);
      const t = ev.txn();
      for (let i = 0; i < c.sources; i++) t.add({ id: id(i), source: NEVER });
      c.fns.forEach((f, j) => {
        const i = c.sources + j;
        t.add({
          id: id(i),
          deps: f.deps.map(id),
          catches: f.op === "except",
          fn: (args) => (calls[i]!++, apply(f.op, args)),
        });
      });
      t.commit();
      const hasOut = new Set<number>();
      c.fns.forEach((f) => f.deps.forEach((d) => hasOut.add(d)));
      const sinks = [...Array(c.sources + c.fns.length).keys()].filter((i) => !hasOut.has(i));

      const tables: Table[] = [];
      const errors: Diagnostic[] = [];
      ev.tables$.subscribe((tb) => tables.push(tb));
      ev.errors$.subscribe((d) => errors.push(d));

      const src = new Array<bigint>(c.sources).fill(0n);
      // first wave: every source gets a value
      for (let i = 0; i < c.sources; i++) ev.set(id(i), 0n);
      let prev: Result[] | undefined;
      for (const updates of [[], ...c.waves]) {
        for (const [s, v] of updates) {
          src[s] = BigInt(v);
          ev.set(id(s), BigInt(v));
        }
        calls.fill(0);
        const before = tables.length;
        ev.wave();
        const m = model(c, src);
        // (c) a function runs only when one of its inputs changed in this wave
        c.fns.forEach((f, j) => {
          const i = c.sources + j;
          const inputsChanged = prev === undefined || f.deps.some((d) => !same(prev![d]!, m[d]!));
          // a node with an error input forwards it without calling fn, unless it is an except node
          const forwards = f.op !== "except" && f.deps.some((d) => isCatchable(m[d]!));
          assert.ok(calls[i]! <= 1, `node ${i} called ${calls[i]} times in one wave`);
          assert.equal(calls[i]! > 0, inputsChanged && !forwards, `node ${i}: called=${calls[i]} inputsChanged=${inputsChanged}`);
        });
        // (a) an emitted table equals the from-scratch evaluation
        for (const tb of tables.slice(before)) {
          m.forEach((v, i) => assert.ok(same(tb.result(id(i))!, v), `node ${i}: ${String(tb.result(id(i)))} != ${String(v)}`));
        }
        assert.ok(tables.length - before <= 1, "at most one table per wave");
        const sinkError = sinks.some((i) => isCatchable(m[i]!));
        if (!sinkError && prev !== undefined && tables.length === before) {
          // no table: then the state must equal the last emitted table
          const last = tables.at(-1);
          if (last) m.forEach((v, i) => assert.ok(same(last.result(id(i))!, v)));
        }
        prev = m;
      }
      // (b) the last output reflects the last source values
      const m = model(c, src);
      const sinkError = sinks.find((i) => isCatchable(m[i]!));
      if (sinkError === undefined) {
        const last = tables.at(-1)!;
        m.forEach((v, i) => assert.ok(same(last.result(id(i))!, v)));
      } else {
        assert.equal(errors.at(-1)?.message, divZero);
      }
      ev.stop();
    }),
    { numRuns },
  );
});

test("dynamic edits keep the evaluator equal to a from-scratch evaluation", () => {
  // Build the DAG in random chunks, removing and re-adding the last chunk between waves.
  fc.assert(
    fc.property(caseArb, fc.nat(), (c, cut) => {
      const ev = new Evaluator({ schedule: "manual" });
      const t = ev.txn();
      for (let i = 0; i < c.sources; i++) t.add({ id: id(i), source: NEVER });
      t.commit();
      const k = cut % (c.fns.length + 1);
      const addRange = (from: number, to: number) => {
        const tx = ev.txn();
        for (let j = from; j < to; j++) {
          const f = c.fns[j]!;
          tx.add({ id: id(c.sources + j), deps: f.deps.map(id), catches: f.op === "except", fn: (args) => apply(f.op, args) });
        }
        return tx.commit();
      };
      addRange(0, k);
      const tables: Table[] = [];
      ev.tables$.subscribe((tb) => tables.push(tb));
      const src = new Array<bigint>(c.sources).fill(1n);
      for (let i = 0; i < c.sources; i++) ev.set(id(i), 1n);
      ev.wave();
      let undo = addRange(k, c.fns.length);
      let lastModel: Result[] = [];
      for (const [w, updates] of c.waves.entries()) {
        for (const [s, v] of updates) {
          src[s] = BigInt(v);
          ev.set(id(s), BigInt(v));
        }
        const before = tables.length;
        if (w % 2 === 0) undo();
        else undo = addRange(k, c.fns.length);
        ev.wave();
        const present = w % 2 === 0 ? c.sources + k : c.sources + c.fns.length;
        const m = model(c, src).slice(0, present);
        // every table emitted by this wave matches the model on exactly the present nodes
        for (const tb of tables.slice(before)) {
          assert.equal(tb.size, present);
          m.forEach((v, i) => assert.ok(same(tb.result(id(i))!, v)));
        }
        lastModel = m;
        assert.equal(ev.size, present);
      }
      // (b) unless an output is in error, the last table is the from-scratch state
      const used = new Set<number>();
      c.fns.forEach((f, j) => c.sources + j < lastModel.length && f.deps.forEach((d) => used.add(d)));
      const sinkError = lastModel.some((v, i) => !used.has(i) && isCatchable(v));
      if (!sinkError) {
        const last = tables.at(-1)!;
        assert.equal(last.size, lastModel.length);
        lastModel.forEach((v, i) => assert.ok(same(last.result(id(i))!, v)));
      }
      ev.stop();
    }),
    { numRuns },
  );
});
