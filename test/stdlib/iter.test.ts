import { CatchableError, funcValue, isCatchable, type Value } from "../../lang/values.js";
import { err, table } from "./helpers.js";

const double = funcValue((a) => (a[0] as bigint) * 2n);
const even = funcValue((a) => (a[0] as bigint) % 2n === 0n);
const add = funcValue((a) => (a[0] as bigint) + (a[1] as bigint));
const cat = funcValue((a) => `${a[0] as string}${a[1] as bigint}`);
const boom = funcValue((a) => ((a[0] as bigint) === 2n ? new CatchableError("boom") : a[0]!));
void isCatchable;

table("iter", [
  ["iter.map", [[1n, 2n, 3n], double], [2n, 4n, 6n]],
  ["iter.map", [[], double], []],
  ["iter.map", [[1n, 2n, 3n], boom], err("boom")],
  ["iter.filter", [[1n, 2n, 3n, 4n], even], [2n, 4n]],
  ["iter.reduce", [[1n, 2n, 3n], add], 6n],
  ["iter.reduce", [10n, [1n, 2n, 3n], add], 16n],
  ["iter.reduce", [10n, [], add], 10n],
  ["iter.reduce", [[], add], err("empty list")],
  ["iter.zip", [["a", "b", "c"], [1n, 2n], cat], ["a1", "b2"]],
  ["iter.flatten", [[[1n], [], [2n, 3n]]], [1n, 2n, 3n]],
  ["iter.range", [3n], [0n, 1n, 2n]],
  ["iter.range", [2n, 5n], [2n, 3n, 4n]],
  ["iter.range", [5n, 0n, -2n], [5n, 3n, 1n]],
  ["iter.range", [0n, 5n, -1n], []],
  ["iter.range", [-3n], []],
  ["iter.range", [0n, 5n, 0n], err("step must not be zero")],
] as [string, Value[], Value | { err: string }][]);
