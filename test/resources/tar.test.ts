/**
 * The `tar` kind against the real file system and the real GNU tar: members as the reference
 * names them, the three formats, drift (an input edited, the archive deleted or modified → the
 * watch fires → rebuilt), a byte-identical archive put back is kept, one-line errors, and that
 * `steward check` type-checks its fields. Archives are read back with `tar --list` / `--extract`.
 */
import { after, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileSource } from "../../lang/compile.js";
import "../../stdlib/resources/tar.js";
import { invalid, recordWatch, removeTempDirs, start, tempDir } from "./harness.js";

const never = new AbortController().signal;

after(removeTempDirs);

function tarList(archive: string): string[] {
  const r = spawnSync("tar", ["--list", "--file", archive], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "");
}

/** The typeflag byte of the first header block (`0` file, `5` dir, `x` pax, `L` GNU long name). */
function firstTypeflag(archive: string): string {
  return String.fromCharCode(readFileSync(archive)[156]!);
}

/** A small tree: `src/a.txt`, `src/sub/b.txt`, `src/link -> a.txt`, and a lone file `one.txt`. */
function tree(): { root: string; src: string; one: string } {
  const root = tempDir("steward-tar-");
  const src = join(root, "src");
  mkdirSync(join(src, "sub"), { recursive: true });
  writeFileSync(join(src, "a.txt"), "alpha\n");
  writeFileSync(join(src, "sub", "b.txt"), "beta\n");
  symlinkSync("a.txt", join(src, "link"));
  writeFileSync(join(root, "one.txt"), "one\n");
  return { root, src, one: join(root, "one.txt") };
}

