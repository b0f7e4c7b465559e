import { MapValue, StructValue, funcValue } from "../../lang/values.js";
import { err, table } from "./helpers.js";

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);
const m = new MapValue([[42n, "hello1"]]);
const s = new StructValue([["a", 1n], ["b", "x"]]);

table("core", [
  ["concat", ["a", "b"], "ab"],
  ["contains", ["b", ["a", "b"]], true],
  ["contains", [3n, [1n, 2n]], false],
  ["contains", [NaN, [NaN]], false],
  ["len", ["héllo"], 6n],
  ["len", [[1n, 2n]], 2n],
  ["len", [m], 1n],
  ["list_lookup", [["a"], 0n], "a"],
  ["list_lookup", [["a"], 42n], err('list index not present, got: 42, len is: 1, in: ["a"]')],
  ["list_lookup", [["a"], -1n], err("list index not present, got: -1")],
  ["map_lookup", [m, 42n], "hello1"],
  ["map_lookup", [m, 13n], err('map key not present, want: 13 in {42: "hello1"}')],
  ["_lookup", [["a"], 42n], err('list index not present, got: 42, len is: 1, in: ["a"]')],
  ["_lookup", [m, 13n], err('map key not present, want: 13 in {42: "hello1"}')],
  ["_lookup", [m, 42n], "hello1"],
  ["_lookup", [["a", "b"], 1n], "b"],
  ["_struct_lookup", [s, "b"], "x"],
  ["_struct_lookup_optional", [s, "a", 7n], 1n],
  ["_struct_lookup_optional", [s, "zz", 7n], 7n],
  ["_operator", ["+", "a", "b"], "ab"],
  ["_operator", ["+", 1n, 2n], 3n],
  ["_operator", ["+", MAX, 1n], MIN],
  ["_operator", ["-", MIN, 1n], MAX],
  ["_operator", ["*", MAX, 2n], -2n],
  ["_operator", ["+", 0.5, 0.25], 0.75],
  ["_operator", ["-", 1.5, 2.0], -0.5],
  ["_operator", ["*", 1.5, 2.0], 3],
  ["_operator", ["/", 7n, 2n], 3.5],
  ["_operator", ["/", 1.0, 4.0], 0.25],
  ["_operator", ["/", 7n, 0n], err("can't divide by zero")],
  ["_operator", ["/", 7.0, 0.0], err("can't divide by zero")],
  ["_operator", ["==", [1n, 2n], [1n, 2n]], true],
  ["_operator", ["==", new MapValue([["a", 1n]]), new MapValue([["a", 1n]])], true],
  ["_operator", ["==", s, new StructValue([["a", 1n], ["b", "y"]])], false],
  ["_operator", ["==", NaN, NaN], false],
  ["_operator", ["!=", NaN, NaN], true],
  ["_operator", ["==", 0.0, -0.0], true],
  ["_operator", ["<", 1n, 2n], true],
  ["_operator", [">", 1.5, 2.5], false],
  ["_operator", ["<=", 2n, 2n], true],
  ["_operator", [">=", NaN, 1.0], false],
  ["_operator", ["and", true, false], false],
  ["_operator", ["or", true, false], true],
  ["_operator", ["not", true], false],
]);

// function values only compare by identity
const f = funcValue(() => 1n);
table("core funcs", [["_operator", ["==", f, f], true]]);
