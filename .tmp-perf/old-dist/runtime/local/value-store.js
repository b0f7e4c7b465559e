/**
 * The per-host value store (mgmt's `Local` value API): a persistent key → value map under
 * `<stateDir>/value/`, one file per key, written by the `value` resource and read by the
 * `value.get*` functions. Writes notify in-process watchers synchronously, so a `value.get` source
 * sees a `value` resource's write in the same turn. Values survive restarts.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BehaviorSubject, Observable, distinctUntilChanged } from "rxjs";
import { valueEquals } from "../../lang/values.js";
import { fileNameToKey, keyToFileName, writeFileAtomic } from "./fs-util.js";
import { decodeValue, encodeValue } from "./value-codec.js";
export class ValueStore {
    dir;
    /** Loaded keys; `undefined` = known to be absent. Subjects exist only for watched keys. */
    #cache = new Map();
    #subjects = new Map();
    constructor(dir) {
        this.dir = dir;
    }
    #file(key) {
        return join(this.dir, keyToFileName(key));
    }
    /** The stored value, or `undefined` when the key was never set (or was deleted). */
    get(key) {
        if (this.#cache.has(key))
            return this.#cache.get(key);
        let v;
        try {
            v = decodeValue(readFileSync(this.#file(key), "utf8"));
        }
        catch (e) {
            if (e.code !== "ENOENT")
                throw new Error(`value store: can't read key ${JSON.stringify(key)}: ${e.message}`);
            v = undefined;
        }
        this.#cache.set(key, v);
        return v;
    }
    /** Store `value` under `key` (persisted before returning); returns false when it was already equal. */
    set(key, value) {
        const old = this.get(key);
        if (old !== undefined && valueEquals(old, value))
            return false;
        writeFileAtomic(this.#file(key), encodeValue(value));
        this.#cache.set(key, value);
        this.#subjects.get(key)?.subject.next(value);
        return true;
    }
    /** Remove `key`; returns false when it was absent. */
    delete(key) {
        if (this.get(key) === undefined)
            return false;
        rmSync(this.#file(key), { force: true });
        this.#cache.set(key, undefined);
        this.#subjects.get(key)?.subject.next(undefined);
        return true;
    }
    /** Every stored key, sorted. */
    keys() {
        let names;
        try {
            names = readdirSync(this.dir);
        }
        catch {
            return [];
        }
        return names.map(fileNameToKey).filter((k) => k !== undefined).sort();
    }
    /** The key's value (`undefined` when absent) on subscribe, then after every change. */
    watch(key) {
        return new Observable((subscriber) => {
            let entry = this.#subjects.get(key);
            if (!entry) {
                entry = { subject: new BehaviorSubject(this.get(key)), refs: 0 };
                this.#subjects.set(key, entry);
            }
            entry.refs++;
            const e = entry;
            const sub = e.subject
                .pipe(distinctUntilChanged((a, b) => a === b || (a !== undefined && b !== undefined && valueEquals(a, b))))
                .subscribe(subscriber);
            return () => {
                sub.unsubscribe();
                if (--e.refs === 0 && this.#subjects.get(key) === e)
                    this.#subjects.delete(key);
            };
        });
    }
    /** Number of keys with live watchers; for leak tests. */
    watchedKeys() {
        return this.#subjects.size;
    }
}
