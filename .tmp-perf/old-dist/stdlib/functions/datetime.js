import { fn } from "./define.js";
export const DATETIME = [
    fn("datetime", "now", "func() int", "S"),
    fn("datetime", "str_now", "func() str", "S"),
    fn("datetime", "weekday_fast", "func() str", "S"),
    fn("datetime", "format", "func(a int, b str) str", "P"),
    fn("datetime", "hour", "func(a int) int", "P"),
    fn("datetime", "print", "func(a int) str", "P"),
    fn("datetime", "weekday", "func(a int) str", "P"),
];
