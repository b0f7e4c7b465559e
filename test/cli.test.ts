/**
 * The `steward` CLI contract (architecture.md "CLI contract" and "Diagnostics"): exit codes 0/1/2,
 * the exact `--json` shape, human diagnostics with a caret line, one-line usage errors, and never a
 * stack trace. The CLI is spawned from source (`node --import tsx runtime/cli/main.ts`) so the
 * tests exercise the current code without a build; the renderer is also tested in-process.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Span } from "../lang/ast.js";
import { diag } from "../lang/diagnostics.js";
import { renderDiagnostic, renderDiagnostics } from "../runtime/cli/render.js";

const ROOT = new URL("..", import.meta.url).pathname;
// Resolved here, not by the child: the child may run in a scratch directory without node_modules.
const TSX = import.meta.resolve("tsx");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function steward(args: readonly string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, join(ROOT, "runtime/cli/main.ts"), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh directory with the given files (paths relative to it). */
function scratch(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "steward-cli-"));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(join(p, ".."), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

function assertNoStack(r: Run): void {
  const all = r.stdout + r.stderr;
  assert.doesNotMatch(all, /^\s+at .+\(.*:\d+:\d+\)$/m, `stack trace in output:\n${all}`);
  assert.doesNotMatch(all, /internal error/, `internal error:\n${all}`);
}

const TYPE_ERROR = 'file "/tmp/x" {\n\tcontent => 42,\n}\n';
const PARSE_ERROR = "$x = = 1\n";
const SCOPE_ERROR = '$y = $nope\nfile "/tmp/a" {\n\tcontent => $y,\n}\n';
const VALID = 'file "/tmp/x" {\n\tcontent => "hello\\n",\n}\n';

const JSON_KEYS = ["code", "col", "endCol", "endLine", "file", "line", "message", "phase"];

describe("steward check", { concurrency: 4 }, () => {
  test("a valid example exits 0 and prints nothing", async () => {
    const r = await steward(["check", "examples/hello.mcl"]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "");
  });

  test("a type error exits 1 with file:line:col, the source line and a caret", async () => {
    const dir = scratch({ "main.mcl": TYPE_ERROR });
    const r = await steward(["check", "main.mcl"], dir);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split("\n");
    const head = lines.findIndex((l) => /^main\.mcl:\d+:\d+: type error: /.test(l));
    assert.ok(head >= 0, `no diagnostic header in:\n${r.stdout}`);
    assert.match(lines[head + 1] ?? "", /\|.*content => 42/);
    assert.match(lines[head + 2] ?? "", /\|\s*\^~*$/);
    assert.match(r.stdout, /^1 error$/m);
    assertNoStack(r);
  });

  test("parse and scope errors are rendered with their phase", async () => {
    const dir = scratch({ "p.mcl": PARSE_ERROR, "s.mcl": SCOPE_ERROR });
    const p = await steward(["check", "p.mcl"], dir);
    assert.equal(p.code, 1);
    assert.match(p.stdout, /^p\.mcl:1:\d+: parse error: /m);
    assert.match(p.stdout, /\^/);
    const s = await steward(["check", "s.mcl"], dir);
    assert.equal(s.code, 1);
    assert.match(s.stdout, /^s\.mcl:1:6: scope error: .*nope/m);
    assertNoStack(p);
    assertNoStack(s);
  });

  test("--json prints exactly one array with the architecture.md shape", async () => {
    const dir = scratch({ "main.mcl": TYPE_ERROR, "ok.mcl": VALID });
    const bad = await steward(["check", "--json", "main.mcl"], dir);
    assert.equal(bad.code, 1);
    const arr: unknown = JSON.parse(bad.stdout);
    assert.ok(Array.isArray(arr) && arr.length >= 1);
    for (const d of arr as Record<string, unknown>[]) {
      const keys = Object.keys(d).filter((k) => k !== "notes" && k !== "hint").sort();
      assert.deepEqual(keys, JSON_KEYS);
      assert.equal(d.phase, "type");
      assert.equal(d.file, "main.mcl");
      for (const k of ["line", "col", "endLine", "endCol"]) assert.ok(Number.isInteger(d[k]) && (d[k] as number) >= 1, k);
      assert.ok((d.endLine as number) > (d.line as number) || (d.endCol as number) > (d.col as number), "endCol is one past the end");
      assert.equal(typeof d.code, "string");
      assert.equal(typeof d.message, "string");
      if (d.notes !== undefined) assert.ok(Array.isArray(d.notes));
    }
    const good = await steward(["check", "--json", "ok.mcl"], dir);
    assert.equal(good.code, 0);
    assert.equal(good.stdout, "[]\n");
  });

  test("several paths: all are checked, diagnostics of each are reported", async () => {
    const dir = scratch({ "a.mcl": TYPE_ERROR, "b.mcl": SCOPE_ERROR, "c.mcl": VALID });
    const r = await steward(["check", "--json", "a.mcl", "b.mcl", "c.mcl"], dir);
    assert.equal(r.code, 1);
    const files = (JSON.parse(r.stdout) as { file: string }[]).map((d) => d.file);
    assert.ok(files.includes("a.mcl") && files.includes("b.mcl") && !files.includes("c.mcl"), files.join());
  });

  test("a directory program is checked through its main.mcl", async () => {
    const dir = scratch({ "prog/main.mcl": VALID });
    const r = await steward(["check", "prog"], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test("a missing file is a usage error: exit 2, one line on stderr", async () => {
    const r = await steward(["check", "does/not/exist.mcl"]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^steward: .*does\/not\/exist\.mcl/);
  });

  test("usage errors: no command, unknown command, unknown option, missing PATH", async () => {
    for (const args of [[], ["frobnicate"], ["check", "--frob", "examples/hello.mcl"], ["check"], ["fmt"]]) {
      const r = await steward(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^steward: /);
      assertNoStack(r);
    }
  });

  test("deploy without --seeds is a usage error (exit 2, one line)", async () => {
    const r = await steward(["deploy", "examples/hello.mcl"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "steward: deploy: --seeds is required (the etcd endpoints of the cluster)\n");
  });

  test("--help and --version exit 0", async () => {
    const h = await steward(["--help"]);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /check/);
    assert.match(h.stdout, /fmt/);
    const v = await steward(["--version"]);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+/);
  });

  test("--verbose reports how long it took; --hostname '' is accepted", async () => {
    const r = await steward(["check", "--verbose", "--hostname", "", "examples/hello.mcl"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /checked examples\/hello\.mcl.* in \d+(\.\d+)? ms/);
  });

  test("garbage input never produces a stack trace", async () => {
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rand() * 256)));
    const dir = scratch({
      "bytes.mcl": bytes,
      "braces.mcl": "{{{{ ]]] ((( $ $$ ${ \"unterminated\n",
      "nul.mcl": "\0\0\0",
      "deep.mcl": "$x = " + "[".repeat(5000) + "\n",
      "empty.mcl": "",
      "crlf.mcl": '$x = "a"\r\n',
    });
    for (const f of ["bytes.mcl", "braces.mcl", "nul.mcl", "deep.mcl", "empty.mcl", "crlf.mcl"]) {
      const r = await steward(["check", f], dir);
      assert.ok(r.code === 0 || r.code === 1, `${f}: exit ${r.code}\n${r.stderr}`);
      assertNoStack(r);
      const j = await steward(["check", "--json", f], dir);
      assert.ok(Array.isArray(JSON.parse(j.stdout)), f);
    }
  });
});

describe("steward fmt", { concurrency: 2 }, () => {
  test("--check lists a file that is not canonical and exits 1; fmt rewrites it; then --check exits 0", async () => {
    const dir = scratch({ "ugly.mcl": 'file "/tmp/x" {\ncontent   =>    "a",\n}\n' });
    const c1 = await steward(["fmt", "--check", "ugly.mcl"], dir);
    assert.equal(c1.code, 1, c1.stderr);
    assert.match(c1.stdout + c1.stderr, /ugly\.mcl/);
    assert.equal(readFileSync(join(dir, "ugly.mcl"), "utf8"), 'file "/tmp/x" {\ncontent   =>    "a",\n}\n', "--check changes nothing");
    const w = await steward(["fmt", "ugly.mcl"], dir);
    assert.equal(w.code, 0, w.stderr);
    const c2 = await steward(["fmt", "--check", "ugly.mcl"], dir);
    assert.equal(c2.code, 0, c2.stdout + c2.stderr);
  });

  test("a missing path is a usage error", async () => {
    const r = await steward(["fmt", "--check", "nope/nothing.mcl"]);
    assert.equal(r.code, 2);
    assertNoStack(r);
  });
});

// ---------------------------------------------------------------------------------------------
// The renderer, in-process.

function span(file: string, line: number, col: number, endLine: number, endCol: number): Span {
  return { file, start: { line, col, offset: 0 }, end: { line: endLine, col: endCol, offset: 0 } };
}

describe("render", () => {
  const src = '$name = "x"\nfile "/tmp/a" {\n\tcontent => 42,\n}\n';
  const lookup = (f: string): string | undefined => (f === "main.mcl" ? src : undefined);

  test("header, source line, caret and tildes under the span; tabs expanded consistently", () => {
    const d = diag("type", "E-TYPE-MISMATCH", "str != int", span("main.mcl", 3, 13, 3, 15));
    assert.equal(
      renderDiagnostic(d, lookup, { color: false }),
      ["main.mcl:3:13: type error: str != int", "   3 |     content => 42,", "     |                ^~"].join("\n"),
    );
  });

  test("notes with their own location and excerpt, then the hint", () => {
    const d = diag(
      "type",
      "E-TYPE-MISMATCH",
      "str != int",
      span("main.mcl", 3, 13, 3, 15),
      [{ message: "expected str because of the field content of file[\"/tmp/a\"]", span: span("main.mcl", 3, 2, 3, 9) }, { message: "no place" }],
      "write \"42\"",
    );
    const out = renderDiagnostic(d, lookup, { color: false }).split("\n");
    assert.equal(out[3], 'main.mcl:3:2: note: expected str because of the field content of file["/tmp/a"]');
    assert.equal(out[4], "   3 |     content => 42,");
    assert.equal(out[5], "     |     ^~~~~~~");
    assert.equal(out[6], "note: no place");
    assert.equal(out[7], 'hint: write "42"');
  });

  test("a span over several lines underlines to the end of its first line; an empty span gets one caret", () => {
    const multi = renderDiagnostic(diag("parse", "E", "m", span("main.mcl", 2, 1, 4, 2)), lookup, { color: false });
    assert.equal(multi.split("\n")[2], "     | ^" + "~".repeat(14)); // `file "/tmp/a" {` is 15 characters
    const empty = renderDiagnostic(diag("parse", "E", "m", span("main.mcl", 4, 2, 4, 2)), lookup, { color: false });
    assert.equal(empty.split("\n")[2], "     |  ^");
  });

  test("an unreadable file or a diagnostic without span renders the header only", () => {
    assert.equal(renderDiagnostic(diag("scope", "E", "gone", span("other.mcl", 1, 1, 1, 2)), lookup, { color: false }), "other.mcl:1:1: scope error: gone");
    assert.equal(renderDiagnostic(diag("scope", "E", "nowhere"), lookup, { color: false }), "scope error: nowhere");
  });

  test("colour only when asked; a summary line counts the errors", () => {
    const d = diag("type", "E", "x", span("main.mcl", 1, 1, 1, 6));
    assert.doesNotMatch(renderDiagnostics([d], lookup, { color: false }), /\x1b\[/);
    assert.match(renderDiagnostics([d], lookup, { color: true }), /\x1b\[31m/);
    assert.match(renderDiagnostics([d, d], lookup, { color: false }), /\n2 errors\n$/);
  });
});
