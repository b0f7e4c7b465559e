import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { compileSource } from "../../lang/compile.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { getKind } from "../../stdlib/registry.js";
import "../../stdlib/resources/index.js";
import { editLines, expandHome } from "../../stdlib/resources/line.js";
import { parseLine } from "../../stdlib/resources/line-spec.js";
import { startRun, until as untilRun } from "../cli-run-harness.js";
import { invalid, recordWatch, removeTempDirs, start, tempDir } from "./harness.js";

after(removeTempDirs);

const spec = (state: "exists" | "absent", content: string, trim = false) => parseLine({ file: "/x", state, content, trim });

test("line: editLines appends, removes every match, keeps the rest and the final newline convention", () => {
  assert.equal(editLines(undefined, spec("exists", "a")), "a\n", "missing file: created");
  assert.equal(editLines("", spec("exists", "a")), "a\n");
  assert.equal(editLines("x\ny", spec("exists", "a")), "x\ny\na\n", "a newline is added before the line");
  assert.equal(editLines("x\na\ny\n", spec("exists", "a")), undefined, "present: nothing to do");
  assert.equal(editLines("x\n  a \n", spec("exists", "a")), "x\n  a \na\n", "whole-line match, not trimmed");
  assert.equal(editLines("x\n  a \n", spec("exists", " a", true)), undefined, "trim: matches with whitespace around");
  assert.equal(editLines("a\nx\na\n", spec("absent", "a")), "x\n", "every match removed");
  assert.equal(editLines("x\n\ta\ny", spec("absent", "a", true)), "x\ny", "trim; no final newline stays so");
  assert.equal(editLines("a\n", spec("absent", "a")), "");
  assert.equal(editLines("ab\n", spec("absent", "a")), undefined, "a substring is not the line");
  assert.equal(editLines(undefined, spec("absent", "a")), undefined);
  assert.equal(parseLine({ content: "a\n" }).content, "a", "one trailing newline dropped");
});

test("line: validation (schema hook and resource agree)", () => {
  const v = getKind("line")!.validate!;
  assert.equal(v("l", { file: "/etc/x", content: "a" }), undefined);
  assert.equal(v("l", { file: "~/.bashrc", state: "absent", content: "a" }), undefined);
  assert.equal(v("l", { file: "~alice/.profile", content: "a" }), undefined);
  assert.match(v("l", { content: "a" })!, /file is empty/);
  assert.match(v("l", { file: "etc/x", content: "a" })!, /must be absolute/);
  assert.match(v("l", { file: "/etc/", content: "a" })!, /directory/);
  assert.match(v("l", { file: "/x", state: "present", content: "a" })!, /state must be "exists" or "absent"/);
  assert.match(v("l", { file: "/x", content: "a\nb" })!, /single line/);
  assert.match(invalid("line", "l", { file: "rel" })!, /must be absolute/);
});

test("line: ~ and ~user expand to home directories; an unknown user is a one-line error", async () => {
  assert.equal(expandHome("/etc/x"), "/etc/x");
  assert.equal(expandHome("~/.bashrc"), join(homedir(), ".bashrc"));
  assert.equal(expandHome("~root/.profile"), "/root/.profile", "from the real /etc/passwd");
  assert.equal(expandHome("~bob/x", (u) => (u === "bob" ? "/home/bob/" : undefined)), "/home/bob/x");
  assert.throws(() => expandHome("~no-such-user-x/y"), /no user "no-such-user-x"/);
  const { res, h } = await start("line", "l", { file: "~no-such-user-x/y", content: "a" });
  await assert.rejects(res.checkApply(true, h.abort.signal), /^Error: file "~no-such-user-x\/y": no user "no-such-user-x"$/);
});

