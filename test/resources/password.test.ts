import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { PASSWORD_ALPHABET } from "../../stdlib/resources/password.js";
import { invalid, makeContext, recordWatch, removeTempDirs, start, tempDir } from "./harness.js";

after(removeTempDirs);

const sentPassword = (sent: readonly Readonly<Record<string, unknown>>[]): string => {
  const p = sent.at(-1)?.password;
  assert.equal(typeof p, "string");
  return p as string;
};

test("password: traits and length validation", () => {
  const impl = getKindImpl("password")!;
  assert.equal(impl.refreshable, true);
  assert.deepEqual(impl.sends, ["password"]);
  assert.equal(invalid("password", "p", {}), undefined);
  assert.match(invalid("password", "p", { length: 0n })!, /length must be in 1\.\.65535/);
  assert.match(invalid("password", "p", { length: 65536n })!, /length/);
});

test("password: generated once (default 64 alphanumeric), kept 0600, sent on every run", async () => {
  const { res, h } = await start("password", "db", { saved: true });
  assert.equal(await res.checkApply(false, h.abort.signal), false, "noop: would generate");
  const candidate = sentPassword(h.sent);
  assert.equal(candidate.length, 64, "noop sends a candidate so receivers can plan");
  const file = join(await h.ctx.varDir(), "password");
  assert.throws(() => statSync(file), "noop wrote nothing");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  const p1 = sentPassword(h.sent);
  assert.equal(p1.length, 64);
  for (const c of p1) assert.ok(PASSWORD_ALPHABET.includes(c));
  assert.equal(readFileSync(file, "utf8"), p1 + "\n");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.equal(sentPassword(h.sent), p1);
  assert.notEqual(p1, candidate, "the noop candidate was not kept");
  assert.equal(h.sent.length, 3, "sent on the unchanged run too");
});

test("password: saved survives a new instance; a refresh regenerates", async () => {
  const state = tempDir();
  const first = await start("password", "db", { saved: true, length: 20n }, makeContext("password", "db", state));
  await first.res.checkApply(true, first.h.abort.signal);
  const p1 = sentPassword(first.h.sent);
  assert.equal(p1.length, 20);

  const second = await start("password", "db", { saved: true, length: 20n }, makeContext("password", "db", state));
  assert.equal(await second.res.checkApply(true, second.h.abort.signal), true);
  assert.equal(sentPassword(second.h.sent), p1, "same password from the state dir");

  second.h.setRefresh(true);
  assert.equal(await second.res.checkApply(true, second.h.abort.signal), false);
  const p2 = sentPassword(second.h.sent);
  assert.notEqual(p2, p1);
  second.h.setRefresh(false);
  const third = await start("password", "db", { saved: true, length: 20n }, makeContext("password", "db", state));
  await third.res.checkApply(true, third.h.abort.signal);
  assert.equal(sentPassword(third.h.sent), p2);
});

test("password: unsaved keeps only a token on disk; a new instance regenerates", async () => {
  const state = tempDir();
  const a = await start("password", "tok", {}, makeContext("password", "tok", state));
  await a.res.checkApply(true, a.h.abort.signal);
  const p1 = sentPassword(a.h.sent);
  const file = join(await a.h.ctx.varDir(), "password");
  assert.equal(readFileSync(file, "utf8"), "\n");
  assert.equal(await a.res.checkApply(true, a.h.abort.signal), true);
  assert.equal(sentPassword(a.h.sent), p1, "stable within the instance");
  const b = await start("password", "tok", {}, makeContext("password", "tok", state));
  assert.equal(await b.res.checkApply(true, b.h.abort.signal), false);
  assert.notEqual(sentPassword(b.h.sent), p1);
});

test("password: the watch sees the file go; checkApply restores the same password", async () => {
  const { res, h } = await start("password", "w", { saved: true });
  const w = await recordWatch(res);
  try {
    await res.checkApply(true, h.abort.signal);
    await w.next(1); // our own write (create)
    const p1 = sentPassword(h.sent);
    const file = join(await h.ctx.varDir(), "password");
    const n = w.times.length;
    rmSync(file);
    await w.next(n);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    assert.equal(readFileSync(file, "utf8"), p1 + "\n");
  } finally {
    w.stop();
    await res.cleanup();
  }
});

test("password: a corrupt stored password is an error, or regenerated with check_recovery", async () => {
  const state = tempDir();
  const a = await start("password", "c", { saved: true, length: 8n }, makeContext("password", "c", state));
  await a.res.checkApply(true, a.h.abort.signal);
  writeFileSync(join(await a.h.ctx.varDir(), "password"), "short\n");
  const b = await start("password", "c", { saved: true, length: 8n }, makeContext("password", "c", state));
  await assert.rejects(b.res.checkApply(true, b.h.abort.signal), /integrity check failed: invalid length 5, expected 8/);
  const c = await start("password", "c", { saved: true, length: 8n, check_recovery: true }, makeContext("password", "c", state));
  assert.equal(await c.res.checkApply(true, c.h.abort.signal), false);
  assert.equal(sentPassword(c.h.sent).length, 8);
});
