/**
 * Stream tests (issue 3 §5): real programs through runProgram (compile → lower → evaluate →
 * interpret), the real clock and real files, polling with deadlines.
 *
 *  - a program using `datetime.now()` emits a new resource graph about every second;
 *  - `$now - $now` (and a diamond of derived values) is the same in every emitted table;
 *  - a program reading a file with `os.readfile` emits a new graph within 50 ms of the file
 *    changing (median over 10 changes, printed).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Subscription } from "rxjs";
import { memoryHost } from "../../lang/host.js";
import type { ResourceGraph } from "../../lang/resource-graph.js";
import { runProgram, type ProgramEvent } from "../../runtime/funcs/run-program.js";

interface Seen {
  readonly at: number;
  readonly names: readonly string[];
}

/** Run `src` as /main.mcl; every graph's vertex names (`kind[name]`, sorted) with its arrival time. */
function start(src: string): { seen: Seen[]; errors: string[]; sub: Subscription } {
  const seen: Seen[] = [];
  const errors: string[] = [];
  const sub = runProgram("/main.mcl", memoryHost({ "/main.mcl": src })).subscribe((ev: ProgramEvent) => {
    if ("graph" in ev) seen.push({ at: performance.now(), names: names(ev.graph) });
    else errors.push(...ev.diagnostics.map((d) => `${d.phase}: ${d.message}`));
  });
  return { seen, errors, sub };
}

function names(g: ResourceGraph): string[] {
  return g.vertices.map((v) => `${v.kind}[${v.name}]`).sort();
}

/** Poll until `cond()` holds; fail after `ms`. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

test("datetime.now(): a new graph about every second, and $now - $now is 0 in every table", async () => {
  const { seen, errors, sub } = start(`import "datetime"
import "fmt"
$now = datetime.now()
$a = $now + 1
$b = $now * 2
test [fmt.printf("now-%d", $now)] {}
test [fmt.printf("diff-%d", $now - $now)] {}
test [fmt.printf("diamond-%d", $b - $a - $a)] {}
`);
  try {
    await until(() => seen.length >= 5, 7000, "5 graphs from datetime.now()");
  } finally {
    sub.unsubscribe();
  }
  assert.deepEqual(errors, []);
  const nows: bigint[] = [];
  for (const s of seen) {
    assert.equal(s.names.length, 3, `one resource each: ${s.names.join(" ")}`);
    assert.ok(s.names.includes("test[diff-0]"), `$now - $now is 0: ${s.names.join(" ")}`);
    assert.ok(s.names.includes("test[diamond--2]"), `($now*2) - ($now+1) - ($now+1) is -2: ${s.names.join(" ")}`);
    const now = s.names.find((n) => n.startsWith("test[now-"))!;
    nows.push(BigInt(now.slice("test[now-".length, -1)));
  }
  // consecutive seconds, one graph each, about 1000 ms apart
  for (let i = 1; i < nows.length; i++) assert.equal(nows[i]! - nows[i - 1]!, 1n, `seconds ${nows.join(", ")}`);
  // the clock ticks on wall-clock second boundaries: the first graph comes at once, the second at
  // the next boundary (any phase), then one every 1000 ms
  const gaps = seen.slice(2).map((s, i) => s.at - seen[i + 1]!.at);
  console.log(`datetime.now graph intervals (ms): ${gaps.map((g) => g.toFixed(1)).join(", ")}`);
  for (const g of gaps) assert.ok(g > 700 && g < 1300, `interval ${g.toFixed(1)} ms is not about a second`);
  assert.ok(Math.abs(median(gaps) - 1000) < 100, `median interval ${median(gaps).toFixed(1)} ms`);
});

test("os.readfile: a new graph within 50 ms of the file changing (median of 10 changes)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "steward-stream-"));
  const file = join(dir, "contents");
  writeFileSync(file, "v0");
  const { seen, errors, sub } = start(`import "os"
$c = os.readfile(${JSON.stringify(file)})
test ["file-\${c}"] {}
`);
  const latencies: number[] = [];
  try {
    const has = (n: string) => (): boolean => seen.some((s) => s.names.includes(n));
    await until(has("test[file-v0]"), 5000, "the first graph");
    for (let i = 1; i <= 10; i++) {
      await new Promise((r) => setTimeout(r, 60)); // let the previous change settle
      const from = seen.length;
      const t0 = performance.now();
      writeFileSync(file, `v${i}`);
      const want = `test[file-v${i}]`;
      await until(() => seen.slice(from).some((s) => s.names.includes(want)), 2000, `${want} after change ${i}`);
      latencies.push(seen.slice(from).find((s) => s.names.includes(want))!.at - t0);
    }
  } finally {
    sub.unsubscribe();
    rmSync(dir, { recursive: true, force: true });
  }
  // a write may briefly expose an empty file (truncate, then write): only that may add graphs
  for (const s of seen) assert.match(s.names.join(" "), /^test\[file-(v\d+)?\]$/);
  assert.deepEqual(errors, []);
  const med = median(latencies);
  console.log(`os.readfile change → new graph (ms): ${latencies.map((l) => l.toFixed(2)).join(", ")}; median ${med.toFixed(2)}`);
  assert.ok(med <= 50, `median latency ${med.toFixed(2)} ms > 50 ms`);
});
