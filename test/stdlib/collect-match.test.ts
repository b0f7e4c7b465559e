/**
 * `_collect`'s name matching (stdlib/impl/effects/world.ts): the indexed `collectMatching` used for
 * whole lists agrees with the one-resource `collectMatches` on every shape of the names arg (str,
 * []str, []struct{name; host} with and without a host).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { StructValue, type Value } from "../../lang/values.js";
import { collectMatches, collectMatching } from "../../stdlib/impl/effects/world.js";
import type { ExportedResource } from "../../runtime/world/world.js";

const rs: ExportedResource[] = [];
for (const host of ["h1", "h2", "h3"]) for (const name of ["/a", "/b", "/c"]) rs.push({ kind: "file", name, host, data: "{}" });

test("collectMatching = filter(collectMatches) for every names shape", () => {
  const cases: Value[] = [
    "/a",
    ["/a", "/c"],
    [new StructValue({ name: "/b", host: "h2" }), new StructValue({ name: "/c", host: "" }), new StructValue({ name: "/a", host: "h9" })],
    [],
  ];
  for (const names of cases) {
    const want = rs.filter((r) => collectMatches(names, r));
    assert.deepEqual(collectMatching(names, rs), want);
  }
  assert.deepEqual(
    collectMatching([new StructValue({ name: "/b", host: "h2" })], rs).map((r) => `${r.host}${r.name}`),
    ["h2/b"],
  );
});
