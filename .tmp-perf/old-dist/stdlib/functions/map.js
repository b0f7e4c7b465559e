import { fn } from "./define.js";
export const MAP = [
    fn("map", "keys", "func(x map{?1: ?2}) []?1", "P"),
    fn("map", "values", "func(x map{?1: ?2}) []?2", "P"),
    fn("map", "lookup", "func(map map{?1: ?2}, key ?1) ?2", "P", { catchable: true }),
];