test("line: real file: noop plans, apply appends atomically keeping mode, absent removes; empty content manages nothing", async () => {
  const d = tempDir("steward-line-");
  const f = join(d, "hosts.allow");
  writeFileSync(f, "# comment\nALL: LOCAL");
  chmodSync(f, 0o640);
  const ino = statSync(f).ino;
  const { res, h } = await start("line", "allow", { file: f, content: "sshd: 10.0.0.0/8" });
  assert.equal(await res.checkApply(false, h.abort.signal), false, "noop: would add");
  assert.equal(readFileSync(f, "utf8"), "# comment\nALL: LOCAL");
  assert.equal(await res.checkApply(true, h.abort.signal), false);
  assert.equal(readFileSync(f, "utf8"), "# comment\nALL: LOCAL\nsshd: 10.0.0.0/8\n");
  assert.notEqual(statSync(f).ino, ino, "replaced by rename");
  assert.equal(statSync(f).mode & 0o777, 0o640, "mode kept");
  assert.equal(await res.checkApply(true, h.abort.signal), true);
  assert.deepEqual(h.logs, [`info: added the line to ${f}`]);

  const gone = await start("line", "deny", { file: f, state: "absent", content: "ALL: LOCAL" });
  assert.equal(await gone.res.checkApply(true, gone.h.abort.signal), false);
  assert.equal(readFileSync(f, "utf8"), "# comment\nsshd: 10.0.0.0/8\n");
  assert.equal(await gone.res.checkApply(true, gone.h.abort.signal), true);

  const fresh = join(d, "new.conf");
  const mk = await start("line", "mk", { file: fresh, content: "k=v" });
  assert.equal(await mk.res.checkApply(true, mk.h.abort.signal), false);
  assert.equal(readFileSync(fresh, "utf8"), "k=v\n");
  assert.equal(statSync(fresh).mode & 0o777, 0o644, "a new file is 0644");

  const empty = await start("line", "e", { file: join(d, "none"), content: "" });
  assert.equal(await empty.res.checkApply(true, empty.h.abort.signal), true);
  assert.equal(existsSync(join(d, "none")), false);

  const nodir = await start("line", "nd", { file: join(d, "no", "dir"), content: "x" });
  await assert.rejects(nodir.res.checkApply(true, nodir.h.abort.signal), /^Error: can't write .*\/no\/dir: ENOENT$/);
});

test("line: watch reports edits, deletion and atomic replaces of the file; drift corrected", async () => {
  const d = tempDir("steward-line-");
  const f = join(d, "conf");
  writeFileSync(f, "a\n");
  const { res, h } = await start("line", "l", { file: f, content: "managed" });
  const w = await recordWatch(res);
  try {
    await w.next(0);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    await new Promise((r) => setTimeout(r, 30)); // our own rename's events
    let n = w.times.length;
    writeFileSync(f, "a\n"); // someone removes our line
    await w.next(n);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    assert.equal(readFileSync(f, "utf8"), "a\nmanaged\n");
    await new Promise((r) => setTimeout(r, 30));
    n = w.times.length;
    rmSync(f); // the whole file goes
    await w.next(n);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    assert.equal(readFileSync(f, "utf8"), "managed\n");
    assert.equal(await res.checkApply(true, h.abort.signal), true);
    assert.deepEqual(w.errors, []);
  } finally {
    w.stop();
  }
});

test("line: autoedge from the file resource of the same path; no edges for a ~ path", () => {
  const impl = getKindImpl("line")!;
  assert.deepEqual(impl.autoedges!("l", { file: "/etc/hosts.allow", content: "x" }), { uids: [], seeks: [[{ kind: "file", key: "/etc/hosts.allow" }]] });
  assert.deepEqual(impl.autoedges!("l", { file: "~/x", content: "x" }).seeks, []);
  assert.equal(getKind("line")!.traits.autoedge, true);
});

test("line: steward check type-checks its fields", () => {
  const good = compileSource(`line "l" {\n\tfile => "/etc/x",\n\tstate => "exists",\n\tcontent => "a",\n\ttrim => true,\n}\n`);
  assert.deepEqual(good.diagnostics.map((d) => d.message), []);
  const bad = compileSource(`line "l" {\n\tfile => "/etc/x",\n\ttrim => "yes",\n}\n`);
  assert.ok(bad.diagnostics.some((d) => /bool != str|str != bool/.test(d.message)), bad.diagnostics.map((d) => d.message).join("\n"));
  const unknown = compileSource(`line "l" {\n\tpath => "/etc/x",\n}\n`);
  assert.ok(unknown.diagnostics.length > 0, "unknown field path");
});

test("line: steward run keeps the line in the file: removed by hand, it is back", async () => {
  const d = tempDir("steward-line-run-");
  const f = join(d, "conf");
  writeFileSync(f, "keep me\n");
  const prog = join(d, "main.mcl");
  writeFileSync(prog, `file "${f}" {\n\tstate => "exists",\n\tmode => "0600",\n}\nline "l" {\n\tfile => "${f}",\n\tcontent => "managed=1",\n}\n`);
  const run = startRun(["--max-runtime", "170", prog]);
  try {
    // generous: the agent's start (tsx compiling the tree) takes seconds, a minute on a loaded machine
    await untilRun(() => readFileSync(f, "utf8") === "keep me\nmanaged=1\n", 120_000, "the line added");
    await run.waitFor((e) => e.event === "converged", 30_000);
    assert.equal(statSync(f).mode & 0o777, 0o600, "the file resource ran too");
    // Edit as an editor saves (temp file + rename): an in-place write is truncate-then-write, and
    // a check that runs between the two sees an empty file, which is a real race, not drift.
    writeFileSync(f + ".edit", "keep me\nedited\n");
    renameSync(f + ".edit", f);
    await untilRun(() => readFileSync(f, "utf8") === "keep me\nedited\nmanaged=1\n", 10_000, "the line back after a hand edit");
    assert.ok(!run.events.some((e) => e.level === "error"), run.events.filter((e) => e.level === "error").map((e) => JSON.stringify(e)).join("\n"));
  } finally {
    run.stop();
    await run.exited;
  }
});

test("docs/resources/{line,sysctl,mount}.md: every mcl example compiles", () => {
  for (const kind of ["line", "sysctl", "mount"]) {
    const md = readFileSync(join(import.meta.dirname, "../../docs/resources", `${kind}.md`), "utf8");
    const blocks = [...md.matchAll(/```mcl\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length > 0, `${kind}.md has an example`);
    for (const src of blocks) assert.deepEqual(compileSource(src).diagnostics.map((d) => d.message), [], `${kind}.md:\n${src}`);
  }
});
