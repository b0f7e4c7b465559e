/** Package `local` (mcl-language.md §11.2): host-local state. */
import type { BuiltinFunc } from "../registry.js";
import { fn } from "./define.js";

export const LOCAL: readonly BuiltinFunc[] = [
  fn("local", "pool", "func(namespace str, uid str) int", "I", { catchable: true }),
  fn("local", "vardir", "func(path str) str", "I", { catchable: true }),
];
