/**
 * Lazily loaded resource kinds (runtime/engine/resource.ts registerKindLoader, stdlib/resources/kinds.ts):
 * `steward run` registers where every kind lives and loads only the kinds its program uses.
 * This file imports kinds.ts alone, so no kind is loaded until the test asks for it.
 */
import * as assert from "node:assert/strict";
import { test } from "node:test";
import { getKindImpl, kindImplNames, loadKinds } from "../../runtime/engine/resource.js";
import { KIND_MODULES } from "../../stdlib/resources/kinds.js";

test("kinds.ts names every kind without loading one; loadKinds loads just the ones asked for", async () => {
  assert.deepEqual(kindImplNames(), Object.keys(KIND_MODULES).sort());
  assert.equal(getKindImpl("file"), undefined);
  assert.equal(loadKinds(["no-such-kind"]), undefined, "nothing to load for an unknown kind");
  await loadKinds(["file", "file"]);
  assert.equal(getKindImpl("file")?.kind, "file");
  assert.equal(getKindImpl("pkg"), undefined, "pkg was not asked for");
  assert.equal(loadKinds(["file"]), undefined, "file is loaded already");
});

test("each loader in kinds.ts loads the module that registers its kind", async () => {
  for (const [kind, load] of Object.entries(KIND_MODULES)) {
    await load();
    assert.equal(getKindImpl(kind)?.kind, kind, `${kind}: its loader did not register it`);
  }
  // and no module registers a kind the table does not name (it could never be loaded lazily)
  assert.deepEqual(kindImplNames(), Object.keys(KIND_MODULES).sort());
});
