import { fn } from "./define.js";
export const UTIL = [fn("util", "hostname_mapper", "func(a map{str: str}) str", "I")];
