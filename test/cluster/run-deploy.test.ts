/**
 * `steward run --seeds/--etcd` and `steward deploy` against a real etcd on loopback (issue 6 §1–2):
 * an agent without a PATH waits for the first deploy, runs it, and swaps to each new deploy live
 * (same process, unchanged resources kept); a deploy that does not compile is refused with its
 * diagnostics and changes nothing; `run --seeds PATH` publishes PATH as the next deploy (and each
 * saved edit that compiles after it); `run
 * --etcd` starts, uses and stops its own etcd server. Agents are real `steward run` processes,
 * SIGKILLed by PID at the end.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { read, startRun, steward, until, type RunChild } from "../cli-run-harness.js";
import { freePorts, skipWithoutEtcd, startTestEtcd, tmpBase, type TestEtcd } from "../helpers/etcd.js";

const program = (dir: string, version: string) => `file "${dir}/out/\${hostname}" {
	state => "exists",
	content => "${version} from \${hostname}\\n",
}

file "${dir}/out/steady-\${hostname}" {
	state => "exists",
	content => "unchanged\\n",
}
`;

describe("run --seeds and deploy", { skip: skipWithoutEtcd() }, () => {
  let etcd: TestEtcd;
  let dir: string;
  const agents: RunChild[] = [];
  before(async () => {
    etcd = await startTestEtcd({ tag: "run-deploy" });
    dir = tmpBase("run-deploy-prog");
    mkdirSync(join(dir, "out"));
    mkdirSync(join(dir, "prog"));
  });
  after(async () => {
    for (const a of agents) a.stop();
    await Promise.all(agents.map((a) => a.exited));
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("an agent without PATH waits, runs each deploy and swaps live; a broken deploy is refused", async () => {
    const seeds = etcd.endpoints.join(",");
    const a = startRun(["--seeds", seeds, "--hostname", "a"]);
    agents.push(a);
    await a.waitFor((e) => e.event === "deploy" && e["id"] === 0);

    writeFileSync(join(dir, "prog", "main.mcl"), program(dir, "v1"));
    const d1 = await steward(["deploy", "--seeds", seeds, "--hostname", "ci", join(dir, "prog")]);
    assert.equal(d1.code, 0, d1.stderr);
    assert.match(d1.stdout, /as deploy 1 \(1 file\)/);
    await until(() => read(join(dir, "out", "a")) === "v1 from a\n", 30_000, "deploy 1 applied");

    // A new deploy: one resource changes, the other is kept (a swap, not a restart).
    writeFileSync(join(dir, "prog", "main.mcl"), program(dir, "v2"));
    const from = a.events.length;
    const d2 = await steward(["deploy", "--seeds", seeds, join(dir, "prog")]);
    assert.equal(d2.code, 0, d2.stderr);
    await until(() => read(join(dir, "out", "a")) === "v2 from a\n", 30_000, "deploy 2 applied");
    const swap = await a.waitFor((e) => e.event === "swap" && Array.isArray(e["replaced"]) && (e["replaced"] as unknown[]).length === 1, 10_000, from);
    assert.equal(swap["kept"], 1, "the unchanged resource keeps running");
    assert.equal(a.proc.exitCode, null, "the agent switched without restarting");

    // A deploy that does not compile is refused with a file:line:col diagnostic; nothing changes.
    writeFileSync(join(dir, "prog", "main.mcl"), `file "/tmp/x" {\n\tcontent => 42,\n}\n`);
    const bad = await steward(["deploy", "--seeds", seeds, join(dir, "prog")]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /main\.mcl:2:\d+: type error/);
    assert.match(bad.stderr, /steward: deploy: refused: .* does not compile/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, "no stack trace");

    // `run --seeds PATH` publishes PATH as deploy 3 and every agent follows it.
    writeFileSync(join(dir, "prog", "main.mcl"), program(dir, "v3"));
    const b = startRun(["--seeds", seeds, "--hostname", "b", join(dir, "prog")]);
    agents.push(b);
    const pub = await b.waitFor((e) => e.event === "deploy" && e["published"] === true);
    assert.equal(pub["id"], 3, "the refused deploy took no id");
    await until(() => read(join(dir, "out", "a")) === "v3 from a\n" && read(join(dir, "out", "b")) === "v3 from b\n", 30_000, "deploy 3 on both");

    // A saved edit of b's PATH is published as deploy 4; a save that does not compile is not.
    const before4 = b.events.length;
    writeFileSync(join(dir, "prog", "main.mcl"), `file "/tmp/x" {\n\tcontent => 42,\n}\n`);
    await b.waitFor((e) => e.event === "compile" && e["ok"] === false, 30_000, before4);
    writeFileSync(join(dir, "prog", "main.mcl"), program(dir, "v4"));
    const pub4 = await b.waitFor((e) => e.event === "deploy" && e["published"] === true, 30_000, before4);
    assert.equal(pub4["id"], 4);
    await until(() => read(join(dir, "out", "a")) === "v4 from a\n" && read(join(dir, "out", "b")) === "v4 from b\n", 30_000, "deploy 4 on both");
  });

  test("deploy: usage errors and an unreachable cluster are one line", async () => {
    const none = await steward(["deploy", join(dir, "prog")]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^steward: deploy: --seeds is required/);
    const [port] = await freePorts(1);
    const down = await steward(["deploy", "--seeds", `http://127.0.0.1:${port}`, join(dir, "prog")]);
    assert.equal(down.code, 1);
    assert.equal(down.stderr.trim().split("\n").length, 1, down.stderr);
    assert.match(down.stderr, /cannot reach/);
  });
});

describe("run --etcd", { skip: skipWithoutEtcd() }, () => {
  test("starts its own etcd in the state directory, publishes PATH, runs it and stops the server", async () => {
    const dir = tmpBase("run-etcd");
    try {
      const [client, peer] = await freePorts(2);
      writeFileSync(join(dir, "main.mcl"), `file "${dir}/out" {\n\tstate => "exists",\n\tcontent => "from \${hostname}\\n",\n}\n`);
      const prefix = join(dir, "state");
      const r = startRun(
        ["--etcd", "--client-url", `http://127.0.0.1:${client}`, "--peer-url", `http://127.0.0.1:${peer}`, "--prefix", prefix, "--hostname", "solo", "--converged-timeout", "0", join(dir, "main.mcl")],
        { tmpPrefix: false },
      );
      try {
        const started = await r.waitFor((e) => e.event === "etcd-server" && typeof e["pid"] === "number");
        const { code } = await r.exited;
        assert.equal(code, 0, r.text());
        assert.equal(read(join(dir, "out")), "from solo\n");
        assert.ok(existsSync(join(prefix, "etcd", "server", "member")), "etcd data in <prefix>/etcd/server");
        assert.ok(r.events.some((e) => e.event === "deploy" && e["id"] === 1 && e["published"] === true));
        assert.throws(() => process.kill(started["pid"] as number, 0), "the local etcd was stopped");
      } finally {
        r.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
