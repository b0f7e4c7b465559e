/**
 * Var dirs (mgmt's `Local.VarDir`): private per-host directories for programs,
 * `<stateDir>/vardir/<path>/`, created with mode 0700.
 */
import { join, posix } from "node:path";
import { ensurePrivateDir } from "./fs-util.js";
/** Why `path` can't name a var dir, or `undefined` when it can. */
export function vardirProblem(path) {
    if (path === "")
        return "path is empty";
    if (path.startsWith("/"))
        return `path must be relative, got ${JSON.stringify(path)}`;
    if (path.split("/").some((c) => c === ".." || c === "."))
        return `path must not contain . or .. components, got ${JSON.stringify(path)}`;
    if (path.includes("\0"))
        return "path contains a NUL byte";
    return undefined;
}
/**
 * Create (if needed) and return the var dir for a relative `path`, with a trailing slash:
 * `vardir("/var/lib/steward", "hello")` → `/var/lib/steward/vardir/hello/`. Throws on a bad path.
 */
export function ensureVardir(stateDir, path) {
    const problem = vardirProblem(path);
    if (problem !== undefined)
        throw new Error(`vardir: ${problem}`);
    const dir = join(stateDir, "vardir", posix.normalize(path));
    ensurePrivateDir(dir);
    return dir.endsWith("/") ? dir : `${dir}/`;
}
