import { fn } from "./define.js";
export const TEST = [
    fn("test", "fastcount", "func() int", "S"),
    fn("test", "forloop", "func() []str", "S"),
    fn("test", "forkvloop", "func() map{str: str}", "S"),
    fn("test", "one_stream", "func(count int) str", "S"),
    fn("test", "slow_string", "func() str", "S"),
];
