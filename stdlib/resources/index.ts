/**
 * Loads and registers every resource kind now (`graph`, tests, benches and other in-process users
 * that look kinds up synchronously). `steward run` imports kinds.ts instead and loads only the
 * kinds its program uses.
 */
import { loadKinds } from "../../runtime/engine/resource.js";
import { KIND_MODULES } from "./kinds.js";

await loadKinds(Object.keys(KIND_MODULES));
