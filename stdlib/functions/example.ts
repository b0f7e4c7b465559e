/**
 * Packages `example` and `example/nested` (mcl-language.md §11.2). `nativeanswer` and `test1` are
 * defined in mgmt's embedded mcl (`core/example/*.mcl`); their signatures are listed here so the
 * checker can type them (the class `example.test1` is not a function and lives with the mcl code).
 */
import type { BuiltinFunc } from "../registry.js";
import { fn } from "./define.js";

export const EXAMPLE: readonly BuiltinFunc[] = [
  fn("example", "answer", "func() int", "P"),
  fn("example", "int2str", "func(a int) str", "P"),
  fn("example", "str2int", "func(a str) int", "P"),
  fn("example", "plus", "func(y str, z str) str", "P"),
  fn("example", "errorbool", "func(a bool) str", "I", { catchable: true }),
  fn("example", "flipflop", "func() bool", "S"),
  fn("example", "vumeter", "func(symbol str, multiplier int, peak float) str", "S"),
  fn("example", "nativeanswer", "func() int", "P"),
  fn("example", "test1", "func() int", "P"),
  fn("example/nested", "hello", "func() str", "P"),
];
