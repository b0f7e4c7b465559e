/**
 * `atomicWrite` of stdlib/resources/file-fs.ts on real files: a new small file is created at its
 * final path (no temp file, no rename) with its exact mode whatever the umask; a file that
 * appeared after the caller looked is still replaced atomically; a replacement keeps the old
 * file's mode.
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { atomicWrite } from "../../stdlib/resources/file-fs.js";

const dir = mkdtempSync(join(tmpdir(), "steward-file-fs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (p: string): number => statSync(p).mode & 0o7777;

test("a new file is created in place with its exact mode, nothing else left behind", async () => {
  const d = mkdtempSync(join(dir, "new-"));
  const f = join(d, "f");
  const old = process.umask(0o077);
  try {
    await atomicWrite(f, "hello\n", null, 0o644);
  } finally {
    process.umask(old);
  }
  assert.equal(readFileSync(f, "utf8"), "hello\n");
  assert.equal(modeOf(f), 0o644, "the umask does not narrow the mode asked for");
  assert.deepEqual(readdirSync(d), ["f"]);
});

test("a file that appeared after the caller looked is replaced atomically", async () => {
  const d = mkdtempSync(join(dir, "raced-"));
  const f = join(d, "f");
  writeFileSync(f, "someone else's\n");
  const ino = statSync(f).ino;
  await atomicWrite(f, "ours\n", null, 0o600);
  assert.equal(readFileSync(f, "utf8"), "ours\n");
  assert.equal(modeOf(f), 0o600);
  assert.notEqual(statSync(f).ino, ino, "a new inode renamed over it, not a write in place");
  assert.deepEqual(readdirSync(d), ["f"]);
});

test("a content fix replaces the file and keeps its mode", async () => {
  const d = mkdtempSync(join(dir, "fix-"));
  const f = join(d, "f");
  writeFileSync(f, "old\n", { mode: 0o640 });
  const before = statSync(f);
  await atomicWrite(f, "new\n", before);
  assert.equal(readFileSync(f, "utf8"), "new\n");
  assert.equal(modeOf(f), 0o640);
  assert.notEqual(statSync(f).ino, before.ino);
  assert.deepEqual(readdirSync(d), ["f"]);
});
