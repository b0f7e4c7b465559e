/**
 * `MemoryWorld`: the embedded World for one host, no server needed. Several MemoryWorlds may
 * share one `MemoryBackend` to simulate a cluster in tests. Every watch emits the current state
 * synchronously on subscribe, then once per change that affects it (no duplicate emissions).
 */
import { BehaviorSubject, Observable, distinctUntilChanged, map } from "rxjs";
/** The shared state behind one or more MemoryWorlds. */
export class MemoryBackend {
    kv = new BehaviorSubject(new Map());
    /** namespace → host → value */
    hostValues = new BehaviorSubject(new Map());
    /** host → exports */
    exports = new BehaviorSubject(new Map());
    /** namespace → host → volunteer count (a host may subscribe several times) */
    volunteers = new BehaviorSubject(new Map());
    deploys = new BehaviorSubject([]);
    hosts = new BehaviorSubject([]);
}
function withEntry(m, k, v) {
    const n = new Map(m);
    if (v === undefined)
        n.delete(k);
    else
        n.set(k, v);
    return n;
}
function sameMap(a, b) {
    if (a.size !== b.size)
        return false;
    for (const [k, v] of a)
        if (b.get(k) !== v)
            return false;
    return true;
}
const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
function sortedMap(entries) {
    return new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
export class MemoryWorld {
    hostname;
    backend;
    closed = false;
    constructor(hostname, backend = new MemoryBackend()) {
        this.hostname = hostname;
        this.backend = backend;
        const hs = backend.hosts.value;
        if (!hs.includes(hostname))
            backend.hosts.next([...hs, hostname].sort());
    }
    // ---- key/values
    async get(key) {
        return this.backend.kv.value.get(key);
    }
    async set(key, value) {
        const kv = this.backend.kv.value;
        if (kv.get(key) !== value)
            this.backend.kv.next(withEntry(kv, key, value));
    }
    async delete(key) {
        const kv = this.backend.kv.value;
        if (kv.has(key))
            this.backend.kv.next(withEntry(kv, key, undefined));
    }
    async list(prefix) {
        return sortedMap([...this.backend.kv.value].filter(([k]) => k.startsWith(prefix)));
    }
    watch(key) {
        return this.backend.kv.pipe(map((kv) => kv.get(key)), distinctUntilChanged());
    }
    watchPrefix(prefix) {
        return this.backend.kv.pipe(map((kv) => sortedMap([...kv].filter(([k]) => k.startsWith(prefix)))), distinctUntilChanged(sameMap));
    }
    // ---- per-host values
    async setHostValue(namespace, value) {
        const all = this.backend.hostValues.value;
        const ns = all.get(namespace) ?? new Map();
        if (ns.get(this.hostname) === value)
            return;
        this.backend.hostValues.next(withEntry(all, namespace, withEntry(ns, this.hostname, value)));
    }
    async deleteHostValue(namespace) {
        const all = this.backend.hostValues.value;
        const ns = all.get(namespace);
        if (!ns || !ns.has(this.hostname))
            return;
        this.backend.hostValues.next(withEntry(all, namespace, withEntry(ns, this.hostname, undefined)));
    }
    watchHostValues(namespace) {
        return this.backend.hostValues.pipe(map((all) => sortedMap(all.get(namespace) ?? [])), distinctUntilChanged(sameMap));
    }
    // ---- exported resources
    async exportResources(resources) {
        const mine = resources.map((r) => ({ kind: r.kind, name: r.name, host: this.hostname, data: r.data }));
        const all = this.backend.exports.value;
        const old = all.get(this.hostname) ?? [];
        const same = old.length === mine.length && old.every((r, i) => r.kind === mine[i].kind && r.name === mine[i].name && r.data === mine[i].data);
        if (!same)
            this.backend.exports.next(withEntry(all, this.hostname, mine.length ? mine : undefined));
    }
    watchExported(kind) {
        const key = (r) => `${r.kind}\0${r.name}\0${r.host}`;
        return this.backend.exports.pipe(map((all) => [...all.values()]
            .flat()
            .filter((r) => kind === undefined || r.kind === kind)
            .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))), distinctUntilChanged((a, b) => a.length === b.length && a.every((r, i) => key(r) === key(b[i]) && r.data === b[i].data)));
    }
    // ---- scheduler
    schedule(namespace, opts = {}) {
        return new Observable((subscriber) => {
            this.volunteer(namespace, +1);
            const sub = this.backend.volunteers
                .pipe(map((all) => {
                const hosts = [...(all.get(namespace)?.keys() ?? [])].sort();
                return opts.max !== undefined && opts.max >= 0 ? hosts.slice(0, opts.max) : hosts;
            }), distinctUntilChanged(sameList))
                .subscribe(subscriber);
            return () => {
                sub.unsubscribe();
                this.volunteer(namespace, -1);
            };
        });
    }
    volunteer(namespace, delta) {
        const all = this.backend.volunteers.value;
        const ns = all.get(namespace) ?? new Map();
        const n = (ns.get(this.hostname) ?? 0) + delta;
        this.backend.volunteers.next(withEntry(all, namespace, withEntry(ns, this.hostname, n > 0 ? n : undefined)));
    }
    // ---- deploys
    async publishDeploy(entry, files) {
        const ds = this.backend.deploys.value;
        const id = ds.length + 1;
        this.backend.deploys.next([...ds, { id, entry, files: new Map(files) }]);
        return id;
    }
    watchDeploy() {
        return this.backend.deploys.pipe(map((ds) => ds.at(-1)), distinctUntilChanged());
    }
    async readDeployFile(id, path) {
        return this.backend.deploys.value[id - 1]?.files.get(path);
    }
    // ---- membership
    watchHosts() {
        return this.backend.hosts.pipe(distinctUntilChanged(sameList));
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        const b = this.backend;
        b.hosts.next(b.hosts.value.filter((h) => h !== this.hostname));
        const hv = new Map();
        for (const [ns, m] of b.hostValues.value)
            hv.set(ns, withEntry(m, this.hostname, undefined));
        b.hostValues.next(hv);
        if (b.exports.value.has(this.hostname))
            b.exports.next(withEntry(b.exports.value, this.hostname, undefined));
        const vol = new Map();
        for (const [ns, m] of b.volunteers.value)
            vol.set(ns, withEntry(m, this.hostname, undefined));
        b.volunteers.next(vol);
    }
}
