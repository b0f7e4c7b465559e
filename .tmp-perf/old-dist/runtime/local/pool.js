/**
 * Number pools (mgmt's `Local.Pool`): within a namespace each uid gets a small positive integer
 * that stays the same for that uid, across calls and restarts. Numbers start at 1 (0 is never
 * handed out) and the smallest free one is taken. Stored as `<stateDir>/pool/<namespace>.json`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { keyToFileName, writeFileAtomic } from "./fs-util.js";
export class PoolStore {
    dir;
    #pools = new Map();
    constructor(dir) {
        this.dir = dir;
    }
    #load(namespace) {
        let pool = this.#pools.get(namespace);
        if (pool)
            return pool;
        pool = new Map();
        try {
            const raw = JSON.parse(readFileSync(this.#file(namespace), "utf8"));
            if (raw && typeof raw === "object" && !Array.isArray(raw)) {
                for (const [uid, n] of Object.entries(raw))
                    if (Number.isSafeInteger(n) && n > 0)
                        pool.set(uid, n);
            }
        }
        catch (e) {
            if (e.code !== "ENOENT")
                throw new Error(`pool ${JSON.stringify(namespace)}: ${e.message}`);
        }
        this.#pools.set(namespace, pool);
        return pool;
    }
    #file(namespace) {
        return join(this.dir, `${keyToFileName(namespace)}.json`);
    }
    /** The number of `uid` in `namespace`, allocating (and persisting) the smallest free one ≥ 1. */
    allocate(namespace, uid) {
        const pool = this.#load(namespace);
        const have = pool.get(uid);
        if (have !== undefined)
            return have;
        const used = new Set(pool.values());
        let n = 1;
        while (used.has(n))
            n++;
        const next = new Map(pool).set(uid, n);
        writeFileAtomic(this.#file(namespace), JSON.stringify(Object.fromEntries(next)));
        this.#pools.set(namespace, next);
        return n;
    }
}
