import { fn } from "./define.js";
export const EXAMPLE = [
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
