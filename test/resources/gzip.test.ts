/**
 * The `gzip` kind against the real file system: compress a file or a string, read the result back
 * with node:zlib and with the system's `gzip -t`, drift (the input edited, the output deleted or
 * modified → the watch fires → rebuilt), level changes, one-line errors, and that `steward check`
 * type-checks its fields.
 */
import { after, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, readdirSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compileSource } from "../../lang/compile.js";
import "../../stdlib/resources/gzip.js";
import { invalid, recordWatch, removeTempDirs, start, tempDir } from "./harness.js";

const never = new AbortController().signal;

after(removeTempDirs);

const gunzip = (p: string): string => gunzipSync(readFileSync(p)).toString("utf8");

describe("gzip", { concurrency: false }, () => {
  test("validation", () => {
    assert.equal(invalid("gzip", "/tmp/x.gz", { content: "hi" }), undefined);
    assert.equal(invalid("gzip", "/tmp/x.gz", { input: "/etc/hosts", level: 9n }), undefined);
    assert.match(invalid("gzip", "/tmp/x.gz", {})!, /set input or content/);
    assert.match(invalid("gzip", "/tmp/x.gz", { input: "/a", content: "b" })!, /either input or content, not both/);
    assert.match(invalid("gzip", "x.gz", { content: "" })!, /must be absolute/);
    assert.match(invalid("gzip", "/tmp/x.gz", { input: "a" })!, /input "a" must be absolute/);
    assert.match(invalid("gzip", "/tmp/x.gz", { content: "", level: 10n })!, /level must be in -2\.\.9/);
    assert.match(invalid("gzip", "/tmp/x.gz", { input: "/tmp/x.gz" })!, /input is the output itself/);
  });

  test("content: compressed once, kept, recompressed when the level changes", async () => {
    const root = tempDir("steward-gzip-");
    const out = join(root, "c.gz");
    const text = "hello gzip\n".repeat(200);
    const a = await start("gzip", out, { content: text });
    assert.equal(await a.res.checkApply(false, never), false);
    assert.equal(existsSync(out), false, "noop writes nothing");
    assert.equal(await a.res.checkApply(true, never), false);
    assert.equal(gunzip(out), text);
    assert.equal(spawnSync("gzip", ["-t", out]).status, 0, "the system gzip accepts it");
    assert.equal(await a.res.checkApply(true, never), true);
    const sizeDefault = readFileSync(out).byteLength;

    const b = await start("gzip", out, { content: text, level: 0n }, a.h);
    assert.equal(await b.res.checkApply(true, never), false, "level is part of the state");
    assert.equal(gunzip(out), text);
    assert.ok(readFileSync(out).byteLength > sizeDefault, "level 0 stores");
    assert.equal(await b.res.checkApply(true, never), true);
    const c = await start("gzip", out, { content: text, level: -2n }, a.h);
    assert.equal(await c.res.checkApply(true, never), false);
    assert.equal(gunzip(out), text);
    assert.deepEqual(readdirSync(root), ["c.gz"], "no temp file left");
  });

  test("drift: input edited, output modified, output deleted → the watch fires and it is rebuilt", async () => {
    const root = tempDir("steward-gzip-");
    const input = join(root, "in.txt");
    const out = join(root, "in.txt.gz");
    writeFileSync(input, "first\n");
    const { res } = await start("gzip", out, { input });
    const w = await recordWatch(res);
    try {
      await w.next(0);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(gunzip(out), "first\n");
      assert.equal(await res.checkApply(true, never), true);

      let seen = w.times.length;
      writeFileSync(input, "second\n");
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(gunzip(out), "second\n");

      seen = w.times.length;
      appendFileSync(out, "x");
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(gunzip(out), "second\n");

      seen = w.times.length;
      unlinkSync(out);
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(gunzip(out), "second\n");
      assert.equal(await res.checkApply(true, never), true);
    } finally {
      w.stop();
    }
  });

  test("an input behind a symlink is read through it; retargeting the link rebuilds", async () => {
    const root = tempDir("steward-gzip-");
    writeFileSync(join(root, "a"), "A\n");
    writeFileSync(join(root, "b"), "B\n");
    symlinkSync("a", join(root, "link"));
    const out = join(root, "l.gz");
    const { res } = await start("gzip", out, { input: join(root, "link") });
    assert.equal(await res.checkApply(true, never), false);
    assert.equal(gunzip(out), "A\n");
    writeFileSync(join(root, "a"), "A2\n");
    assert.equal(await res.checkApply(true, never), false, "the target's change is seen");
    assert.equal(gunzip(out), "A2\n");
    unlinkSync(join(root, "link"));
    symlinkSync("b", join(root, "link"));
    assert.equal(await res.checkApply(true, never), false);
    assert.equal(gunzip(out), "B\n");
  });

  test("one-line errors: a missing input, a directory input, a missing parent", async () => {
    const root = tempDir("steward-gzip-");
    const m = await start("gzip", join(root, "m.gz"), { input: join(root, "nope") });
    await assert.rejects(m.res.checkApply(true, never), /^Error: input .*\/nope: does not exist$/);
    const d = await start("gzip", join(root, "d.gz"), { input: root });
    await assert.rejects(d.res.checkApply(true, never), /^Error: input .*: is a directory$/);
    const p = await start("gzip", join(root, "no", "x.gz"), { content: "x" });
    await assert.rejects(p.res.checkApply(true, never), /^Error: parent directory .*\/no does not exist$/);
    assert.deepEqual(readdirSync(root), []);
  });

  test("steward check type-checks the fields", () => {
    assert.deepEqual(compileSource(`gzip "/tmp/x.gz" {\n\tinput => "/etc/hosts",\n\tlevel => 9,\n}\n`).diagnostics, []);
    assert.match(compileSource(`gzip "/tmp/x.gz" {\n\tlevel => "best",\n}\n`).diagnostics[0]!.message, /expected int, found str/);
    assert.match(compileSource(`gzip "/tmp/x.gz" {\n\tinputs => ["/a"],\n}\n`).diagnostics[0]!.message, /field `inputs` does not exist in `gzip` resource/);
  });
});
