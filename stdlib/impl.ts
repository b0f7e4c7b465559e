/**
 * Implementations of builtin functions, keyed by the fully qualified name of their signature in
 * stdlib/registry.ts (`len`, `fmt.printf`, `golang/strings.trim_space`). The registry stays plain
 * type data for lang/; this table is what runtime/funcs lowers calls to.
 *
 * Three shapes, matching the `effect` of the signature:
 *  - pure:   `call(args)` — deterministic; may be constant-folded and is memoised per node.
 *  - impure: `call(args, ctx)` — evaluated when inputs change only (host queries, randomness).
 *  - source: `stream(args, ctx)` — an rxjs Observable re-subscribed whenever the args change;
 *            each emission is a new value (timers, file watches, world watches, command output).
 * A catchable failure (§8) is returned or thrown as a `CatchableError`; anything else thrown is
 * fatal. Functions receiving function values (iter.map …) call `FuncValue.call` synchronously.
 */
import type { Observable } from "rxjs";
import type { Type } from "../lang/types.js";
import type { CatchableError, Value } from "../lang/values.js";
import type { World } from "../runtime/world/world.js";

/** Everything an effectful builtin may reach; built once per run by the CLI's composition root. */
export interface ImplContext {
  readonly hostname: string;
  readonly world: World;
  /** Per-host state directory (`--prefix`), for local.vardir/local.pool/value.*. */
  readonly stateDir: string;
  /** Module directory of the running program (deploy.* on a single host). */
  readonly moduleDir: string;
  /** The solved type of this call site (e.g. for decode_json, value.get, printf %T). */
  readonly type?: Type;
}

export type FuncImpl =
  | { readonly effect: "pure"; readonly call: (args: readonly Value[], ctx: ImplContext) => Value | CatchableError }
  | { readonly effect: "impure"; readonly call: (args: readonly Value[], ctx: ImplContext) => Value | CatchableError }
  | { readonly effect: "source"; readonly stream: (args: readonly Value[], ctx: ImplContext) => Observable<Value | CatchableError> };

const impls = new Map<string, FuncImpl>();

/** Register implementations; called at module load by each stdlib/impl/<pkg>.ts file. */
export function registerImpls(table: Readonly<Record<string, FuncImpl>>): void {
  for (const [name, impl] of Object.entries(table)) {
    if (impls.has(name)) throw new Error(`duplicate implementation of ${name}`);
    impls.set(name, impl);
  }
}

let lookupObserver: ((name: string) => void) | undefined;

/**
 * See the name of every implementation looked up from now on (`undefined` stops): `run`'s compile
 * cache (runtime/cli/compile-cache.ts) learns which builtins a program evaluated, folded constants
 * and template calls included, to cache only programs that call pure ones.
 */
export function observeImplLookups(f: ((name: string) => void) | undefined): void {
  lookupObserver = f;
}

export function getImpl(name: string): FuncImpl | undefined {
  lookupObserver?.(name);
  return impls.get(name);
}

export function implNames(): readonly string[] {
  return [...impls.keys()];
}
