/**
 * `steward graph` through the real command line (architecture.md "CLI contract"): text and
 * `--json` output, `--hostname ''`, diagnostics and exit codes 0/1/2, `--timeout`, `--watch`.
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "steward-cli-graph-"));

function prog(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function steward(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "runtime/cli/main.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const ok = prog("ok.mcl", `test ["a", "b"] {\n\tint64 => 42,\n\tNotify => Test["c"],\n}\ntest "c" {\n\tanotherstr => "host=\${hostname}",\n}\n`);

test("text output: vertices with params, edges with (notify); exit 0", () => {
  const r = steward("graph", "--hostname", "", ok);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'test[a] int64=42\ntest[b] int64=42\ntest[c] anotherstr="host="\ntest[a] -> test[c] (notify)\ntest[b] -> test[c] (notify)\n');
});

test("--json output and --hostname", () => {
  const r = steward("graph", "--json", "--hostname", "h1", ok);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { vertices: { kind: string; name: string; params: Record<string, unknown>; meta: unknown }[]; edges: unknown[] };
  assert.deepEqual(j.vertices.map((v) => `${v.kind}[${v.name}]`), ["test[a]", "test[b]", "test[c]"]);
  assert.deepEqual(j.vertices[2]!.params, { anotherstr: "host=h1" });
  assert.deepEqual(j.edges[0], { from: "test[a]", to: "test[c]", notify: true });
});

test("diagnostics: a type error exits 1; --json gives {error, errors}", () => {
  const bad = prog("bad.mcl", "test [42] {}\n");
  const r = steward("graph", bad);
  assert.equal(r.code, 1);
  assert.match(r.out, /type error/);
  const j = steward("graph", "--json", bad);
  assert.equal(j.code, 1);
  const doc = JSON.parse(j.out) as { error: { phase: string; line: number }; errors: unknown[] };
  assert.equal(doc.error.phase, "type");
  assert.equal(doc.error.line, 1);
  assert.equal(doc.errors.length, 1);
});

test("runtime and interpret errors exit 1 with their phase", () => {
  const rt = steward("graph", "--json", prog("rt.mcl", `$l = ["a"]\ntest [$l[3]] {}\n`));
  assert.equal(rt.code, 1);
  assert.equal((JSON.parse(rt.out) as { error: { phase: string; line: number; col: number } }).error.phase, "runtime");
  const ip = steward("graph", "--json", prog("ip.mcl", `test "a" {}\nTest["a"] -> Test["zz"]\n`));
  assert.equal(ip.code, 1);
  const e = (JSON.parse(ip.out) as { error: { phase: string; message: string } }).error;
  assert.equal(e.phase, "interpret");
  assert.match(e.message, /edge cannot find resource kind: test named: `zz`/);
});

test("usage errors exit 2", () => {
  assert.equal(steward("graph").code, 2);
  assert.equal(steward("graph", join(dir, "nope.mcl")).code, 2);
  assert.equal(steward("graph", "--timeout", "abc", ok).code, 2);
});

test("a source that never emits times out with a runtime diagnostic and exit 1", () => {
  const slow = prog("slow.mcl", `import "world"\ntest [world.getval("never")->value + "x"] {}\nimport "os"\ntest [os.system("sleep 30")] {}\n`);
  const r = steward("graph", "--timeout", "1", slow);
  assert.equal(r.code, 1);
  assert.match(r.out, /timed out/);
});

test("--watch prints one JSON graph per line as sources change", async () => {
  const src = prog("watch.mcl", `import "datetime"\nimport "fmt"\n$t = datetime.now()\ntest [fmt.printf("%d", $t)] {}\n`);
  const child = spawn(process.execPath, ["--import", "tsx", "runtime/cli/main.ts", "graph", "--watch", src], { cwd: ROOT });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (out.split("\n").filter((l) => l !== "").length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  child.kill("SIGINT");
  await new Promise((r) => child.on("exit", r));
  const lines = out.split("\n").filter((l) => l !== "");
  assert.ok(lines.length >= 2, `got ${lines.length} lines: ${out}`);
  const names = lines.map((l) => (JSON.parse(l) as { vertices: { name: string }[] }).vertices[0]!.name);
  assert.notEqual(names[0], names[1]);
});

test("autoedges: a file in a managed directory gets the dir -> file edge; Meta:autoedge => false opts out", () => {
  const d = join(dir, "managed") + "/";
  const r = steward("graph", "--json", prog("auto.mcl", `file "${d}" {\n\tstate => "exists",\n}\nfile "${d}f" {\n\tcontent => "x",\n}\nfile "${d}g" {\n\tcontent => "y",\n\tMeta:autoedge => false,\n}\n`));
  assert.equal(r.code, 0, r.err + r.out);
  const j = JSON.parse(r.out) as { edges: unknown[] };
  assert.deepEqual(j.edges, [{ from: `file[${d}]`, to: `file[${d}f]`, notify: false }]);
  const t = steward("graph", prog("auto2.mcl", `file "${d}" {\n\tstate => "exists",\n}\nfile "${d}f" {\n\tcontent => "x",\n}\n`));
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, new RegExp(`^file\\[${d.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\] -> file\\[`, "m"));
});

test("autoedges: a file owned by a managed user and group runs after them (by name or by id)", () => {
  const f = join(dir, "owned");
  const r = steward(
    "graph",
    "--json",
    prog("owned.mcl", `user "stwedge" {\n\tuid => 4242,\n}\ngroup "stwedgers" {\n\tgid => 4343,\n}\nfile "${f}" {\n\tcontent => "x",\n\towner => "stwedge",\n\tgroup => "4343",\n}\n`),
  );
  assert.equal(r.code, 0, r.err + r.out);
  const j = JSON.parse(r.out) as { edges: { from: string; to: string }[] };
  const into = j.edges.filter((e) => e.to === `file[${f}]`).map((e) => e.from).sort();
  assert.deepEqual(into, ["group[stwedgers]", "user[stwedge]"]);
});
