// A managed file deleted a few milliseconds after the engine restored it — while the restoring
// checkApply may still be running, or before the watch's delete event is processed — must come
// back: the race between a resource's own steps and a concurrent delete is not a failure.
import { test } from "node:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../runtime/engine/engine.js";
import { runProgram } from "../../runtime/funcs/run-program.js";
import { createNodeHost } from "../../runtime/cli/node-host.js";
import { MemoryWorld } from "../../runtime/world/memory.js";
import "../../stdlib/resources/index.js";

const read = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, "utf8") : undefined);
async function until(f: () => boolean, what: string): Promise<void> {
  const t = Date.now();
  while (!f()) {
    if (Date.now() - t > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

test("a file deleted right after the engine restored it is restored again (100 rounds, no gap)", async () => {
  const d = mkdtempSync(join(tmpdir(), "steward-race-"));
  const p = join(d, "managed");
  writeFileSync(join(d, "main.mcl"), `file "${p}" {\n\tstate => "exists",\n\tcontent => "enforced\\n",\n}\n`);
  const world = new MemoryWorld("a");
  const engine = new Engine({ hostname: "a", world, stateDir: d, noop: false, autoedges: true, autogroup: true });
  const errors: string[] = [];
  const evs = engine.events$.subscribe((e) => {
    if (e.event === "error" && e.retriesLeft === 0) errors.push(e.message);
  });
  const sub = runProgram(join(d, "main.mcl"), createNodeHost(), { hostname: "a", world, stateDir: d }).subscribe((ev) => {
    if ("graph" in ev) void engine.apply(ev.graph);
  });
  try {
    await until(() => read(p) === "enforced\n", "the first apply");
    for (let i = 0; i < 100; i++) {
      writeFileSync(p, "drifted\n");
      await until(() => read(p) === "enforced\n", `drift ${i} corrected`);
      unlinkSync(p);
      await until(() => read(p) === "enforced\n", `delete ${i} corrected (errors: ${errors.join("; ")})`);
    }
  } finally {
    sub.unsubscribe();
    evs.unsubscribe();
    await engine.shutdown(true);
    rmSync(d, { recursive: true, force: true });
  }
});
