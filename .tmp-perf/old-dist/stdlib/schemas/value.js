/** `value` (engine-reference.md §10): V, S; `any` is interface{} → a var per use. */
import { kind } from "./define.js";
export const VALUE = kind("value", { any: "?1" }, { sends: { any: "?1" }, recvable: true });
