import { test, after } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, renameSync, mkdirSync, unlinkSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { activeWatchHandles, watchPath, watchPath$, type WatchEvent } from "../../runtime/watch/index.js";

const root = mkdtempSync(join(tmpdir(), "steward-watch-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** Poll until `cond()` holds; fail after `ms`. No blind sleeps. */
async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function recorder(path: string) {
  const events: WatchEvent[] = [];
  const stop = watchPath(path, (e) => events.push(e));
  const kinds = () => events.map((e) => e.kind);
  const has = (k: string, from = 0) => events.slice(from).some((e) => e.kind === k);
  return { events, stop, kinds, has };
}

test("write, atomic rename-replace, delete and recreate of a file", async () => {
  const dir = join(root, "t1");
  mkdirSync(dir);
  const f = join(dir, "file.txt");
  writeFileSync(f, "one");
  const r = recorder(f);
  assert.equal(activeWatchHandles(), 1);

  appendFileSync(f, "two");
  await until(() => r.has("change"), "change on write");

  let n = r.events.length;
  const tmp = join(dir, ".file.txt.tmp");
  writeFileSync(tmp, "replaced");
  renameSync(tmp, f);
  await until(() => r.has("change", n), "change on atomic replace");
  n = r.events.length;
  appendFileSync(f, "after replace");
  await until(() => r.has("change", n), "change after the replace (parent watch is still alive)");

  n = r.events.length;
  unlinkSync(f);
  await until(() => r.has("delete", n), "delete");
  n = r.events.length;
  writeFileSync(f, "again");
  await until(() => r.has("create", n), "create on recreate");
  n = r.events.length;
  appendFileSync(f, "more");
  await until(() => r.has("change", n), "change after recreate");

  assert.ok(r.events.every((e) => e.path === f));
  writeFileSync(join(dir, "other"), "x"); // siblings don't wake us
  r.stop();
  assert.equal(activeWatchHandles(), 0);
});

test("parent directories created later: anchored on the nearest ancestor, then walks down", async () => {
  const base = join(root, "t2");
  mkdirSync(base);
  const f = join(base, "a", "b", "c.conf");
  const r = recorder(f);
  assert.equal(activeWatchHandles(), 1);
  mkdirSync(join(base, "a"));
  await until(() => activeWatchHandles() === 1 && r.events.length === 0, "anchor on a");
  mkdirSync(join(base, "a", "b"));
  writeFileSync(f, "hello");
  await until(() => r.has("create"), "create after parents appear");
  const n = r.events.length;
  appendFileSync(f, "!");
  await until(() => r.has("change", n), "change once anchored on the parent");
  assert.equal(activeWatchHandles(), 1);

  // the whole tree goes away: re-anchor upward, report delete, then come back down
  const m = r.events.length;
  rmSync(join(base, "a"), { recursive: true });
  await until(() => r.has("delete", m), "delete when the parent tree is removed");
  const k = r.events.length;
  mkdirSync(join(base, "a", "b"), { recursive: true });
  writeFileSync(f, "back");
  await until(() => r.has("create", k), "create after the tree is recreated");
  r.stop();
  assert.equal(activeWatchHandles(), 0);
});

test("shared handles are reference-counted; the Observable form releases on unsubscribe", async () => {
  const dir = join(root, "t3");
  mkdirSync(dir);
  const a = recorder(join(dir, "a"));
  const b = recorder(join(dir, "b"));
  const seen: WatchEvent[] = [];
  const sub = watchPath$(join(dir, "a")).subscribe((e) => seen.push(e));
  assert.equal(activeWatchHandles(), 1);
  writeFileSync(join(dir, "a"), "1");
  await until(() => a.has("create") && seen.some((e) => e.kind === "create"), "create a");
  assert.equal(b.events.length, 0);
  a.stop();
  sub.unsubscribe();
  assert.equal(activeWatchHandles(), 1);
  b.stop();
  assert.equal(activeWatchHandles(), 0);
});

test("1,000 subscribe/unsubscribe cycles leave 0 handles", () => {
  const dir = join(root, "t4");
  mkdirSync(join(dir, "x"), { recursive: true });
  for (let i = 0; i < 1000; i++) {
    const stops = [
      watchPath(join(dir, `f${i % 7}`), () => {}),
      watchPath(join(dir, "x", "y", "z"), () => {}),
      watchPath(join(dir, "missing", "deep", "file"), () => {}),
    ];
    for (const s of stops) s();
    for (const s of stops) s(); // idempotent
  }
  assert.equal(activeWatchHandles(), 0);
});

test("1,000 watched files in one directory: each write reaches its own subscriber only", async () => {
  const dir = join(root, "t5");
  mkdirSync(dir);
  const N = 1000;
  const counts = new Array<number>(N).fill(0);
  const stops = Array.from({ length: N }, (_, i) => watchPath(join(dir, `f${i}`), () => counts[i]!++));
  // a sibling being written (a temp file, as atomic writes do) is nobody's business
  writeFileSync(join(dir, ".f0.tmp"), "x");
  for (let i = 0; i < N; i += 2) writeFileSync(join(dir, `f${i}`), "x");
  await until(() => counts.every((c, i) => i % 2 === 1 || c > 0), "an event for every written file");
  assert.ok(counts.every((c, i) => i % 2 === 0 || c === 0), "an unwritten file's subscriber got an event");
  for (const s of stops) s();
  assert.equal(activeWatchHandles(), 0);
});
