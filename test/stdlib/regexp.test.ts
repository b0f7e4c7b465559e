import { err, table } from "./helpers.js";

const M = "regexp.match";

table("regexp", [
  [M, ["^a+b$", "aaab"], true],
  [M, ["b", "abc"], true],
  [M, ["^b", "abc"], false],
  [M, ["(?i)^HELLO$", "hello"], true],
  [M, ["(?P<word>\\w+)-(?P<n>\\d+)", "abc-12"], true],
  [M, ["^[[:alpha:]]+$", "abcXYZ"], true],
  [M, ["^[[:^digit:]]+$", "abc"], true],
  [M, ["^[[:^digit:]]+$", "a1"], false],
  [M, ["\\Aab\\z", "ab"], true],
  [M, ["\\Qa.b\\E", "a.b"], true],
  [M, ["\\Qa.b\\E", "axb"], false],
  [M, ["^\\pL+$", "héllo"], true],
  [M, ["^\\p{Greek}+$", "αβγ"], true],
  [M, ["^\\x{263a}$", "☺"], true],
  [M, ["^a{2}$", "aa"], true],
  [M, ["^a{$", "a{"], true],
  [M, ["^[]a]+$", "]a]"], true],
  [M, ["^\\s$", "\u00a0"], false],
  [M, ["^\\s$", "\t"], true],
  [M, ["^a\\-b\\:c$", "a-b:c"], true],
  [M, ["(?s)a.b", "a\nb"], true],
  [M, ["a.b", "a\nb"], false],
  [M, ["(a", "x"], err("error parsing regexp")],
  [M, ["(a)\\1", "aa"], err("invalid escape sequence")],
  [M, ["a(?=b)", "ab"], err("invalid or unsupported Perl syntax")],
  [M, ["a{1001}", "a"], err("invalid repeat count")],
]);
