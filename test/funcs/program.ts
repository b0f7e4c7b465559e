/**
 * A program compiled, lowered and committed to a manual evaluator: the common start of the
 * lowering tests (lower.test.ts, for-incremental.test.ts). The caller runs the waves.
 */
import { strict as assert } from "node:assert";
import { compileChecked } from "../../lang/compile.js";
import { memoryHost } from "../../lang/host.js";
import { interpret } from "../../lang/interpret.js";
import { graphToText } from "../../lang/resource-graph.js";
import { Evaluator, type Table } from "../../runtime/funcs/evaluator.js";
import { lowerProgram } from "../../runtime/funcs/lower.js";
import type { MemoryWorld } from "../../runtime/world/memory.js";

export interface LoadedProgram {
  readonly ev: Evaluator;
  /** messages of the evaluator's errors so far */
  readonly errors: string[];
  /** the latest table, if any */
  last(): Table | undefined;
  /** the resource graph of the latest table, as text (fails the test on interpret errors) */
  graph(): string;
}

export function loadProgram(src: string, world: MemoryWorld): LoadedProgram {
  const r = compileChecked("/main.mcl", memoryHost({ "/main.mcl": src }));
  assert.deepEqual(r.diagnostics, []);
  const lowered = lowerProgram(r.program!, { hostname: world.hostname, world, stateDir: "/tmp/steward-test", moduleDir: "/" });
  const ev = new Evaluator({ schedule: "manual" });
  let last: Table | undefined;
  const errors: string[] = [];
  ev.tables$.subscribe((t) => (last = t));
  ev.errors$.subscribe((d) => errors.push(d.message));
  const t = ev.txn();
  for (const s of lowered.specs) t.add(s);
  t.commit();
  const graph = (): string => {
    assert.ok(last, "no table yet");
    const g = interpret(lowered.output, last);
    if (!("graph" in g)) assert.fail(g.diagnostics.map((d) => d.message).join("\n"));
    return graphToText(g.graph).trim();
  };
  return { ev, errors, last: () => last, graph };
}
