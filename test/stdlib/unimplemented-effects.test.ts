import { afterEach, test } from "node:test";
import * as assert from "node:assert/strict";
import { allFuncs } from "../../stdlib/registry.js";
import { UNIMPLEMENTED_PACKAGES } from "../../stdlib/impl/effects/unimplemented.js";
import { closeAll, impl, makeCtx, record } from "./effects-helpers.js";

afterEach(closeAll);
const ctx = makeCtx({ stateDir: "/x" });

test("net/http.response, sys/fwupd.*, embedded/provisioner.*: fatal `<name>: not implemented yet`", () => {
  const names = allFuncs().filter((f) => UNIMPLEMENTED_PACKAGES.includes(f.pkg));
  assert.ok(names.some((f) => f.pkg === "sys/fwupd"));
  assert.ok(names.some((f) => f.name === "net/http.response"));
  for (const f of names) {
    const i = impl(f.name);
    assert.equal(i.effect, f.effect, f.name);
    const msg = `${f.name}: not implemented yet`;
    if (i.effect === "source") {
      const r = record(i.stream([], ctx));
      assert.equal((r.error as Error).message, msg);
    } else {
      assert.throws(() => i.call([], ctx), (e: Error) => e.message === msg && !msg.includes("\n"));
    }
  }
});

/** Every impure and source builtin, plus the pure ones of datetime and os, is implemented here with the registry's effect. */
test("coverage: the effectful builtins all have an implementation with the registry's effect", () => {
  // implemented by others: the golang packages and util.hostname_mapper (impure, in stdlib/impl/util.ts)
  const mine = allFuncs().filter(
    (f) => !f.pkg.startsWith("golang") && (f.effect !== "pure" || f.pkg === "datetime" || f.pkg === "os" || UNIMPLEMENTED_PACKAGES.includes(f.pkg)),
  );
  const elsewhere = new Set(["util.hostname_mapper"]);
  const missing: string[] = [];
  for (const f of mine) {
    if (elsewhere.has(f.name)) continue;
    let i;
    try {
      i = impl(f.name);
    } catch {
      missing.push(f.name);
      continue;
    }
    assert.equal(i.effect, f.effect, f.name);
  }
  assert.deepEqual(missing, []);
});
