/**
 * The engine's part of `Meta:export` (runtime/engine/exporter.ts) on a MemoryWorld: exported
 * vertices (hidden ones included) reach the World after a swap, leave it when they leave the
 * graph (prune), change when their params change, and `--noop` / `Meta:noop` export nothing.
 * The data decodes back to the params (lang/export-codec.ts), which is what `collect` applies.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { firstValueFrom, filter } from "rxjs";
import { decodeExport, encodeExport } from "../../lang/export-codec.js";
import { makeGraph, makeVertex, META_DEFAULTS, type Meta } from "../../lang/resource-graph.js";
import { MapValue, StructValue } from "../../lang/values.js";
import { Engine } from "../../runtime/engine/engine.js";
import "../../stdlib/resources/index.js";
import { MemoryBackend, MemoryWorld } from "../../runtime/world/memory.js";
import type { ExportedResource } from "../../runtime/world/world.js";

const meta = (m: Partial<Meta>): Meta => ({ ...META_DEFAULTS, ...m });
const hidden = (exp: string[], extra: Partial<Meta> = {}) => meta({ hidden: true, export: exp, ...extra });

async function seen(w: MemoryWorld, pred: (rs: readonly ExportedResource[]) => boolean): Promise<readonly ExportedResource[]> {
  return firstValueFrom(w.watchExported().pipe(filter(pred)));
}

/** Host `a` exports, host `b` looks, over one memory backend; `engine` runs on `a` with state in `dir`. */
function twoHosts(tag: string): { a: MemoryWorld; b: MemoryWorld; dir: string; engine: (noop?: boolean) => Engine } {
  const backend = new MemoryBackend();
  const a = new MemoryWorld("a", backend);
  const dir = mkdtempSync(join(tmpdir(), `steward-${tag}-`));
  return { a, b: new MemoryWorld("b", backend), dir, engine: (noop = false) => new Engine({ hostname: "a", world: a, stateDir: dir, noop, autoedges: true, autogroup: true }) };
}

/** The `content` param of the first exported record. */
const content = (rs: readonly ExportedResource[]): unknown => (rs[0] ? (decodeExport(rs[0].data) as { content?: unknown }).content : undefined);

test("export codec: params round-trip losslessly", () => {
  const params = { content: "x\n", mode: "0640", n: 42n, f: 1.5, l: ["a"], m: new MapValue([["k", 1n]]), s: new StructValue({ a: true }) };
  assert.deepEqual(decodeExport(encodeExport(params)), params);
  assert.match(String(decodeExport("{}")), /version/);
  assert.match(String(decodeExport("nope")), /not JSON/);
});

test("exports follow the running graph: written after a swap, changed, pruned; noop exports nothing", async () => {
  const { a, b, dir, engine: makeEngine } = twoHosts("export");
  const engine = makeEngine();
  try {
    await engine.apply(
      makeGraph(
        [
          makeVertex("file", "/x/for-b", { content: "one" }, hidden(["b"])),
          makeVertex("file", "/x/for-all", { content: "all" }, hidden(["*"])),
          makeVertex("file", "/x/noop", { content: "n" }, hidden(["*"], { noop: true })),
        ],
        [],
      ),
    );
    const first = await seen(b, (rs) => rs.length === 2);
    assert.deepEqual(first.map((r) => [r.name, r.host]), [["/x/for-all", "a"], ["/x/for-b", "a"]]);
    assert.deepEqual(decodeExport(first[1]!.data), { content: "one" });
    assert.deepEqual((await a.collectExported()).map((r) => r.name), ["/x/for-all"], "a record for b is not visible to a");

    // A changed param is re-exported; a vertex that left the graph is pruned.
    await engine.apply(makeGraph([makeVertex("file", "/x/for-b", { content: "two" }, hidden(["b"]))], []));
    const second = await seen(b, (rs) => rs.length === 1 && content(rs) === "two");
    assert.equal(second[0]!.name, "/x/for-b");
  } finally {
    await engine.shutdown();
  }

  // --noop: nothing is exported, and what an earlier run exported is withdrawn.
  const noop = makeEngine(true);
  try {
    await noop.apply(makeGraph([makeVertex("file", "/x/for-b", { content: "three" }, hidden(["b"]))], []));
    assert.deepEqual(await seen(b, (rs) => rs.length === 0), []);
  } finally {
    await noop.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("send/recv into an exported vertex: exported with the received value, re-exported when it changes", async () => {
  const { b, dir, engine: makeEngine } = twoHosts("export-recv");
  const engine = makeEngine();
  const recvEdge = { from: "exec[e]", to: "file[/x/r]", notify: false, send: "stdout", recv: "content" };
  const graph = (cmd: string) => makeGraph([makeVertex("exec", "e", { cmd }, meta({})), makeVertex("file", "/x/r", { content: "placeholder" }, hidden(["b"]))], [recvEdge]);
  try {
    await engine.apply(graph("/bin/echo one"));
    assert.equal(content(await seen(b, (rs) => content(rs) === "one\n")), "one\n");
    // The sender changes (replaced vertex): the kept receiver receives and re-exports the new value.
    await engine.apply(graph("/bin/echo two"));
    assert.equal(content(await seen(b, (rs) => content(rs) === "two\n")), "two\n");
  } finally {
    await engine.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});
