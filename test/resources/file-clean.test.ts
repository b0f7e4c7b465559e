/**
 * `file`'s synchronous clean look (Resource.isClean) against its checkApply: over every
 * combination of params and what is on disk, isClean() may only say true where a noop checkApply
 * finds nothing to do, and it does say true for the plain clean cases (else the engine's fast path
 * would never be taken).
 */
import { test, after } from "node:test";
import * as assert from "node:assert/strict";
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Value } from "../../lang/values.js";
import "../../stdlib/resources/file.js";
import { removeTempDirs, start, tempDir } from "./harness.js";

after(removeTempDirs);

type Disk = "missing" | "file a 0644" | "file b 0644" | "file a 0600" | "dir" | "symlink to file a" | "big file";

const DISKS: readonly Disk[] = ["missing", "file a 0644", "file b 0644", "file a 0600", "dir", "symlink to file a", "big file"];
const BIG = "x".repeat(100_000);

function makeDisk(d: string, p: string, disk: Disk): void {
  rmSync(p, { recursive: true, force: true });
  if (disk === "missing") return;
  if (disk === "dir") return mkdirSync(p);
  if (disk === "symlink to file a") {
    writeFileSync(join(d, "target"), "a\n");
    return symlinkSync(join(d, "target"), p);
  }
  writeFileSync(p, disk === "big file" ? BIG : disk.startsWith("file a") ? "a\n" : "b\n");
  chmodSync(p, disk.endsWith("0600") ? 0o600 : 0o644);
}

function paramSets(): Record<string, Value>[] {
  const out: Record<string, Value>[] = [];
  for (const state of ["exists", "absent", ""])
    for (const content of ["a\n", BIG, undefined])
      for (const mode of ["0644", "0600", "u=rw,go=r", undefined])
        for (const owner of ["root", "nobody", undefined]) {
          if (state === "absent" && (content !== undefined || mode !== undefined || owner !== undefined)) continue;
          const p: Record<string, Value> = { state };
          if (content !== undefined) p["content"] = content;
          if (mode !== undefined) p["mode"] = mode;
          if (owner !== undefined) p["owner"] = owner;
          out.push(p);
        }
  return out;
}

test("isClean() is true only where a noop checkApply finds nothing to do", async () => {
  const d = tempDir();
  const f = join(d, "f");
  let cleanCases = 0;
  for (const params of paramSets())
    for (const disk of DISKS) {
      makeDisk(d, f, disk);
      const { res, h } = await start("file", f, params);
      const clean = res.isClean!();
      let checked: boolean | string;
      try {
        checked = await res.checkApply(false, h.abort.signal);
      } catch (e) {
        checked = (e as Error).message;
      }
      const what = `${JSON.stringify({ ...params, content: params["content"] === BIG ? "<big>" : params["content"] })} on ${disk}`;
      if (clean) {
        cleanCases++;
        assert.equal(checked, true, `isClean said true but checkApply(false) gave ${String(checked)}: ${what}`);
      }
      await res.cleanup();
    }
  assert.ok(cleanCases > 20, `the fast path answers the plain clean cases (${cleanCases})`);
});

test("isClean() answers the plain clean cases: content and mode right, absent and absent, unmanaged existence", async () => {
  const d = tempDir();
  const f = join(d, "f");
  const clean = async (params: Record<string, Value>, disk: Disk): Promise<boolean> => {
    makeDisk(d, f, disk);
    const { res } = await start("file", f, params);
    const c = res.isClean!();
    await res.cleanup();
    return c;
  };
  assert.equal(await clean({ state: "exists", content: "a\n", mode: "0644" }, "file a 0644"), true);
  assert.equal(await clean({ state: "absent" }, "missing"), true);
  assert.equal(await clean({ content: "a\n" }, "missing"), true, "existence unmanaged: nothing there to manage");
  assert.equal(await clean({ state: "exists", mode: "0755" }, "dir"), false, "a directory where a file is wanted");
  assert.equal(await clean({ state: "exists", content: "a\n", mode: "0644" }, "file b 0644"), false);
  assert.equal(await clean({ state: "exists", content: "a\n", mode: "0644" }, "file a 0600"), false);
  assert.equal(await clean({ state: "exists", content: "a\n" }, "symlink to file a"), false, "symlinks are left to checkApply");
  assert.equal(await clean({ state: "exists", content: BIG }, "big file"), false, "big files are left to checkApply");
});
