import { parseType } from "../../lang/type-parse.js";
import { MapValue, StructValue } from "../../lang/values.js";
import { table } from "./helpers.js";

const P = "fmt.printf";

table("fmt", [
  [P, ["%v", 4], "4"],
  [P, ["%f", 4], "4"],
  [P, ["%f", 3.14], "3.14"],
  [P, ["%f", 1e21], "1000000000000000000000"],
  [P, ["%.2f", 3.14159], "3.14"],
  [P, ["%8.3f|%-8.1f|%08.2f", 3.14159, 2.0, -1.5], "   3.142|2.0     |-0001.50"],
  [P, ["%+d %d %05d %-4d| %.3d", 5n, -5n, 42n, 7n, 7n], "+5 -5 00042 7   | 007"],
  [P, ["%s and %s", "a", "b"], "a and b"],
  [P, ["%.2s|%5s|%-5s|", "hello", "ab", "ab"], "he|   ab|ab   |"],
  [P, ["%q", 'a\t"b"'], '"a\\t\\"b\\""'],
  [P, ["%q", "héllo ✓"], '"héllo ✓"'],
  [P, ["%+q", "é"], '"\\u00e9"'],
  [P, ["%#q", "raw"], "`raw`"],
  [P, ["%t %v", true, false], "true false"],
  [P, ["%d%%", 50n], "50%"],
  [P, ["%v %v %v", "str", 3n, 2.5], "str 3 2.5"],
  [P, ["%v", ["a", "b"]], '["a", "b"]'],
  [P, ["%v", new MapValue([["b", 2n], ["a", 1n]])], '{"a": 1, "b": 2}'],
  [P, ["%v", new StructValue([["a", 1n], ["b", "x"]])], 'struct{a: 1; b: "x"}'],
  [P, ["%T %T %T", 1n, "s", 1.5], "int str float"],
  [P, ["%T", []], "[]str", parseType("func(format str, a []str) str")],
  [P, ["%T", new StructValue([["a", 1n]])], "struct{a int}"],
  // non-literal formats are checked at run time, Go style
  [P, ["%d %d", 1n], "1 %!d(MISSING)"],
  [P, ["%d", "x"], "%!d(str=x)"],
  [P, ["hi", 1n], "hi%!(EXTRA int=1)"],
]);
