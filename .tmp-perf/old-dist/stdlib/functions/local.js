import { fn } from "./define.js";
export const LOCAL = [
    fn("local", "pool", "func(namespace str, uid str) int", "I", { catchable: true }),
    fn("local", "vardir", "func(path str) str", "I", { catchable: true }),
];
