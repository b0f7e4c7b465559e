/**
 * The builtin registry: signatures of every builtin function (mcl-language.md §5.4, §11, §13),
 * builtin variables (§6.2) and resource kind field schemas (§3.2, engine-reference.md §10).
 * Plain data plus type-level hooks; implementations live elsewhere.
 */
import type { FieldType, Type } from "../lang/types.js";
import type { Value } from "../lang/values.js";
import { parseType } from "../lang/type-parse.js";
import { ALL_FUNCS } from "./functions/index.js";
import { ALL_KINDS } from "./schemas/index.js";
import { GLOBAL_VARS, PACKAGE_VARS } from "./vars.js";

/** str | int | bool | float literal */
export type StaticValue = string | bigint | boolean | number;

export interface ArgInfo {
  /** resolved if statically known */
  readonly type?: Type;
  /** when the arg is a literal */
  readonly value?: StaticValue;
}

export interface BuiltinFunc {
  /** fully qualified: "len", "fmt.printf", "golang/strings.trim_space", "world/collect.res", "_operator" */
  readonly name: string;
  /** import path: "" for globals, "fmt", "golang/strings", "world/collect" */
  readonly pkg: string;
  /** "printf" */
  readonly short: string;
  /** fixed signature with ?N vars (freshened per call site by the checker via Unifier.instantiate(parseType(sig))) */
  readonly sig?: string;
  /**
   * Call-site signature from arg count and statically known types/values; returns a func type
   * (vars from `fresh`) or {error} (message like "number of args (1) doesn't match format string verb count (2)").
   */
  readonly infer?: (args: readonly ArgInfo[], fresh: () => Type) => Type | { readonly error: string };
  /**
   * Validation of the solved (resolved) func type after unification; returns an error message or
   * undefined. Parts still unsolved (vars) are accepted: ambiguity is reported by the checker.
   * `args` (the same ArgInfo given to `infer`) is optional but needed for full precision by
   * `_operator` (operator literal) and `_struct_lookup*` (field-name literal).
   */
  readonly check?: (solved: Type, args?: readonly ArgInfo[]) => string | undefined;
  readonly effect: "pure" | "impure" | "source";
  readonly catchable?: boolean;
  /** `golang/<pkg>` wrappers only: the wrapped Go function (`TrimSpace`). */
  readonly goName?: string;
}

const FUNCS = new Map<string, BuiltinFunc>();
const BY_PKG = new Map<string, BuiltinFunc[]>();
for (const f of ALL_FUNCS) {
  if (FUNCS.has(f.name)) throw new Error(`duplicate builtin ${f.name}`);
  FUNCS.set(f.name, f);
  let l = BY_PKG.get(f.pkg);
  if (!l) BY_PKG.set(f.pkg, (l = []));
  l.push(f);
}

/** A builtin by fully qualified name (`len`, `fmt.printf`, `golang/strings.trim_space`). */
export function getFunc(name: string): BuiltinFunc | undefined {
  return FUNCS.get(name);
}

/** Every registered builtin. */
export function allFuncs(): readonly BuiltinFunc[] {
  return ALL_FUNCS;
}

/** Functions of an import path ("" = the global functions, including internals like `_operator`). */
export function packageFuncs(path: string): readonly BuiltinFunc[] {
  return BY_PKG.get(path) ?? [];
}

/** Builtin vars: globals ("hostname", "purpleidea", "const.res.file.state.exists", …) and package vars ("os.family_debian" under pkg "os"). */
export interface BuiltinVar {
  readonly name: string;
  readonly pkg: string;
  readonly type: Type;
  readonly value: StaticValue;
}

export function globalVars(): readonly BuiltinVar[] {
  return GLOBAL_VARS;
}

export function packageVars(path: string): readonly BuiltinVar[] {
  return PACKAGE_VARS.filter((v) => v.pkg === path);
}

/** Packages that are importable but only provide embedded mcl code (classes/funcs written in mcl). */
const EMBEDDED_ONLY: ReadonlySet<string> = new Set(["embedded/provisioner"]);

const SYSTEM_PACKAGES: ReadonlySet<string> = new Set([
  ...[...BY_PKG.keys()].filter((p) => p !== ""),
  ...PACKAGE_VARS.map((v) => v.pkg),
  ...EMBEDDED_ONLY,
]);

/** true when `import "path"` names a system package (fmt, golang/strings, world/collect, example/nested …) */
export function isSystemPackage(path: string): boolean {
  return SYSTEM_PACKAGES.has(path);
}

/** All system package import paths, sorted. */
export function systemPackages(): readonly string[] {
  return [...SYSTEM_PACKAGES].sort();
}

/** Default import alias (§3.8): the last path element (`golang/strings` → `strings`, `math/rand` wrappers → `rand`). */
export function defaultImportAlias(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

// ---------------------------------------------------------------------------------------------
// Resource kinds

export interface KindTraits {
  readonly autoedge?: boolean;
  readonly autogroup?: boolean;
  readonly refresh?: boolean;
  readonly reverse?: boolean;
  readonly compatible?: boolean;
}

export interface KindSchema {
  /** "file", "test", "http:server" … */
  readonly kind: string;
  /** lang field name → mcl type; `interface{}` fields are a var (`?1`) the checker instantiates per use. */
  readonly fields: ReadonlyMap<string, Type>;
  /** sendable kinds: fields they send */
  readonly sends?: ReadonlyMap<string, Type>;
  readonly recvable: boolean;
  readonly traits: KindTraits;
  /**
   * The kind's own Validate (mcl-language.md §3.2 "then the kind's own Validate()"), run by
   * interpret on every non-hidden resource after the engine-level checks: a one-line reason, or
   * undefined when valid. Pure (no I/O), so the resource implementations can reuse it.
   */
  readonly validate?: (name: string, params: ResParams) => string | undefined;
  /**
   * The kind-specific part of Cmp beyond equal params (§9 step 2): a reason why two same-named
   * resources are inequivalent even when their params are equal, or undefined. Pure.
   */
  readonly cmp?: (a: ResParams, b: ResParams) => string | undefined;
}

/** The params of one resource as interpret builds them: lang field name → value (unset fields absent). */
export type ResParams = Readonly<Record<string, Value>>;

const KINDS = new Map<string, KindSchema>(ALL_KINDS.map((k) => [k.kind, k]));

export function getKind(kind: string): KindSchema | undefined {
  return KINDS.get(kind);
}

export function kindNames(): readonly string[] {
  return [...KINDS.keys()].sort();
}

/**
 * The 18 Meta fields in exact order (§3.2): noop bool, retry int, retryreset bool, delay int,
 * timeout int, poll int, limit float, burst int, reset bool, sema []str, rewatch bool, realize bool,
 * dollar bool, hidden bool, export []str, reverse bool, autoedge bool, autogroup bool
 */
export const META_FIELDS: readonly FieldType[] = (
  [
    ["noop", "bool"],
    ["retry", "int"],
    ["retryreset", "bool"],
    ["delay", "int"],
    ["timeout", "int"],
    ["poll", "int"],
    ["limit", "float"],
    ["burst", "int"],
    ["reset", "bool"],
    ["sema", "[]str"],
    ["rewatch", "bool"],
    ["realize", "bool"],
    ["dollar", "bool"],
    ["hidden", "bool"],
    ["export", "[]str"],
    ["reverse", "bool"],
    ["autoedge", "bool"],
    ["autogroup", "bool"],
  ] as const
).map(([name, t]) => ({ name, type: parseType(t) }));

/** The type of a complete `Meta => struct{…}` value. */
export const META_STRUCT: Type = { k: "struct", fields: META_FIELDS };
