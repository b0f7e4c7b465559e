/**
 * Spans hold two offsets and resolve line/column on first read (lang/to-ast.ts `Locator.span`):
 * the positions must be those of the eager line count, and JSON must keep the `{file, start, end}`
 * shape that diagnostics and the runtime's dedupe keys print.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Locator } from "../lang/to-ast.js";
import { parse } from "../lang/parse.js";

const TEXT = "$a = 1\n\n  $b = \"x\"\nfile \"/t\" {\n\tcontent => $b,\n}\n";

/** 1-based line/col of `offset` by walking the text: the reference the line table must agree with. */
function naive(offset: number): { line: number; col: number; offset: number } {
  let line = 1, col = 1;
  for (let i = 0; i < offset; i++) {
    if (TEXT[i] === "\n") (line++, (col = 1));
    else col++;
  }
  return { line, col, offset };
}

test("lazy span positions equal a walk of the text, in any read order", () => {
  const loc = new Locator("/m.mcl", TEXT);
  const spans: [number, number, ReturnType<Locator["span"]>][] = [];
  for (let s = 0; s <= TEXT.length; s += 3) for (let e = s; e <= TEXT.length; e += 5) spans.push([s, e, loc.span(s, e)]);
  // read back to front, so the locator's "previous line" shortcut is not what makes them right
  for (const [s, e, span] of spans.reverse()) {
    assert.deepEqual({ ...span.end }, naive(e));
    assert.deepEqual({ ...span.start }, naive(s));
    assert.equal(span.file, "/m.mcl");
  }
});

test("out-of-range and reversed offsets clamp as before: end never precedes start", () => {
  const loc = new Locator("/m.mcl", TEXT);
  const s = loc.span(10, 4);
  assert.deepEqual({ ...s.start }, naive(10));
  assert.deepEqual({ ...s.end }, naive(10));
  const past = loc.span(TEXT.length + 7, NaN);
  assert.deepEqual({ ...past.start }, naive(TEXT.length));
  assert.deepEqual({ ...past.end }, naive(TEXT.length));
});

test("a span serialises as {file, start, end} and reads the same position object twice", () => {
  const loc = new Locator("/m.mcl", TEXT);
  const span = loc.span(8, 16);
  assert.equal(JSON.stringify(span), JSON.stringify({ file: "/m.mcl", start: naive(8), end: naive(16) }));
  assert.equal(span.start, span.start);
});

test("spans of parsed nodes point at their source", () => {
  const r = parse(TEXT, "/m.mcl");
  assert.deepEqual(r.diagnostics, []);
  const res = r.prog.stmts.find((s) => s.kind === "res");
  if (res === undefined) throw new Error("no resource statement");
  assert.equal(TEXT.slice(res.span.start.offset, res.span.end.offset), "file \"/t\" {\n\tcontent => $b,\n}");
  assert.deepEqual([res.span.start.line, res.span.start.col, res.span.end.line, res.span.end.col], [4, 1, 6, 2]);
});

test("kind schemas parse their field tables on first read, to the same types every time", async () => {
  const { getKind } = await import("../stdlib/registry.js");
  const { parseType } = await import("../lang/type-parse.js");
  const file = getKind("file");
  if (!file) throw new Error("no file kind");
  assert.equal(file.fields, file.fields);
  assert.deepEqual(file.fields.get("content"), parseType("str"));
  assert.deepEqual(Object.keys(file).includes("fields"), true);
  const exec = getKind("exec");
  assert.ok(exec?.sends && exec.sends.size > 0 && exec.sends === exec.sends);
});
