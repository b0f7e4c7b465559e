import { fn } from "./define.js";
export const WORLD = [
    fn("world", "getval", "func(key str) struct{value str; exists bool}", "S"),
    fn("world", "kvlookup", "func(namespace str) map{str: str}", "S"),
    fn("world", "schedule", "func(namespace str) []str", "S"),
    fn("world/collect", "res", "func(kind str) []struct{name str; host str}", "S"),
];