describe("tar", { concurrency: false }, () => {
  test("validation", () => {
    assert.equal(invalid("tar", "/tmp/x.tar", { inputs: ["/etc/hosts"] }), undefined);
    assert.match(invalid("tar", "x.tar", {})!, /path "x.tar" must be absolute/);
    assert.match(invalid("tar", "/tmp/d/", {})!, /must be a file/);
    assert.match(invalid("tar", "/tmp/x.tar", { format: 3n })!, /format must be 0 \(default\), 2 \(ustar\), 4 \(pax\) or 8 \(gnu\), got 3/);
    assert.match(invalid("tar", "/tmp/x.tar", { inputs: ["rel"] })!, /input "rel" must be absolute/);
    assert.match(invalid("tar", "/srv/b/x.tar", { inputs: ["/srv/"] })!, /lies inside input/);
    assert.match(invalid("tar", "/srv/x.tar", { inputs: ["/srv/x.tar"] })!, /is the archive itself/);
  });

  test("members: a file by its name, a dir with its name, a dir/ as its contents; rebuilt only when needed", async () => {
    const { root, src, one } = tree();
    const out = join(root, "out.tar");
    const { res, h } = await start("tar", out, { inputs: [one, src, src + "/"] });
    assert.equal(await res.checkApply(false, never), false);
    assert.equal(existsSync(out), false, "noop builds nothing");
    assert.match(h.logs.at(-1)!, /would rebuild .*out\.tar: .* does not exist/);
    assert.equal(await res.checkApply(true, never), false);
    assert.deepEqual(tarList(out), ["one.txt", "src/", "src/a.txt", "src/link", "src/sub/", "src/sub/b.txt", "a.txt", "link", "sub/", "sub/b.txt"]);
    assert.equal(await res.checkApply(true, never), true, "second run: nothing to do");

    const x = join(root, "x");
    mkdirSync(x);
    assert.equal(spawnSync("tar", ["--extract", "--file", out, "--directory", x]).status, 0);
    assert.equal(readFileSync(join(x, "src", "sub", "b.txt"), "utf8"), "beta\n");
    assert.equal(readFileSync(join(x, "link"), "utf8"), "alpha\n");
    assert.deepEqual(readdirSync(root).filter((n) => n.includes(".tmp")), [], "no temp file left");
  });

  test("drift: input edited, archive modified, archive deleted → the watch fires and it is rebuilt", async () => {
    const { root, src } = tree();
    const out = join(root, "out.tar");
    const { res } = await start("tar", out, { inputs: [src] });
    const w = await recordWatch(res);
    try {
      await w.next(0);
      assert.equal(await res.checkApply(true, never), false);
      const extract = (): string => {
        const x = join(root, `x${Math.random()}`);
        mkdirSync(x);
        assert.equal(spawnSync("tar", ["--extract", "--file", out, "--directory", x]).status, 0);
        return readFileSync(join(x, "src", "sub", "b.txt"), "utf8");
      };

      let seen = w.times.length;
      writeFileSync(join(src, "sub", "b.txt"), "changed\n"); // two levels down: the recursive watch
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(extract(), "changed\n");
      assert.equal(await res.checkApply(true, never), true);

      seen = w.times.length;
      appendFileSync(out, "garbage");
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false, "modified archive rebuilt");
      assert.equal(extract(), "changed\n");

      seen = w.times.length;
      unlinkSync(out);
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false, "deleted archive rebuilt");
      assert.equal(extract(), "changed\n");

      // the same bytes put back under a new inode: kept (the sha256 decides, not the stamp)
      copyFileSync(out, out + ".copy");
      renameSync(out + ".copy", out);
      assert.equal(await res.checkApply(true, never), true);
      assert.equal(await res.checkApply(true, never), true);

      // a new file in the input tree
      seen = w.times.length;
      writeFileSync(join(src, "new.txt"), "new\n");
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false);
      assert.ok(tarList(out).includes("src/new.txt"));
    } finally {
      w.stop();
    }
  });

  test("formats: ustar refuses a long name, pax and gnu store it their way", async () => {
    const root = tempDir("steward-tar-");
    const long = join(root, "n".repeat(120));
    writeFileSync(long, "x");
    const build = async (format: bigint, out: string) => (await start("tar", join(root, out), { inputs: [long], format })).res.checkApply(true, never);
    await assert.rejects(build(2n, "u.tar"), (e: Error) => /^tar: .*file name is too long/.test(e.message) && !e.message.includes("\n"));
    assert.equal(existsSync(join(root, "u.tar")), false);
    assert.deepEqual(readdirSync(root).filter((n) => n.includes(".tmp")), [], "partial output removed");
    await build(4n, "p.tar");
    assert.equal(firstTypeflag(join(root, "p.tar")), "x");
    await build(8n, "g.tar");
    assert.equal(firstTypeflag(join(root, "g.tar")), "L");
    assert.deepEqual(tarList(join(root, "g.tar")), ["n".repeat(120)]);
  });

  test("the format is part of the recorded state: changing it rebuilds", async () => {
    const { root, one } = tree();
    const out = join(root, "f.tar");
    const a = await start("tar", out, { inputs: [one], format: 2n });
    assert.equal(await a.res.checkApply(true, never), false);
    const b = await start("tar", out, { inputs: [one], format: 8n }, a.h);
    assert.equal(await b.res.checkApply(true, never), false);
    assert.equal(await b.res.checkApply(true, never), true);
  });

  test("an empty input list makes an empty archive; a missing input is a one-line error", async () => {
    const root = tempDir("steward-tar-");
    const empty = join(root, "empty.tar");
    assert.equal(await (await start("tar", empty, {})).res.checkApply(true, never), false);
    assert.deepEqual(tarList(empty), []);
    const { res } = await start("tar", join(root, "m.tar"), { inputs: [join(root, "nodir") + "/"] });
    await assert.rejects(res.checkApply(true, never), /^Error: input .*nodir\/: does not exist$/);
    const r2 = await start("tar", join(root, "m2.tar"), { inputs: [join(root, "nope")] });
    await assert.rejects(r2.res.checkApply(true, never), /^Error: input .*\/nope: does not exist$/);
    const r3 = await start("tar", join(root, "no", "dir", "x.tar"), { inputs: [] });
    await assert.rejects(r3.res.checkApply(true, never), /parent directory .*\/no\/dir does not exist/);
    rmSync(empty);
  });

  test("steward check type-checks the fields", () => {
    assert.deepEqual(compileSource(`tar "/tmp/x.tar" {\n\tinputs => ["/etc/hosts"],\n\tformat => 4,\n}\n`).diagnostics, []);
    const bad = compileSource(`tar "/tmp/x.tar" {\n\tinputs => "/etc/hosts",\n}\n`).diagnostics;
    assert.match(bad[0]!.message, /expected \[\]str, found str/);
    assert.match(compileSource(`tar "/tmp/x.tar" {\n\tformat => "pax",\n}\n`).diagnostics[0]!.message, /expected int, found str/);
  });
});
