/**
 * The `group` kind against the real /etc/group (groupadd/groupmod/groupdel): create with a gid,
 * change the gid, drift (groupdel by hand → the watch fires → recreated), absent, errors. Every
 * group is named `stwtestg…` and removed afterwards.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import "../../stdlib/resources/group.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { invalid, recordWatch, removeTempDirs, start } from "./harness.js";
import { groupLine, removeTestAccounts, sh } from "./user-machine.js";

const P = "stwtestg";
const never = new AbortController().signal;

before(() => removeTestAccounts(P));
after(() => {
  removeTestAccounts(P);
  removeTempDirs();
});

describe("group", { concurrency: false }, () => {
  test("validation", () => {
    assert.equal(invalid("group", `${P}a`, {}), undefined);
    assert.equal(invalid("group", `${P}a`, { state: "absent", gid: 4000n }), undefined);
    assert.match(invalid("group", "bad name", {})!, /not a valid group name/);
    assert.match(invalid("group", `${P}a`, { state: "present" })!, /state must be exists or absent/);
    assert.match(invalid("group", `${P}a`, { gid: -1n })!, /gid must be between/);
  });

  test("autoedges: a target by name and gid", () => {
    assert.deepEqual(getKindImpl("group")!.autoedges!(`${P}a`, { gid: 4711n }), {
      uids: [
        { kind: "group", key: `${P}a` },
        { kind: "group", key: "4711" },
      ],
      seeks: [],
    });
  });

  test("create with a gid, change the gid, drift, delete", async () => {
    const { res, h } = await start("group", `${P}a`, { gid: 47301n });
    const w = await recordWatch(res);
    await w.next(0);
    assert.equal(await res.checkApply(false, never), false);
    assert.equal(groupLine(`${P}a`), undefined);
    assert.equal(await res.checkApply(true, never), false);
    assert.equal(groupLine(`${P}a`), `${P}a:x:47301:`);
    assert.equal(await res.checkApply(true, never), true);
    assert.ok(h.logs.includes(`info: groupadd -g 47301 ${P}a`));

    // drift: deleted by hand → an event → recreated
    const seen = w.times.length;
    sh("groupdel", [`${P}a`]);
    await w.next(seen);
    assert.equal(await res.checkApply(true, never), false);
    assert.equal(groupLine(`${P}a`), `${P}a:x:47301:`);

    // gid changed by hand → groupmod back
    sh("groupmod", ["-g", "47302", `${P}a`]);
    assert.equal(await res.checkApply(true, never), false);
    assert.equal(groupLine(`${P}a`), `${P}a:x:47301:`);
    w.stop();

    const gone = await start("group", `${P}a`, { state: "absent" });
    assert.equal(await gone.res.checkApply(true, never), false);
    assert.equal(groupLine(`${P}a`), undefined);
    assert.equal(await gone.res.checkApply(true, never), true);
  });

  test("without a gid any gid will do", async () => {
    const { res } = await start("group", `${P}b`, {});
    assert.equal(await res.checkApply(true, never), false);
    assert.match(groupLine(`${P}b`)!, new RegExp(`^${P}b:x:\\d+:$`));
    assert.equal(await res.checkApply(true, never), true);
  });

  test("a gid owned by another group is an error", async () => {
    sh("groupadd", ["-g", "47310", `${P}c`]);
    const { res } = await start("group", `${P}d`, { gid: 47310n });
    await assert.rejects(res.checkApply(true, never), new RegExp(`^Error: gid 47310 belongs to group ${P}c$`));
  });
});

// The type checker trusts stdlib/schemas/; the engine trusts the KindImpl. They must agree.
test("pkg, user, group: traits match the registered mcl schemas", async () => {
  await import("../../stdlib/resources/pkg.js");
  await import("../../stdlib/resources/user.js");
  const { getKind } = await import("../../stdlib/registry.js");
  for (const kind of ["pkg", "user", "group"]) {
    const impl = getKindImpl(kind)!;
    const schema = getKind(kind)!;
    assert.ok(impl && schema, kind);
    assert.equal(impl.refreshable ?? false, schema.traits.refresh ?? false, `${kind} refreshable`);
    assert.equal(impl.groupCmp !== undefined, schema.traits.autogroup ?? false, `${kind} groupable`);
    assert.equal(impl.autoedges !== undefined, schema.traits.autoedge ?? false, `${kind} autoedges`);
    assert.equal(impl.recvable ?? false, schema.recvable, `${kind} recvable`);
  }
});
