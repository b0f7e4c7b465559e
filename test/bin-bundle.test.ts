/**
 * The built bin (`npm run build`: scripts/bundle.mjs, runtime/cli/bin-loader.ts): CommonJS bundles
 * run through vm.Script with V8 code caches made by the build's warm-up. These tests run a copy of
 * dist/runtime/cli in a temporary directory (other builds may rewrite dist/ meanwhile) and check
 * that V8 takes the caches the build made, that a refused, corrupt or missing cache changes nothing
 * but speed, and that the contracts of the bin hold through the loader: the npm bin symlink, exit
 * codes, one-line errors, the lazily loaded yaml and pino, etcd3's proto files.
 */
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { getKindImpl } from "../runtime/engine/resource.js";
import { KIND_MODULES } from "../stdlib/resources/kinds.js";
import { REPO_ROOT } from "./helpers/examples.js";

const DIST_CLI = join(REPO_ROOT, "dist/runtime/cli");

test("stdlib/resources/index.ts loads every kind kinds.ts names", async () => {
  await import("../stdlib/resources/index.js");
  for (const kind of Object.keys(KIND_MODULES)) assert.equal(getKindImpl(kind)?.kind, kind, `${kind} is not loaded by index.ts`);
});

describe("the built bin", () => {
  let dir = "";
  let bin = "";

  before(() => {
    assert.ok(existsSync(join(DIST_CLI, "steward-main.cjs")), "dist/runtime/cli/steward-main.cjs is missing: run `npm run build`");
    dir = mkdtempSync(join(tmpdir(), "steward-bin-"));
    const cli = join(dir, "dist/runtime/cli");
    mkdirSync(cli, { recursive: true });
    for (const f of readdirSync(DIST_CLI)) if (f === "main.js" || f === "package.json" || f.startsWith("steward-")) cpSync(join(DIST_CLI, f), join(cli, f));
    cpSync(join(REPO_ROOT, "dist/runtime/proto"), join(dir, "dist/runtime/proto"), { recursive: true });
    cpSync(join(REPO_ROOT, "package.json"), join(dir, "package.json"));
    bin = join(cli, "main.js");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const steward = (args: readonly string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, STEWARD_CODE_CACHE_DEBUG: "1", ...env },
    });
  const cacheLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("steward: code cache"));
  const hello = join(REPO_ROOT, "examples/hello.mcl");

  test("check takes the caches of the build and loads only main's and check's bundles", () => {
    const r = steward(["check", hello]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(cacheLines(r.stderr), [
      "steward: code cache of steward-main.cjs accepted",
      "steward: code cache of steward-check.cjs accepted",
    ]);
  });

  test("run applies once with the cached run bundle; json logs go through the lazily loaded pino", () => {
    const r = steward(["run", "--noop", "--converged-timeout", "0", "--tmp-prefix", "--log-format", "json", hello]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(cacheLines(r.stderr), [
      "steward: code cache of steward-main.cjs accepted",
      "steward: code cache of steward-run.cjs accepted",
    ]);
    const events = r.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => (JSON.parse(l) as { event?: string }).event);
    assert.ok(events.includes("converged"), `no converged event in: ${r.stderr}`);
  });

  test("the build's warm-up runs every step, a real exec run included, and leaves no files behind", async () => {
    // a variable specifier: scripts/ is plain JavaScript outside the type-checked tree
    const script = "../scripts/code-cache.mjs";
    const { warmCodeCache } = (await import(script)) as { warmCodeCache: (root: string, bin: string) => string[] };
    const warmUps = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith("steward-warm-up-")));
    const before = warmUps();
    rmSync(join(dir, "dist/runtime/cli/steward-run.cjs.cache"));
    assert.deepEqual(warmCodeCache(REPO_ROOT, bin), []);
    assert.deepEqual([...warmUps()].filter((f) => !before.has(f)), []);
    const prog = join(dir, "exec.mcl");
    writeFileSync(prog, `exec "a" {\n\tcmd => "/bin/true",\n}\n`);
    const r = steward(["run", "--no-cache", "--converged-timeout", "0", "--tmp-prefix", "--log-format", "json", prog]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(cacheLines(r.stderr).includes("steward: code cache of steward-run.cjs accepted"), r.stderr);
    assert.match(r.stderr, /"event":"exit","code":0/);
  });

  test("a program with metadata.yaml checks (yaml is loaded on its first use)", () => {
    const r = steward(["check", join(REPO_ROOT, "examples/webapp")]);
    assert.equal(r.status, 0, r.stderr);
  });

  test("a corrupt cache is refused silently and the command works the same", () => {
    const good = steward(["check", "--json", hello]);
    writeFileSync(join(dir, "dist/runtime/cli/steward-check.cjs.cache"), Buffer.alloc(4096, 7));
    const r = steward(["check", "--json", hello]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, good.stdout);
    assert.deepEqual(cacheLines(r.stderr), [
      "steward: code cache of steward-main.cjs accepted",
      "steward: code cache of steward-check.cjs rejected",
    ]);
    assert.equal(r.stderr.replace(/^steward: code cache.*\n/gm, ""), "");
  });

  test("a cache made with other V8 flags is refused; a missing one is compiled from source", () => {
    const flags = spawnSync(process.execPath, ["--no-opt", bin, "--version"], {
      encoding: "utf8",
      env: { ...process.env, STEWARD_CODE_CACHE_DEBUG: "1" },
    });
    assert.equal(flags.status, 0, flags.stderr);
    assert.match(flags.stderr, /steward-main\.cjs rejected/);
    rmSync(join(dir, "dist/runtime/cli/steward-fmt.cjs.cache"));
    const r = steward(["fmt", "--check", hello]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /steward-fmt\.cjs absent/);
  });

  test("through the npm bin symlink: --version, usage errors and their exit codes", () => {
    const link = join(dir, "steward");
    symlinkSync(bin, link);
    // executed as npm's bin link is: the kernel runs the bin's sh lines, which exec Node
    const run = (args: readonly string[]) => spawnSync(link, args, { encoding: "utf8", timeout: 60_000 });
    const v = run(["--version"]);
    assert.equal(v.status, 0, v.stderr);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(v.stdout, `${pkg.version}\n`);
    const u = run(["no-such-command"]);
    assert.equal(u.status, 2);
    assert.equal(u.stderr, "steward: unknown command 'no-such-command' (see 'steward --help')\n");
  });

  test("run directly, Node starts without NODE_EXTRA_CA_CERTS and the run sees the variable as it was", () => {
    const work = mkdtempSync(join(tmpdir(), "steward-extra-ca-"));
    try {
      const out = join(work, "env");
      const prog = join(work, "env.mcl");
      writeFileSync(prog, `import "fmt"\nimport "sys"\nfile "${out}" {\n\tstate => "exists",\n\tcontent => sys.getenv("NODE_EXTRA_CA_CERTS") + " " + fmt.printf("%v", sys.hasenv("STEWARD_DEFERRED_EXTRA_CA_CERTS")),\n}\n`);
      // a file Node can't load: Node warns at start when it reads the variable itself
      const ca = join(work, "missing-ca.pem");
      const args = ["run", "--converged-timeout", "0", "--tmp-prefix", prog];
      const env = { ...process.env, NODE_EXTRA_CA_CERTS: ca, STEWARD_CODE_CACHE_DEBUG: "" };
      const direct = spawnSync(bin, args, { cwd: work, encoding: "utf8", timeout: 60_000, env });
      assert.equal(direct.status, 0, direct.stderr);
      assert.doesNotMatch(direct.stderr, /Ignoring extra certs/);
      assert.equal(readFileSync(out, "utf8"), `${ca} false`);
      rmSync(out);
      const viaNode = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: "utf8", timeout: 60_000, env });
      assert.equal(viaNode.status, 0, viaNode.stderr);
      assert.match(viaNode.stderr, /Warning: Ignoring extra certs from `[^`]*missing-ca\.pem`/);
      assert.equal(readFileSync(out, "utf8"), `${ca} false`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("run directly, the agent is the process the caller started: its pid, its signals", async () => {
    const work = mkdtempSync(join(tmpdir(), "steward-bin-signal-"));
    try {
      const prog = join(work, "main.mcl");
      writeFileSync(prog, `file "${join(work, "out")}" {\n\tstate => "exists",\n\tcontent => "hi\\n",\n}\n`);
      const child = spawn(bin, ["run", "--tmp-prefix", "--log-format", "json", prog], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
      let log = "";
      // "close", not "exit": the exit record must have been read from stderr too
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`not converged:\n${log}`)), 30_000);
        child.stderr.setEncoding("utf8").on("data", (c: string) => {
          log += c;
          if (/"event":"converged","converged":true/.test(log)) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      // exec, not a child of sh: the pid the caller knows is Node's, and the first SIGINT stops it cleanly
      assert.match(log, new RegExp(`"event":"start"[^\n]*"pid":${child.pid}[,}]`));
      child.kill("SIGINT");
      assert.equal(await exited, 0);
      assert.match(log, /"event":"exit"[^\n]*SIGINT received/);
      assert.equal(readFileSync(join(work, "out"), "utf8"), "hi\n");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("a bundle missing from the install is a one-line internal error, exit 70", () => {
    rmSync(join(dir, "dist/runtime/cli/steward-check.cjs"));
    const r = steward(["check", hello], { STEWARD_CODE_CACHE_DEBUG: "" });
    assert.equal(r.status, 70);
    assert.match(r.stderr, /^steward: internal error: Error: ENOENT[^\n]*steward-check\.cjs'\n$/);
    rmSync(join(dir, "dist/runtime/cli/steward-main.cjs"));
    const m = steward(["--version"], { STEWARD_CODE_CACHE_DEBUG: "" });
    assert.equal(m.status, 70);
    assert.match(m.stderr, /^steward: internal error: Error: ENOENT[^\n]*steward-main\.cjs'\n$/);
  });
});
