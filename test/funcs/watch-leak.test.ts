/**
 * Issue 3 §1b: no watch leaks across 1,000 recompiles of a program that reads files. Each round
 * compiles and runs a program whose `os.readfile` and `os.file_exists` watch real files (the
 * path changes every round, so each round is a new program, not a cached one), waits for its
 * first graph, and stops it. Afterwards the shared watcher holds no fs.watch handle.
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { memoryHost } from "../../lang/host.js";
import { runProgram, type ProgramEvent } from "../../runtime/funcs/run-program.js";
import { activeWatchHandles } from "../../runtime/watch/watcher.js";

test("1,000 recompiles of a file-reading program leave no watch behind", async () => {
  const dir = mkdtempSync(join(tmpdir(), "steward-watch-leak-"));
  try {
    const before = activeWatchHandles();
    for (let i = 0; i < 1000; i++) {
      const file = join(dir, `f${i % 10}`);
      writeFileSync(file, `round ${i}\n`);
      const src = `import "os"\n$c = os.readfile("${file}")\n$e = os.file_exists("${join(dir, "missing", `m${i}`)}")\ntest "r${i}" {\n\tanotherstr => $c,\n\tboolptr => $e,\n}\n`;
      let watching = 0;
      const ev = await new Promise<ProgramEvent>((resolve) => {
        const sub = runProgram("/main.mcl", memoryHost({ "/main.mcl": src })).subscribe((e) => {
          watching = activeWatchHandles();
          queueMicrotask(() => sub.unsubscribe());
          resolve(e);
        });
      });
      assert.ok("graph" in ev, JSON.stringify(ev));
      assert.ok(watching > before, "the program watches its files while it runs");
    }
    assert.equal(activeWatchHandles(), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
