/**
 * Package `deploy` on one host (issue 6 §2): the deploy file system is the running module's own
 * directory and its `files/` (on a cluster agent, the deploy written below the state directory —
 * test/cluster/run-deploy.test.ts runs a program that reads one). Real files in a temp directory.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { firstValueFrom, filter, timeout } from "rxjs";
import { CatchableError } from "../../lang/values.js";
import { createNodeHost } from "../../runtime/cli/node-host.js";
import { runProgram } from "../../runtime/funcs/run-program.js";
import { call, makeCtx } from "./effects-helpers.js";
import "../../stdlib/impl/effects/index.js";

const dir = mkdtempSync(join(tmpdir(), "steward-deploy-fns-"));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "files", "conf"), { recursive: true });
writeFileSync(join(dir, "files", "app.conf"), "port 80\n");
const ctx = makeCtx({ stateDir: "/nonexistent", moduleDir: dir });

test("deploy.readfile / readfileabs read the module's files; missing and escaping paths are catchable", () => {
  assert.equal(call("deploy.readfile", ["/files/app.conf"], ctx), "port 80\n");
  assert.equal(call("deploy.readfile", ["files/app.conf"], ctx), "port 80\n");
  assert.equal(call("deploy.readfileabs", ["/files/app.conf"], ctx), "port 80\n");
  const missing = call("deploy.readfile", ["/files/nope"], ctx);
  assert.ok(missing instanceof CatchableError);
  assert.equal(missing.message, "deploy.readfile: open /files/nope: no such file or directory");
  const out = call("deploy.readfileabs", ["../../etc/passwd"], ctx);
  assert.ok(out instanceof CatchableError && /outside the deploy/.test(out.message));
});

test("deploy.abspath, file_exists, directory, binary_path, bootstrap_packages", () => {
  assert.equal(call("deploy.abspath", ["files/a"], ctx), "/files/a");
  assert.equal(call("deploy.abspath", ["/files/./x/../a"], ctx), "/files/a");
  assert.ok(call("deploy.abspath", ["../x"], ctx) instanceof CatchableError);
  assert.equal(call("deploy.file_exists", ["/files/app.conf"], ctx), true);
  assert.equal(call("deploy.file_exists", ["/files/conf"], ctx), false, "a directory is not a file");
  assert.equal(call("deploy.file_exists", ["/files/nope"], ctx), false);
  assert.equal(call("deploy.directory", ["/files/conf"], ctx), join(dir, "files", "conf") + "/");
  assert.equal(call("deploy.binary_path", [], ctx), realpathSync(process.argv[1]!));
  assert.deepEqual(call("deploy.bootstrap_packages", ["debian"], ctx), ["nodejs", "etcd-server"]);
  assert.deepEqual(call("deploy.bootstrap_packages", ["plan9"], ctx), []);
});

test("a program reads its own files/ through deploy.readfile", async () => {
  writeFileSync(join(dir, "main.mcl"), `import "deploy"\n\ntest "t" {\n\tstringptr => deploy.readfile("/files/app.conf"),\n}\n`);
  const ev = await firstValueFrom(runProgram(join(dir, "main.mcl"), createNodeHost(), { stateDir: dir }).pipe(filter((e) => "graph" in e || e.fatal), timeout(10_000)));
  assert.ok("graph" in ev, JSON.stringify(ev));
  assert.equal(ev.graph.vertices[0]!.params["stringptr"], "port 80\n");
});
