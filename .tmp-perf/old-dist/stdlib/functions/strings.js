import { fn } from "./define.js";
export const STRINGS = [
    fn("strings", "contains", "func(s str, substr str) bool", "P"),
    fn("strings", "has_prefix", "func(s str, prefix str) bool", "P"),
    fn("strings", "has_suffix", "func(s str, suffix str) bool", "P"),
    fn("strings", "join_nonempty", "func(s []str, sep str) str", "P"),
    fn("strings", "left_pad", "func(s str, pad str, len int) str", "P"),
    fn("strings", "right_pad", "func(s str, pad str, len int) str", "P"),
    fn("strings", "replace_all", "func(s str, old str, new str) str", "P"),
    fn("strings", "split", "func(a str, b str) []str", "P"),
    fn("strings", "substr", "func(s str, low int, high int) str", "P", { catchable: true }),
    fn("strings", "to_lower", "func(a str) str", "P"),
    fn("strings", "to_upper", "func(a str) str", "P"),
    fn("strings", "trim_space", "func(a str) str", "P"),
];
