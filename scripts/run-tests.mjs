// Runs every test file with node:test. Node 20's `node --test DIR` silently runs nothing and
// does not expand globs, so the files are listed here explicitly.
import { readdirSync, statSync } from "node:fs";
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
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-force-exit", ...files], {
  stdio: "inherit",
});
process.exit(r.status ?? 1);
