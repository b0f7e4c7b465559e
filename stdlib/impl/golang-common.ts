/**
 * Registration helper for the `golang/<pkg>` wrappers (mcl-language.md §13): implementations are
 * keyed by the Go function name and matched to the registry's signatures through `goName`, so
 * the mcl name and effect always come from the registry.
 */
import type { CatchableError, Value } from "../../lang/values.js";
import { registerImpls, type FuncImpl, type ImplContext } from "../impl.js";
import { packageFuncs } from "../registry.js";
import { fail } from "./args.js";

export type GoImpl = (args: readonly Value[], ctx: ImplContext) => Value | CatchableError;

/** Register `table` (Go name → impl) for the registry functions of `golang/<goPkg>`. */
export function registerGo(goPkg: string, table: Readonly<Record<string, GoImpl>>): void {
  const out: Record<string, FuncImpl> = {};
  for (const f of packageFuncs(`golang/${goPkg}`)) {
    const call = f.goName === undefined ? undefined : table[f.goName];
    if (call === undefined) continue;
    out[f.name] = f.effect === "pure" ? { effect: "pure", call } : { effect: "impure", call };
  }
  registerImpls(out);
}

/** For wrappers whose Go semantics we don't reproduce (listed in docs and the report). */
export const notImplemented: GoImpl = () => fail("not implemented yet");

const ERRNO: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EINVAL: "invalid argument",
  EEXIST: "file exists",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
};

/** A Node fs error as Go's *PathError text: `open /x: no such file or directory`. */
export function pathError(op: string, path: string, e: unknown): CatchableError {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return fail(`${op} ${path}: ${ERRNO[code] ?? (e as Error).message}`);
}
