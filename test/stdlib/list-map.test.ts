import { MapValue } from "../../lang/values.js";
import { err, table } from "./helpers.js";

const m = new MapValue([["b", 2n], ["a", 1n]]);

table("list", [
  ["list.concat", [["a"], [], ["b", "c"]], ["a", "b", "c"]],
  ["list.concat", [[1n]], [1n]],
  ["list.lookup", [["a", "b"], 1n], "b"],
  ["list.lookup", [["a"], 3n], err("list index not present, got: 3, len is: 1")],
]);

table("map", [
  ["map.keys", [m], ["a", "b"]],
  ["map.values", [m], [1n, 2n]],
  ["map.lookup", [m, "a"], 1n],
  ["map.lookup", [m, "z"], err('map key not present, want: "z" in {"a": 1, "b": 2}')],
]);
