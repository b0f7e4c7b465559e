import { parseType } from "../lang/type-parse.js";
import { ALL_FUNCS } from "./functions/index.js";
import { ALL_KINDS } from "./schemas/index.js";
import { GLOBAL_VARS, PACKAGE_VARS } from "./vars.js";
const FUNCS = new Map();
const BY_PKG = new Map();
for (const f of ALL_FUNCS) {
    if (FUNCS.has(f.name))
        throw new Error(`duplicate builtin ${f.name}`);
    FUNCS.set(f.name, f);
    let l = BY_PKG.get(f.pkg);
    if (!l)
        BY_PKG.set(f.pkg, (l = []));
    l.push(f);
}
/** A builtin by fully qualified name (`len`, `fmt.printf`, `golang/strings.trim_space`). */
export function getFunc(name) {
    return FUNCS.get(name);
}
/** Every registered builtin. */
export function allFuncs() {
    return ALL_FUNCS;
}
/** Functions of an import path ("" = the global functions, including internals like `_operator`). */
export function packageFuncs(path) {
    return BY_PKG.get(path) ?? [];
}
export function globalVars() {
    return GLOBAL_VARS;
}
export function packageVars(path) {
    return PACKAGE_VARS.filter((v) => v.pkg === path);
}
/** Packages that are importable but only provide embedded mcl code (classes/funcs written in mcl). */
const EMBEDDED_ONLY = new Set(["embedded/provisioner"]);
const SYSTEM_PACKAGES = new Set([
    ...[...BY_PKG.keys()].filter((p) => p !== ""),
    ...PACKAGE_VARS.map((v) => v.pkg),
    ...EMBEDDED_ONLY,
]);
/** true when `import "path"` names a system package (fmt, golang/strings, world/collect, example/nested …) */
export function isSystemPackage(path) {
    return SYSTEM_PACKAGES.has(path);
}
/** All system package import paths, sorted. */
export function systemPackages() {
    return [...SYSTEM_PACKAGES].sort();
}
/** Default import alias (§3.8): the last path element (`golang/strings` → `strings`, `math/rand` wrappers → `rand`). */
export function defaultImportAlias(path) {
    const i = path.lastIndexOf("/");
    return i < 0 ? path : path.slice(i + 1);
}
const KINDS = new Map(ALL_KINDS.map((k) => [k.kind, k]));
export function getKind(kind) {
    return KINDS.get(kind);
}
export function kindNames() {
    return [...KINDS.keys()].sort();
}
/**
 * The 18 Meta fields in exact order (§3.2): noop bool, retry int, retryreset bool, delay int,
 * timeout int, poll int, limit float, burst int, reset bool, sema []str, rewatch bool, realize bool,
 * dollar bool, hidden bool, export []str, reverse bool, autoedge bool, autogroup bool
 */
export const META_FIELDS = [
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
].map(([name, t]) => ({ name, type: parseType(t) }));
/** The type of a complete `Meta => struct{…}` value. */
export const META_STRUCT = { k: "struct", fields: META_FIELDS };
