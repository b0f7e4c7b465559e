// Runs every test file with node:test. Node 20's `node --test DIR` silently runs nothing and
// does not expand globs, so the files are listed here explicitly.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { provision } from "./provision-tests.mjs";

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}
provision();
const files = walk("test");
if (files.length === 0) {
  console.error("no test files found under test/");
  process.exit(1);
}
// --test-force-exit: a test file that fails halfway may leave a watch or a child behind; its
// process must still end so the run reports the failure instead of hanging.
// Every `steward run` a test starts keeps its compile cache (runtime/cli/compile-cache.ts) under
// $XDG_CACHE_HOME: give the whole run its own, removed at the end, so the tests leave the user's
// ~/.cache alone and no run is served by an entry a previous run of the suite left behind.
const cacheHome = mkdtempSync(join(tmpdir(), "steward-test-cache-"));
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-force-exit", ...files], {
  stdio: "inherit",
  env: { ...process.env, XDG_CACHE_HOME: cacheHome },
});
rmSync(cacheHome, { recursive: true, force: true });
process.exit(r.status ?? 1);
