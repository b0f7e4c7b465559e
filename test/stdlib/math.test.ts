import { parseType } from "../../lang/type-parse.js";
import { err, table } from "./helpers.js";

table("math", [
  ["math.fortytwo", [], 42n, parseType("func() int")],
  ["math.fortytwo", [], 42, parseType("func() float")],
  ["math.minus1", [5n], 4n],
  ["math.minus1", [-(2n ** 63n)], 2n ** 63n - 1n],
  ["math.mod", [7n, 3n], 1n],
  ["math.mod", [-7n, 3n], -1n],
  ["math.mod", [7n, 0n], err("result is not a number")],
  ["math.mod", [7.5, 2.0], 1.5],
  ["math.mod", [1.0, 0.0], err("result is not a number")],
  ["math.pow", [2.0, 10.0], 1024],
  ["math.pow", [1.0, NaN], 1],
  ["math.pow", [-8.0, 1 / 3], err("result is not a number")],
  ["math.pow", [0.0, -1.0], err("positive infinity")],
  ["math.sqrt", [16.0], 4],
  ["math.sqrt", [-1.0], err("square root of negative is nan")],
]);
