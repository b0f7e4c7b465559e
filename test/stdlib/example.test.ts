import { table } from "./helpers.js";

table("example", [
  ["example.answer", [], 42n],
  ["example.int2str", [42n], "42"],
  ["example.str2int", ["42"], 42n],
  ["example.str2int", ["nope"], 0n],
  ["example.plus", ["a", "b"], "ab"],
  ["example.nativeanswer", [], 42n],
  ["example.test1", [], 42n],
  ["example/nested.hello", [], "Hello!"],
]);
