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
// No --test-force-exit: Node 20 then ends a file's process as soon as its last test finishes,
// before the reporter has written everything, and the reports of its last tests are lost (the
// golden suite counted 307 of its 320 tests in one run of five; CI's totals moved by 20). Tests
// clean up what they start; should a failing file leave a process or handle behind and keep its
// process alive, the whole run is stopped after RUN_TIMEOUT_MS and fails with a one-line reason.
const RUN_TIMEOUT_MS = 25 * 60_000;
// Every `steward run` a test starts keeps its compile cache (runtime/cli/compile-cache.ts) under
// $XDG_CACHE_HOME: give the whole run its own, removed at the end, so the tests leave the user's
// ~/.cache alone and no run is served by an entry a previous run of the suite left behind.
const cacheHome = mkdtempSync(join(tmpdir(), "steward-test-cache-"));
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], {
  stdio: "inherit",
  env: { ...process.env, XDG_CACHE_HOME: cacheHome },
  timeout: RUN_TIMEOUT_MS,
  killSignal: "SIGKILL",
});
rmSync(cacheHome, { recursive: true, force: true });
if (r.error?.code === "ETIMEDOUT") {
  console.error(`scripts/run-tests.mjs: the tests did not finish within ${RUN_TIMEOUT_MS / 60_000} min: a test file left a process or handle running (run the files one by one to find it)`);
  process.exit(1);
}
process.exit(r.status ?? 1);
