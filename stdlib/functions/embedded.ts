/**
 * `embedded/provisioner` (mcl-language.md §11.2): an embedded mcl module plus cli-derived getters.
 * Only `cli_password` is named by the spec; the module's mcl code is out of the registry's scope.
 */
import type { BuiltinFunc } from "../registry.js";
import { fn } from "./define.js";

export const EMBEDDED: readonly BuiltinFunc[] = [fn("embedded/provisioner", "cli_password", "func() str", "I")];
