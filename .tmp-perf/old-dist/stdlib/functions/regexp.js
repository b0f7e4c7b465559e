import { fn } from "./define.js";
export const REGEXP = [fn("regexp", "match", "func(pattern str, s str) bool", "P", { catchable: true })];
