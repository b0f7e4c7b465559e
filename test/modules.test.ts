/** Module loading (mcl-language.md §3.8): entries, metadata.yaml, local/dir/git imports, cycles, visibility. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compile } from "../lang/compile.js";
import { memoryHost } from "../lang/host.js";
import { classifyImport, importAlias } from "../lang/modules.js";

function run(files: Record<string, string>, path = "/main.mcl") {
  const r = compile(path, memoryHost(files));
  return { r, msgs: r.diagnostics.map((d) => `${d.phase}: ${d.message}`) };
}

test("import names: kinds and default aliases", () => {
  assert.equal(classifyImport("fmt"), "system");
  assert.equal(classifyImport("foo.mcl"), "file");
  assert.equal(classifyImport("dir/"), "dir");
  assert.equal(classifyImport("git://github.com/purpleidea/mgmt-foo/"), "git");
  assert.ok(typeof classifyImport("/abs.mcl") === "object");
  assert.ok(typeof classifyImport("a/../b.mcl") === "object");
  assert.equal(importAlias("golang/strings"), "strings");
  assert.equal(importAlias("dir/x.mcl"), "x");
  assert.equal(importAlias("lib/"), "lib");
  assert.equal(importAlias("git://github.com/purpleidea/mgmt-Foo-bar/"), "foo_bar");
});

test("local file import exports binds, funcs and classes with a prefix", () => {
  const { r, msgs } = run({
    "/main.mcl": `import "lib.mcl"\ntest $lib.name {}\ntest [lib.f()] {}\ninclude lib.c\n`,
    "/lib.mcl": `$name = "n"\nfunc f() { "x" }\nclass c {\n\ttest "c" {}\n}\n`,
  });
  assert.deepEqual(msgs, []);
  assert.equal(r.program?.files.size, 2);
});

test("directory entry with metadata.yaml main:, and dir module import", () => {
  const { r, msgs } = run(
    {
      "/proj/metadata.yaml": "main: start.mcl\n",
      "/proj/start.mcl": `import "mod/"\ntest $mod.x {}\n`,
      "/proj/mod/main.mcl": `$x = "x"\n`,
    },
    "/proj",
  );
  assert.deepEqual(msgs, []);
  assert.equal(r.program?.entry, "/proj/start.mcl");
  assert.equal(r.program?.root, "/proj");
  const m = run({ "/proj/main.mcl": `import "mod/"\ntest $mod.x {}\n`, "/proj/mod/metadata.yaml": "main: other.mcl\n", "/proj/mod/other.mcl": `$x = "x"\n` }, "/proj");
  assert.deepEqual(m.msgs, []);
});

test("git:// imports resolve only from the metadata path:", () => {
  const files = {
    "/proj/metadata.yaml": "path: vendor/\n",
    "/proj/main.mcl": `import "git://example.com/someone/mgmt-my-mod/"\ntest $my_mod.v {}\n`,
    "/proj/vendor/example.com/someone/mgmt-my-mod/main.mcl": `$v = "v"\n`,
  };
  assert.deepEqual(run(files, "/proj").msgs, []);
  const { msgs } = run({ "/proj/main.mcl": files["/proj/main.mcl"] }, "/proj");
  assert.equal(msgs.length, 1);
  assert.match(msgs[0]!, /^scope: remote import of `git:\/\/example.com\/someone\/mgmt-my-mod\/` failed/);
  const missing = run({ "/proj/metadata.yaml": "path: vendor/\n", "/proj/main.mcl": files["/proj/main.mcl"] }, "/proj");
  assert.match(missing.msgs[0]!, /\/proj\/vendor\/example.com\/someone\/mgmt-my-mod/);
});

test("import cycles", () => {
  const { r, msgs } = run({
    "/main.mcl": `import "a.mcl"\n`,
    "/a.mcl": `import "b.mcl"\n$x = "x"\n`,
    "/b.mcl": `import "a.mcl"\n$y = "y"\n`,
  });
  assert.ok(msgs.some((m) => m.startsWith("scope: recursive import of `a.mcl`")), msgs.join("\n"));
  const d = r.diagnostics.find((x) => x.code === "E-SCOPE-IMPORT-CYCLE");
  assert.ok((d?.notes?.length ?? 0) >= 2);
});

test("an imported file doesn't see the importer's imports", () => {
  const { msgs } = run({
    "/main.mcl": `import "fmt"\nimport "lib.mcl"\ntest [$lib.s] {}\n`,
    "/lib.mcl": `$s = fmt.printf("%d", 1)\n`,
  });
  assert.deepEqual(msgs, ["scope: func `fmt.printf` does not exist in this scope"]);
});

test("imported files may only define things", () => {
  const { msgs } = run({ "/main.mcl": `import "lib.mcl"\n`, "/lib.mcl": `$x = "x"\ntest "a" {}\n` });
  assert.deepEqual(msgs, ["scope: module contains unused statements: found stmt: res(test)"]);
});

test("system imports: unknown package, duplicate import, as *", () => {
  assert.deepEqual(run({ "/main.mcl": `import "nope"\n` }).msgs, ["scope: system import of `nope` failed: could not find any non-empty scope named: nope"]);
  assert.match(run({ "/main.mcl": `import "fmt"\nimport "fmt"\n` }).msgs[0]!, /import `fmt` already exists in this scope/);
  assert.deepEqual(run({ "/main.mcl": `import "fmt" as *\ntest [printf("%d", 1)] {}\n` }).msgs, []);
  assert.deepEqual(run({ "/main.mcl": `import "golang/strings"\ntest strings.to_upper("a") {}\n` }).msgs, []);
});

test("parse errors of all files are reported before scope", () => {
  const { msgs } = run({ "/main.mcl": `import "a.mcl"\n$x = \n`, "/a.mcl": `$y = = 1\n` });
  assert.equal(msgs.length, 2);
  assert.ok(msgs.every((m) => m.startsWith("parse:")));
});

test("missing local import names the path", () => {
  assert.match(run({ "/main.mcl": `import "nope.mcl"\n` }).msgs[0]!, /local import of `nope.mcl` failed: file `\/nope.mcl` does not exist/);
});

test("missing entry", () => {
  const { r } = run({ "/x.mcl": "" }, "/nothere");
  assert.equal(r.diagnostics[0]?.code, "E-INPUT-NOT-FOUND");
});
