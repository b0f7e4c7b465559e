import { test } from "node:test";
import * as assert from "node:assert/strict";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { getKind } from "../../stdlib/registry.js";
import "../../stdlib/resources/exit.js";
import "../../stdlib/resources/hostname.js";
import "../../stdlib/resources/kv.js";
import "../../stdlib/resources/msg.js";
import "../../stdlib/resources/noop.js";
import "../../stdlib/resources/password.js";
import "../../stdlib/resources/print.js";
import "../../stdlib/resources/test.js";
import "../../stdlib/resources/timer.js";
import "../../stdlib/resources/value.js";

// The type checker trusts stdlib/schemas/; the engine trusts the KindImpl. They must agree.
test("small kinds: traits, sends and recvable match the registered mcl schemas", () => {
  for (const kind of ["timer", "noop", "msg", "print", "test", "password", "kv", "hostname", "exit", "value", "_panic"]) {
    const impl = getKindImpl(kind);
    const schema = getKind(kind);
    assert.ok(impl, `${kind} implemented`);
    assert.ok(schema, `${kind} has a schema`);
    assert.equal(impl.refreshable ?? false, schema.traits.refresh ?? false, `${kind} refreshable`);
    assert.equal(impl.recvable ?? false, schema.recvable, `${kind} recvable`);
    assert.equal(impl.groupCmp !== undefined, schema.traits.autogroup ?? false, `${kind} groupable`);
    assert.equal(impl.createGroup !== undefined, impl.groupCmp !== undefined, `${kind} group pair`);
    assert.deepEqual([...(impl.sends ?? [])].sort(), [...(schema.sends?.keys() ?? [])].sort(), `${kind} sends`);
    assert.equal(impl.autoedges, undefined, `${kind} has no autoedges`);
  }
});
