import { afterEach, test } from "node:test";
import * as assert from "node:assert/strict";
import { printValue, type Value } from "../../lang/values.js";
import { MemoryBackend, MemoryWorld } from "../../runtime/world/memory.js";
import { closeAll, makeCtx, record, stream } from "./effects-helpers.js";

afterEach(closeAll);
const show = (vs: readonly unknown[]) => vs.map((v) => printValue(v as Value));

test("world.getval: exists=false until set, then each change", async () => {
  const world = new MemoryWorld("h1");
  const r = record(stream("world.getval", ["k"], makeCtx({ stateDir: "/x", world })));
  assert.deepEqual(show(r.values), ['struct{value: ""; exists: false}']);
  await world.set("k", "v1");
  await world.delete("k");
  assert.deepEqual(show(r.values).slice(1), ['struct{value: "v1"; exists: true}', 'struct{value: ""; exists: false}']);
});

test("world.kvlookup: host → value of a namespace across hosts", async () => {
  const b = new MemoryBackend();
  const h1 = new MemoryWorld("h1", b);
  const h2 = new MemoryWorld("h2", b);
  const r = record(stream("world.kvlookup", ["ns"], makeCtx({ stateDir: "/x", world: h1 })));
  await h1.setHostValue("ns", "a");
  await h2.setHostValue("ns", "b");
  assert.deepEqual(show(r.values), ["{}", '{"h1": "a"}', '{"h1": "a", "h2": "b"}']);
});

test("world.schedule: reads the chosen hosts without volunteering", async () => {
  const b = new MemoryBackend();
  const h2 = new MemoryWorld("h2", b);
  const r = record(stream("world.schedule", ["db"], makeCtx({ stateDir: "/x", world: new MemoryWorld("h1", b) })));
  assert.deepEqual(show(r.values), ["[]"], "reading does not make h1 a candidate");
  const volunteer = h2.schedule("db").subscribe();
  assert.deepEqual(show(r.values).at(-1), '["h2"]');
  volunteer.unsubscribe();
  assert.deepEqual(show(r.values).at(-1), "[]");
});

test("world/collect.res and _collect read exported resources", async () => {
  const b = new MemoryBackend();
  const h1 = new MemoryWorld("h1", b);
  const h2 = new MemoryWorld("h2", b);
  await h1.exportResources([{ kind: "file", name: "/a", data: "d1" }, { kind: "print", name: "p", data: "x" }]);
  await h2.exportResources([{ kind: "file", name: "/b", data: "d2" }]);
  const ctx = makeCtx({ stateDir: "/x", world: h1 });
  assert.deepEqual(show(record(stream("world/collect.res", ["file"], ctx)).values), ['[struct{name: "/a"; host: "h1"}, struct{name: "/b"; host: "h2"}]']);
  assert.deepEqual(show(record(stream("_collect", ["file", "/b"], ctx)).values), ['[struct{name: "/b"; host: "h2"; data: "d2"}]']);
  assert.deepEqual(show(record(stream("_collect", ["file", ["/a", "/b"]], ctx)).values).at(-1)?.match(/name/g)?.length, 2);
  const { StructValue } = await import("../../lang/values.js");
  const names = [new StructValue({ name: "/a", host: "h2" }), new StructValue({ name: "/b", host: "h2" })];
  assert.deepEqual(show(record(stream("_collect", ["file", names], ctx)).values), ['[struct{name: "/b"; host: "h2"; data: "d2"}]']);
});
