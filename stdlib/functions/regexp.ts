/** Package `regexp` (mcl-language.md §11.2). */
import type { BuiltinFunc } from "../registry.js";
import { fn } from "./define.js";

export const REGEXP: readonly BuiltinFunc[] = [fn("regexp", "match", "func(pattern str, s str) bool", "P", { catchable: true })];
