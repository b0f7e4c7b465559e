// A valid program is lexed and parsed by the hand-written lexer and parser without loading
// chevrotain (lang/chevrotain-lazy.ts); the first file with an error loads it, and its diagnostics
// are chevrotain's as before. Its own test file: node:test runs each file in a fresh process, where
// nothing has loaded chevrotain yet.
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chevrotainLoaded } from "../lang/chevrotain-lazy.js";
import { parse } from "../lang/parse.js";

const ROOT = join(import.meta.dirname, "..");

test("valid programs never load chevrotain; the first error does", () => {
  for (const ex of ["hello.mcl", "classes.mcl", "funcs-lambdas.mcl"]) {
    const r = parse(readFileSync(join(ROOT, "examples", ex), "utf8"), ex);
    assert.deepEqual(r.diagnostics, [], ex);
    assert.ok(r.prog.stmts.length > 0, ex);
  }
  assert.equal(chevrotainLoaded(), false);

  // A syntax error in a file the hand lexer reads: the recovering parser runs on the hand lexer's tokens.
  const syntax = parse("$x = [1,]\n$y = 2\n", "main.mcl");
  assert.equal(chevrotainLoaded(), true);
  assert.deepEqual(
    syntax.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.col}: ${d.message}`),
    ["1:9: syntax error: unexpected ']', expecting expression (a trailing comma is only allowed in the multi-line form)"],
  );
  assert.equal(syntax.prog.stmts.length, 1); // `$y = 2` is kept

  // A lex error: chevrotain's lexer reports it.
  const lexErr = parse("$x = 1 ! 2\n", "main.mcl");
  assert.deepEqual(lexErr.diagnostics.map((d) => d.message).slice(0, 1), ['unrecognized character: "!"']);
});
