/**
 * The hand lexer (lang/fast-lexer.ts) and chevrotain's lexer (lang/lexer.ts `lexChevrotain`) read
 * the same tokens: for every input, either the hand lexer returns exactly chevrotain's tokens and
 * comments (deep-equal: token type, image, start and end offsets) and chevrotain reports no error,
 * or the hand lexer gives up (undefined) and chevrotain reports at least one error. Inputs: every
 * golden case, every example, generated benchmark programs, generated ASTs (formatted), the same
 * with one random edit, random token soups and random strings over the characters that matter.
 * `FC_RUNS` sets the number of runs (`npm run fuzz` uses 100000).
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import type { IToken } from "chevrotain";
import { generate } from "../../bench/gen.js";
import { lexFast } from "../../lang/fast-lexer.js";
import { format } from "../../lang/format.js";
import { lexChevrotain } from "../../lang/lexer.js";
import type { Token } from "../../lang/tokens.js";
import { goldenSources, mclFiles } from "./mcl-sources.js";
import { editedProgram, progArb, tokenSoup } from "./arbitraries.js";

const numRuns = Number(process.env["FC_RUNS"] ?? 100);
const ROOT = join(import.meta.dirname, "..", "..");

/** A chevrotain token without `tokenTypeIdx` (chevrotain's index of its type, not part of the token's meaning). */
function plain(t: IToken): Token {
  return { image: t.image, startOffset: t.startOffset, endOffset: t.endOffset as number, tokenType: t.tokenType };
}

/** Checks the agreement on one text; returns whether the hand lexer accepted it. */
function agree(text: string, what: string): boolean {
  const ref = lexChevrotain(text);
  const hand = lexFast(text);
  if (hand === undefined) {
    assert.ok(ref.errors.length > 0, `hand lexer gave up on a text chevrotain lexes without error (${what}):\n${JSON.stringify(text)}`);
    return false;
  }
  assert.deepEqual(ref.errors, [], `hand lexer accepted a text chevrotain rejects (${what}):\n${JSON.stringify(text)}`);
  for (const t of ref.tokens) assert.equal(t.tokenTypeIdx, t.tokenType.tokenTypeIdx);
  assert.deepEqual(hand.tokens, ref.tokens.map(plain), `different tokens (${what}):\n${JSON.stringify(text)}`);
  assert.deepEqual(hand.comments, ref.comments.map(plain), `different comments (${what}):\n${JSON.stringify(text)}`);
  assert.deepEqual(hand.errors, []);
  return true;
}

test("golden cases: same tokens, or both reject; every lexically valid case is lexed by hand", () => {
  let total = 0;
  let accepted = 0;
  for (const [what, text] of goldenSources(join(ROOT, "test", "lang"))) {
    total++;
    if (agree(text, what)) accepted++;
  }
  // Most goldens lex (their errors are syntax, scope or type errors); `agree` already fails on any
  // that chevrotain lexes and the hand lexer does not.
  assert.ok(total > 500 && accepted > total * 0.9, `${accepted} of ${total} golden files lexed by hand`);
});

test("examples and generated programs: lexed by hand, same tokens", () => {
  for (const p of mclFiles(join(ROOT, "examples"))) assert.ok(agree(readFileSync(p, "utf8"), p), p);
  assert.ok(agree(generate(3000), "bench/gen.ts 3000"));
});

test("tricky spellings: same tokens, or both reject", () => {
  const cases = [
    "format for forkv forkvx in int include inx true truex false_y _x x_ a__b a1_2 Ab_c A_ If X1",
    "5 -3 $x-1 1.5 -0.5 1. .5 1.2.3 -x -> - -- --1 0x10 007",
    "=> == = =>= === ?: ? <|> <| <|= <= < >= > != ! . $ + * / : ;",
    '"" "a" "\\"" "\\\\" "a\\\nb" "# no comment" "${x}" "\\q" "\\',
    '"unterminated',
    "# comment only",
    "#\n#x\r\n$y = 1 # trailing\n",
    "\r\n",
    "x\t\ty\n\n",
    '"\r" # \r',
    "€ 🙂 é",
    '"€🙂" # 🙂\n',
    "",
  ];
  for (const c of cases) agree(c, "tricky");
});

test("generated programs: same tokens", () => {
  fc.assert(fc.property(progArb({ rawNewlines: true }), (ast) => void assert.ok(agree(format(ast), "generated"))), { numRuns });
});

test("generated programs with one random edit: same tokens, or both reject", () => {
  fc.assert(fc.property(editedProgram, (text) => void agree(text, "edited")), { numRuns });
});

test("random token soups: same tokens, or both reject", () => {
  fc.assert(fc.property(tokenSoup, (text) => void agree(text, "soup")), { numRuns });
});

/** Characters that decide token boundaries, and (rarer) characters that start no token. */
const CHARS = [..."az09_AZ-.\"\\#\n\t $=<>:;,{}[]()+*/"];
const RARE = ["\r", "!", "?", "|", "é", "🙂", "\u2028"];

test("random character strings: same tokens, or both reject", () => {
  const char = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...CHARS) }, { weight: 1, arbitrary: fc.constantFrom(...RARE) });
  const text = fc.array(char, { maxLength: 30 }).map((cs) => cs.join(""));
  let accepted = 0;
  fc.assert(fc.property(text, (t) => void (agree(t, "chars") && accepted++)), { numRuns: numRuns * 5 });
  // Most of them must really be lexed by hand, or the agreement says little.
  assert.ok(accepted > numRuns, `${accepted} of ${numRuns * 5} random strings lexed by hand`);
  fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 30 }), (t) => void agree(t, "unicode")), { numRuns });
});
