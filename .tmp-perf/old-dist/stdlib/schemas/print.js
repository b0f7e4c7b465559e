/** `print` (engine-reference.md §10): G, V, R. */
import { kind } from "./define.js";
export const PRINT = kind("print", { msg: "str", refresh_only: "bool" }, { recvable: true, traits: { autogroup: true, refresh: true } });
