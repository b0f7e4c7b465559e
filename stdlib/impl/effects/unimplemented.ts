/**
 * Functions that type-check but are not implemented yet (issue 3 §3): `net/http.response`, `sys/fwupd.*` and `embedded/provisioner.*`. Calling one is a
 * fatal failure with the one-line message `<name>: not implemented yet`.
 */
import { Observable } from "rxjs";
import type { Value } from "../../../lang/values.js";
import { allFuncs } from "../../registry.js";
import { registerImpls, type FuncImpl } from "../../impl.js";
import { notImplemented } from "./util.js";

export const UNIMPLEMENTED_PACKAGES: readonly string[] = ["net/http", "sys/fwupd", "embedded/provisioner"];

function failing(name: string, effect: FuncImpl["effect"]): FuncImpl {
  if (effect === "source") {
    return { effect, stream: () => new Observable<Value>((sub) => sub.error(notImplemented(name))) };
  }
  return {
    effect,
    call: () => {
      throw notImplemented(name);
    },
  };
}

registerImpls(
  Object.fromEntries(allFuncs().filter((f) => UNIMPLEMENTED_PACKAGES.includes(f.pkg)).map((f) => [f.name, failing(f.name, f.effect)])),
);
