// The warm-up that makes V8's code caches of the bin's bundles (dist/runtime/cli/steward-*.cjs.cache),
// run by scripts/bundle.mjs at build time. Each step is a real command of the built bin in a child
// process with plain `node` (V8 refuses a cache made with other V8 flags than a user's run) and
// STEWARD_CODE_CACHE_WRITE=1: at its exit the loader (runtime/cli/bin-loader.ts) writes the cache of
// every bundle it loaded with every function compiled so far, those it took from the cache of an
// earlier step included, so the steps add up. `script.createCachedData()` after a run holds the
// lazily compiled functions too, which is what makes the cache worth more than a parse cache.
//
// The steps are what one-shot users run most: `check` of programs, `fmt`, `graph`, and a `run`
// that applies once. `run --noop` plans and checks every resource without changing the machine
// (the build may run as root) and goes through the same loading, type-checking, function engine
// and resource engine code. `deploy` and `etcd` need a cluster: their bundles have no cache and
// are compiled from source. A step that fails only leaves a cache smaller: the bin works the same.
//
// The last steps are the one-shot `run` of benchmarks and cron users for real, not `--noop`: exec
// resources that start processes (/bin/true changes nothing, even as root), ordered by an edge,
// the JSON log, the converger's timeout and the exit path, first compiled and then from the
// compile cache (runtime/cli/compile-cache.ts; kept in a throw-away XDG_CACHE_HOME). `--noop`
// never reaches the code that spawns a command and reports it, so without these a bench's `run`
// compiled it from source (issue 4, "run start-up pass" in docs/benchmarks.md).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** @type {readonly (readonly string[])[]} */
const STEPS = [
  ["--version"],
  ["check", "examples/hello.mcl", "examples/classes.mcl", "examples/funcs-lambdas.mcl"],
  ["fmt", "--check", "examples/hello.mcl"],
  ["graph", "examples/hello.mcl"],
  ["run", "--noop", "--converged-timeout", "0", "--tmp-prefix", "examples/hello.mcl"],
  // exec, print and edges; the JSON log of benchmarks and tests (pino)
  ["run", "--noop", "--converged-timeout", "0", "--tmp-prefix", "--log-format", "json", "examples/edges.mcl"],
];

const EXEC_PROGRAM = `exec "a" {\n\tcmd => "/bin/true",\n}\nexec "b" {\n\tcmd => "/bin/true",\n}\nExec["a"] -> Exec["b"]\n`;
const RUN_ARGS = ["run", "--tmp-prefix", "--converged-timeout", "0", "--log-format", "json"];
/** Files written for real (not `--noop`): creating them, then the no-change re-run of the same program. */
const filesProgram = (dir) => [0, 1, 2].map((i) => `file "${dir}/f${i}" {\n\tstate => "exists",\n\tcontent => "${i}\\n",\n\tmode => "0644",\n}\n`).join("");

/**
 * Make the code caches of the bin `bin` (dist/runtime/cli/main.js; no caches yet) by running STEPS
 * in `root`; returns the warnings of the steps that failed (also printed).
 */
export function warmCodeCache(root, bin) {
  const work = mkdtempSync(join(tmpdir(), "steward-warm-up-"));
  try {
    const prog = join(work, "main.mcl");
    writeFileSync(prog, EXEC_PROGRAM);
    // twice: a compile, then the graph from the compile cache (what a repeated one-shot run takes)
    const run = [...RUN_ARGS, prog];
    const files = join(work, "files.mcl");
    writeFileSync(files, filesProgram(join(work, "files")));
    // the plain-text log of a one-shot run, as cron users and benchmarks run it
    const runFiles = ["run", "--tmp-prefix", "--converged-timeout", "0", files];
    return runSteps(root, bin, [...STEPS, run, run, runFiles, runFiles, runFiles], { XDG_CACHE_HOME: join(work, "cache") });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runSteps(root, bin, steps, env) {
  const warnings = [];
  for (const args of steps) {
    const r = spawnSync(process.execPath, [bin, ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, ...env, STEWARD_CODE_CACHE_WRITE: "1" },
    });
    // `fmt --check` exits 1 when a file would change: still a complete warm-up.
    if (r.status !== 0 && !(args[0] === "fmt" && r.status === 1)) {
      const why = r.error?.message ?? (r.stderr.trim().split("\n")[0] || `exit ${r.status ?? r.signal}`);
      warnings.push(`scripts/code-cache.mjs: warm-up 'steward ${args.join(" ")}' failed (${why}); its code is not cached`);
      console.warn(warnings.at(-1));
    }
  }
  return warnings;
}
