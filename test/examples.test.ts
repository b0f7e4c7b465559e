/**
 * Every program in examples/ is valid and canonically formatted (issue 2, "Done when"): `steward
 * check` exits 0 and `steward fmt --check` exits 0. The library entry points are called in-process
 * for speed; one spawned CLI run checks them all through the real command line as well.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { runCheck, type CliIo } from "../runtime/cli/check.js";
import { join } from "node:path";
import { runFmt } from "../runtime/cli/fmt.js";
import { examplePrograms, REPO_ROOT } from "./helpers/examples.js";

const ROOT = REPO_ROOT;

function capture(): CliIo & { text(): string } {
  let s = "";
  return { out: (x) => void (s += x), err: (x) => void (s += x), text: () => s };
}

const progs = examplePrograms();

describe("examples", () => {
  test("there are at least 15 examples", () => {
    assert.ok(progs.length >= 15, `only ${progs.length} examples: ${progs.join(", ")}`);
  });

  const cwd = process.cwd();
  for (const p of progs) {
    test(`${p}: steward check exits 0`, async () => {
      process.chdir(ROOT);
      try {
        const io = capture();
        const code = await runCheck([p], {}, io);
        assert.equal(code, 0, io.text());
      } finally {
        process.chdir(cwd);
      }
    });
    test(`${p}: steward fmt --check exits 0`, async () => {
      process.chdir(ROOT);
      try {
        const io = capture();
        const code = await runFmt([p], { check: true }, io);
        assert.equal(code, 0, `not canonically formatted:\n${io.text()}`);
      } finally {
        process.chdir(cwd);
      }
    });
  }

  test("the CLI checks and format-checks all of them in one run each", () => {
    const cli = join(ROOT, "runtime/cli/main.ts");
    const check = spawnSync(process.execPath, ["--import", "tsx", cli, "check", ...progs], { cwd: ROOT, encoding: "utf8" });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.equal(check.stdout, "");
    const fmt = spawnSync(process.execPath, ["--import", "tsx", cli, "fmt", "--check", "examples"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(fmt.status, 0, fmt.stdout + fmt.stderr);
  });
});
