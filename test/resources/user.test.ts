/**
 * The `user` kind against the real /etc/passwd and /etc/group (useradd/usermod/userdel): create
 * with every field, change fields back after edits by hand, drift (userdel by hand → the watch
 * fires → recreated), supplementary groups, duplicate uids, absent, errors, autoedges. Accounts
 * are named `stwtestu…` and removed afterwards.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import "../../stdlib/resources/user.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { invalid, recordWatch, removeTempDirs, start } from "./harness.js";
import { groupLine, passwdLine, removeTestAccounts, sh } from "./user-machine.js";

const P = "stwtestu";
const never = new AbortController().signal;

before(() => {
  removeTestAccounts(P);
  sh("groupadd", ["-g", "47401", `${P}g1`]);
  sh("groupadd", ["-g", "47402", `${P}g2`]);
  sh("groupadd", ["-g", "47403", `${P}g3`]);
});
after(() => {
  removeTestAccounts(P);
  removeTempDirs();
});

describe("user", { concurrency: false }, () => {
  test("validation", () => {
    assert.equal(invalid("user", `${P}a`, {}), undefined);
    assert.match(invalid("user", `${P}a`, { gid: 1n, group: "x" })!, /either gid or group/);
    assert.match(invalid("user", `${P}a`, { state: "gone" })!, /state must be exists or absent/);
    assert.match(invalid("user", `${P}a`, { homedir: "home" })!, /absolute/);
    assert.match(invalid("user", `${P}a`, { uid: 99999999999n })!, /uid must be between/);
    assert.match(invalid("user", "9bad", {})!, /not a valid user name/);
  });

  test("autoedges: groups before the user when it exists, after it when absent", () => {
    const ae = getKindImpl("user")!.autoedges!;
    assert.deepEqual(ae(`${P}a`, { uid: 47400n, group: `${P}g1`, groups: [`${P}g2`, `${P}g3`] }), {
      uids: [
        { kind: "user", key: `${P}a` },
        { kind: "user", key: "47400" },
      ],
      seeks: [[{ kind: "group", key: `${P}g1` }], [{ kind: "group", key: `${P}g2` }], [{ kind: "group", key: `${P}g3` }]],
      before: true,
    });
    assert.deepEqual(ae(`${P}a`, { state: "absent", gid: 47401n }).seeks, [[{ kind: "group", key: "47401" }]]);
    assert.equal(ae(`${P}a`, { state: "absent", gid: 47401n }).before, false);
  });

  test("create with every field; edits by hand are undone; drift: userdel → recreated", async () => {
    const params = { uid: 47400n, group: `${P}g1`, groups: [`${P}g2`, `${P}g3`], homedir: `/home/${P}a`, shell: "/bin/sh" };
    const { res, h } = await start("user", `${P}a`, params);
    const w = await recordWatch(res);
    await w.next(0);
    assert.equal(await res.checkApply(false, never), false);
    assert.equal(passwdLine(`${P}a`), undefined);
    assert.equal(await res.checkApply(true, never), false);
    assert.match(passwdLine(`${P}a`)!, new RegExp(`^${P}a:x:47400:47401::/home/${P}a:/bin/sh$`));
    assert.equal(groupLine(`${P}g2`), `${P}g2:x:47402:${P}a`);
    assert.equal(groupLine(`${P}g3`), `${P}g3:x:47403:${P}a`);
    assert.equal(await res.checkApply(true, never), true);
    assert.ok(h.logs.some((l) => l.startsWith("info: useradd -u 47400 -g")));

    // edits by hand
    sh("usermod", ["-s", "/bin/bash", "-g", `${P}g2`, "-G", `${P}g3`, `${P}a`]);
    assert.equal(await res.checkApply(false, never), false);
    assert.ok(h.logs.some((l) => /would change primary group → stwtestug1, groups \[stwtestug3\] → \[stwtestug2,stwtestug3\], shell → \/bin\/sh/.test(l)), h.logs.join("\n"));
    assert.equal(await res.checkApply(true, never), false);
    assert.match(passwdLine(`${P}a`)!, new RegExp(`^${P}a:x:47400:47401::/home/${P}a:/bin/sh$`));
    assert.equal(groupLine(`${P}g2`), `${P}g2:x:47402:${P}a`);
    assert.equal(await res.checkApply(true, never), true);

    // drift
    await new Promise((r) => setTimeout(r, 50));
    const seen = w.times.length;
    const t0 = performance.now();
    sh("userdel", [`${P}a`]);
    const at = await w.next(seen);
    assert.ok(at - t0 < 1000);
    assert.equal(await res.checkApply(true, never), false);
    assert.match(passwdLine(`${P}a`)!, /:47400:47401:/);
    w.stop();
  });

  test("groups => [] removes every supplementary group; unset groups are left alone", async () => {
    const keep = await start("user", `${P}a`, { shell: "/bin/sh" });
    assert.equal(await keep.res.checkApply(true, never), true);
    const none = await start("user", `${P}a`, { groups: [] });
    assert.equal(await none.res.checkApply(true, never), false);
    assert.equal(groupLine(`${P}g2`), `${P}g2:x:47402:`);
    assert.equal(await none.res.checkApply(true, never), true);
  });

  test("a uid owned by another user: an error, unless allowduplicateuid", async () => {
    const dup = await start("user", `${P}b`, { uid: 47400n });
    await assert.rejects(dup.res.checkApply(true, never), new RegExp(`^Error: uid 47400 belongs to user ${P}a \\(set allowduplicateuid => true to share it\\)$`));
    const ok = await start("user", `${P}b`, { uid: 47400n, allowduplicateuid: true });
    assert.equal(await ok.res.checkApply(true, never), false);
    assert.match(passwdLine(`${P}b`)!, /:47400:/);
  });

  test("a primary group that does not exist: useradd's one-line error", async () => {
    const { res } = await start("user", `${P}c`, { group: `${P}nogroup` });
    await assert.rejects(res.checkApply(true, never), /^Error: useradd: group 'stwtestunogroup' does not exist$/);
  });

  test("absent deletes the user", async () => {
    for (const n of [`${P}a`, `${P}b`]) {
      const { res } = await start("user", n, { state: "absent" });
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(passwdLine(n), undefined);
      assert.equal(await res.checkApply(true, never), true);
    }
  });
});
