/**
 * Per-host state under the state directory (mgmt's `Local` API): the value store, var dirs and
 * number pools. Layout: `<stateDir>/value/<key>`, `<stateDir>/vardir/<path>/`,
 * `<stateDir>/pool/<namespace>.json`.
 *
 * `openLocal(stateDir)` returns one shared instance per directory per process. The sharing is
 * the point: the `value` resource (engine) and the `value.get` functions (stdlib) open the store
 * independently from the same state directory and must see each other's writes at once.
 */
import { resolve } from "node:path";
import { PoolStore } from "./pool.js";
import { ValueStore } from "./value-store.js";
import { ensureVardir } from "./vardir.js";
export { ValueStore } from "./value-store.js";
export { PoolStore } from "./pool.js";
export { ensureVardir, vardirProblem } from "./vardir.js";
export { encodeValue, decodeValue } from "./value-codec.js";
const opened = new Map();
/** The Local state of `stateDir` (nothing is created on disk until something is written). */
export function openLocal(stateDir) {
    const dir = resolve(stateDir);
    let local = opened.get(dir);
    if (!local) {
        const pools = new PoolStore(resolve(dir, "pool"));
        local = {
            stateDir: dir,
            values: new ValueStore(resolve(dir, "value")),
            pools,
            vardir: (path) => ensureVardir(dir, path),
            pool: (namespace, uid) => pools.allocate(namespace, uid),
        };
        opened.set(dir, local);
    }
    return local;
}
