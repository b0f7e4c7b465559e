/** Package `util` (mcl-language.md §11.2). */
import type { BuiltinFunc } from "../registry.js";
import { fn } from "./define.js";

export const UTIL: readonly BuiltinFunc[] = [fn("util", "hostname_mapper", "func(a map{str: str}) str", "I")];
