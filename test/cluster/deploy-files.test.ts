/**
 * What a deploy carries and how an agent writes it out (runtime/cli/deploy-files.ts), on real
 * files: a directory program ships every file below it (dot-files excluded) and its `files/`; a
 * single-file program ships what the compiler read plus `files/`, not its unrelated siblings; a
 * program that does not compile ships nothing; a deploy path that would leave the deploy
 * directory is refused.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { materializeDeploy, programFiles } from "../../runtime/cli/deploy-files.js";

const dir = mkdtempSync(join(tmpdir(), "steward-deploy-files-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const put = (rel: string, text: string) => {
  mkdirSync(join(dir, rel, ".."), { recursive: true });
  writeFileSync(join(dir, rel), text);
};
const enc = (s: string) => new TextEncoder().encode(s);

test("a directory program: every file below it, dot-files excluded", () => {
  put("mod/main.mcl", `import "lib.mcl"\nfile "/tmp/x" {\n\tcontent => $lib.v,\n}\n`);
  put("mod/lib.mcl", `$v = "x"\n`);
  put("mod/files/conf/a.conf", "a");
  put("mod/notes.txt", "n");
  put("mod/.git/HEAD", "ref");
  const p = programFiles(join(dir, "mod"), "h");
  assert.ok(p.ok, JSON.stringify(p));
  assert.equal(p.entry, "main.mcl");
  assert.deepEqual([...p.files.keys()], ["files/conf/a.conf", "lib.mcl", "main.mcl", "notes.txt"]);
  assert.equal(new TextDecoder().decode(p.files.get("files/conf/a.conf")), "a");
});

test("a single file: what the compiler read and files/, not the siblings", () => {
  put("single/prog.mcl", `file "/tmp/y" {\n\tcontent => "y",\n}\n`);
  put("single/other.mcl", `panic("unrelated")\n`);
  put("single/files/data", "d");
  const p = programFiles(join(dir, "single", "prog.mcl"), "h");
  assert.ok(p.ok);
  assert.equal(p.entry, "prog.mcl");
  assert.deepEqual([...p.files.keys()], ["files/data", "prog.mcl"]);
});

test("a program that does not compile ships nothing and says why", () => {
  put("bad/main.mcl", `file "/tmp/z" {\n\tcontent => 42,\n}\n`);
  const p = programFiles(join(dir, "bad"), "h");
  assert.ok(!p.ok);
  assert.match(p.diagnostics[0]!.message, /str/);
});

test("materializeDeploy writes the files and refuses paths that leave the deploy", () => {
  const base = join(dir, "deploys");
  const entry = materializeDeploy(base, { id: 3, entry: "main.mcl", files: new Map([["main.mcl", enc("m")], ["files/a", enc("a")]]) });
  assert.equal(entry, join(base, "3", "main.mcl"));
  assert.equal(readFileSync(join(base, "3", "files", "a"), "utf8"), "a");
  assert.throws(() => materializeDeploy(base, { id: 4, entry: "main.mcl", files: new Map([["../../evil", enc("x")]]) }), /refusing the file path '..\/..\/evil'/);
  assert.throws(() => materializeDeploy(base, { id: 5, entry: "/etc/passwd", files: new Map() }), /refusing the entry path/);
});
