/**
 * The etcd security flags of `steward deploy` and `steward run --seeds` against real etcd servers
 * (issue 6 §1: TLS and user/password for `https://` endpoints): a password-protected cluster takes
 * a deploy with `--etcd-user` + `--etcd-password-file` and an agent with `$STEWARD_ETCD_PASSWORD`;
 * a TLS-only server takes a deploy with `--etcd-ca`, or with its CA in NODE_EXTRA_CA_CERTS through
 * the built bin run directly; without them each is refused with one line.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { read, ROOT, startRun, steward, until, type RunChild } from "../cli-run-harness.js";
import { enableEtcdAuth, haveOpenssl, skipWithoutEtcd, startTestEtcd, startTlsEtcd, tmpBase, type TestEtcd } from "../helpers/etcd.js";

const oneLine = (s: string): void => {
  assert.equal(s.trim().split("\n").length, 1, `expected a one-line error, got:\n${s}`);
  assert.doesNotMatch(s, /\n\s+at /, "no stack trace");
};

describe("etcd security flags", { skip: skipWithoutEtcd() }, () => {
  let etcd: TestEtcd;
  let dir: string;
  const agents: RunChild[] = [];
  before(async () => {
    etcd = await startTestEtcd({ tag: "cli-auth" });
    await enableEtcdAuth(etcd.endpoints, "rootpw");
    dir = tmpBase("cli-auth-prog");
    mkdirSync(join(dir, "prog"));
    writeFileSync(join(dir, "pw"), "rootpw\n");
    writeFileSync(join(dir, "prog", "main.mcl"), `file "${dir}/out-\${hostname}" {\n\tstate => "exists",\n\tcontent => "secured\\n",\n}\n`);
  });
  after(async () => {
    for (const a of agents) a.stop();
    await Promise.all(agents.map((a) => a.exited));
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("user/password: deploy and run with credentials; without them a one-line refusal", async () => {
    const seeds = etcd.endpoints.join(",");
    const denied = await steward(["deploy", "--seeds", seeds, join(dir, "prog")]);
    assert.equal(denied.code, 1, denied.stderr);
    oneLine(denied.stderr);
    assert.match(denied.stderr, /cannot reach/);

    const ok = await steward(["deploy", "--seeds", seeds, "--etcd-user", "root", "--etcd-password-file", join(dir, "pw"), join(dir, "prog")]);
    assert.equal(ok.code, 0, ok.stderr);

    const a = startRun(["--seeds", seeds, "--hostname", "sec", "--etcd-user", "root"], { env: { ...process.env, STEWARD_ETCD_PASSWORD: "rootpw" } });
    agents.push(a);
    await until(() => read(join(dir, "out-sec")) === "secured\n", 30_000, "the deploy applied by an authenticated agent");
  });

  test("inconsistent flags are usage errors (exit 2, one line)", async () => {
    const seeds = etcd.endpoints.join(",");
    for (const [args, why] of [
      [["deploy", "--seeds", seeds, "--etcd-cert", join(dir, "pw"), join(dir, "prog")], /--etcd-cert and --etcd-key go together/],
      [["deploy", "--seeds", seeds, "--etcd-user", "root", join(dir, "prog")], /needs a password/],
      [["deploy", "--seeds", seeds, "--etcd-ca", join(dir, "missing.pem"), join(dir, "prog")], /--etcd-ca: cannot read/],
      [["run", "--etcd-user", "root", join(dir, "prog")], /need --seeds/],
    ] as const) {
      const r = await steward([...args], { ...process.env, STEWARD_ETCD_PASSWORD: "" });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      oneLine(r.stderr);
      assert.match(r.stderr, why);
    }
  });

  test("TLS: deploy to an https:// endpoint with --etcd-ca; refused without it", { skip: !haveOpenssl() && "no openssl" }, async () => {
    const s = await startTlsEtcd("cli-tls");
    try {
      const denied = await steward(["deploy", "--seeds", s.endpoint, join(dir, "prog")]);
      assert.equal(denied.code, 1, denied.stderr);
      oneLine(denied.stderr);
      const ok = await steward(["deploy", "--seeds", s.endpoint, "--etcd-ca", s.caFile, join(dir, "prog")]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /as deploy 1/);
      // The CA through NODE_EXTRA_CA_CERTS only (gRPC's own GRPC_DEFAULT_SSL_ROOTS_FILE_PATH, which
      // would replace Node's roots, unset), with the built bin through Node and executed directly:
      // then its sh lines start Node without the variable and the etcd client adds the file's
      // certificates itself (runtime/cli/bin-loader.ts).
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: s.caFile };
      delete env["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"];
      const bin = join(ROOT, "dist/runtime/cli/main.js");
      const deploy = ["deploy", "--seeds", s.endpoint, join(dir, "prog")];
      const viaNode = spawnSync(process.execPath, [bin, ...deploy], { encoding: "utf8", timeout: 60_000, env });
      assert.equal(viaNode.status, 0, viaNode.stderr);
      assert.match(viaNode.stdout, /as deploy 2/);
      const direct = spawnSync(bin, deploy, { encoding: "utf8", timeout: 60_000, env });
      assert.equal(direct.status, 0, direct.stderr);
      assert.match(direct.stdout, /as deploy 3/);
    } finally {
      await s.stop();
    }
  });
});
