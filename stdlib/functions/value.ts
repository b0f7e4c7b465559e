/** Package `value` (mcl-language.md §11.2): reads the Local value store fed by `value` resources. */
import type { BuiltinFunc } from "../registry.js";
import { fn } from "./define.js";

export const VALUE: readonly BuiltinFunc[] = [
  fn("value", "get", "func(key str) struct{value ?1; ready bool}", "S"),
  fn("value", "get_bool", "func(key str) struct{value bool; ready bool}", "S"),
  fn("value", "get_str", "func(key str) struct{value str; ready bool}", "S"),
  fn("value", "get_int", "func(key str) struct{value int; ready bool}", "S"),
  fn("value", "get_float", "func(key str) struct{value float; ready bool}", "S"),
];
