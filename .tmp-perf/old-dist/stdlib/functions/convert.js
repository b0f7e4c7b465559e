import { fn } from "./define.js";
export const CONVERT = [
    fn("convert", "format_bool", "func(a bool) str", "P"),
    fn("convert", "parse_bool", "func(a str) bool", "P", { catchable: true }),
    fn("convert", "str_to_float", "func(a str) float", "P", { catchable: true }),
    fn("convert", "str_to_int", "func(a str) int", "P", { catchable: true }),
    fn("convert", "to_float", "func(a int) float", "P"),
    fn("convert", "to_int", "func(a float) int", "P"),
    fn("convert", "int_to_str", "func(a int) str", "P"),
];
