import { err, table } from "./helpers.js";

table("example", [
  ["example.answer", [], 42n],
  ["example.int2str", [42n], "42"],
  ["example.str2int", ["42"], 42n],
  ["example.str2int", ["nope"], 0n],
  ["example.plus", ["a", "b"], "ab"],
  ["example.errorbool", [true], err("we errored on request")],
  ["example.errorbool", [false], "set input to true to generate an error"],
  ["example.nativeanswer", [], 42n],
  ["example.test1", [], 42n],
  ["example/nested.hello", [], "Hello!"],
]);
