/**
 * The glitch-free incremental evaluator (mcl-language.md §8, ecosystem.md §2.3).
 *
 * Every node has a rank greater than the ranks of its inputs. A wave takes the latest pending
 * value of each source that emitted, then recomputes, in rank order, only the nodes downstream of
 * what changed; a node whose inputs are the same objects as last time is not called (memoised),
 * and a node whose result equals its previous value does not wake its dependents. At the end of a
 * wave a table is emitted when every node has a value and the table differs from the last one.
 * So `$now - $now` is always 0: the two inputs of `-` are the same node's value from the same wave.
 *
 * rxjs only at the edges: sources are Observables subscribed by the engine, and the output is an
 * `Observable<Table>`. Nothing inside the graph subscribes to anything.
 */
import { ReplaySubject, Subject } from "rxjs";
import { diag } from "../../lang/diagnostics.js";
import { CatchableError, isCatchable, valueEquals } from "../../lang/values.js";
import { GraphError } from "./graph.js";
import { Table, TableStore } from "./table.js";
export { GraphError, Table };
/** The engine stopped on a fatal runtime error; `diagnostic` has phase `runtime` and the node's span. */
export class FatalEvalError extends Error {
    diagnostic;
    name = "FatalEvalError";
    constructor(diagnostic) {
        super(diagnostic.message);
        this.diagnostic = diagnostic;
    }
}
class Node {
    spec;
    kind;
    seq;
    deps = [];
    out = new Set();
    rank = 0;
    refs = 1;
    value = undefined;
    loaded = false;
    lastArgs = undefined;
    queued = false;
    dead = false;
    inError = false;
    /** Slot in the table store, once emitted (-1 before). */
    slot = -1;
    computes = 0;
    // streams
    sub = undefined;
    gen = 0;
    pending = undefined;
    captured = undefined;
    ctx = undefined;
    constructor(spec, kind, seq) {
        this.spec = spec;
        this.kind = kind;
        this.seq = seq;
    }
}
function kindOf(spec) {
    if ("fn" in spec)
        return "fn";
    if ("value" in spec)
        return "const";
    if (("source" in spec && spec.source) || ("stream" in spec && spec.stream))
        return "stream";
    throw new GraphError(`node ${spec.id}: needs one of fn, value, source or stream`);
}
function resultEquals(a, b) {
    if (a === b)
        return true;
    const ea = isCatchable(a), eb = isCatchable(b);
    if (ea || eb)
        return ea && eb && a.message === b.message && a.code === b.code && a.span === b.span;
    return valueEquals(a, b);
}
/** Thrown inside a wave to unwind to `wave()`, which stops the engine. */
class Fatal {
    diagnostic;
    constructor(diagnostic) {
        this.diagnostic = diagnostic;
    }
}
/**
 * @example
 * const ev = new Evaluator({ schedule: "manual" });
 * ev.txn().add({ id: "now", source: clock$ }).add({ id: "d", deps: ["now", "now"], fn: ([a, b]) => a - b }).commit();
 * ev.tables$.subscribe((t) => console.log(t.get("d")));
 * ev.wave();
 */
export class Evaluator {
    /** Every emitted table; replays the latest to late subscribers; errors with `FatalEvalError`. */
    tables$;
    /** Catchable errors that reached an output (a node without dependents): no table for that state. */
    errors$;
    stats = { waves: 0, computes: 0, tables: 0 };
    tablesSubject = new ReplaySubject(1);
    errorsSubject = new Subject();
    nodes = new Map();
    schedule;
    seq = 0;
    unloaded = 0;
    errorNodes = new Set();
    pendingSources = new Set();
    changed = new Set();
    removed = new Set();
    store = new TableStore();
    emittedOnce = false;
    lastErrorKey = undefined;
    scheduled = false;
    inWave = false;
    stopped = false;
    capturing = undefined;
    // bucket queue by rank (ranks are dense small integers)
    buckets = [];
    queued = 0;
    cursor = Number.MAX_SAFE_INTEGER;
    constructor(opts = {}) {
        this.tables$ = this.tablesSubject.asObservable();
        this.errors$ = this.errorsSubject.asObservable();
        this.schedule = opts.schedule === "manual" ? undefined : (opts.schedule ?? ((run) => void setImmediate(run)));
    }
    /** Start a batch of graph edits. */
    txn() {
        const ops = [];
        const t = {
            add: (spec) => (ops.push({ op: "add", spec }), t),
            remove: (id) => (ops.push({ op: "remove", id }), t),
            setDeps: (id, deps) => (ops.push({ op: "setDeps", id, deps }), t),
            commit: () => this.apply(ops.splice(0)),
        };
        return t;
    }
    /** Feed a source node from outside (latest value wins until the next wave). */
    set(id, v) {
        const n = this.nodes.get(id);
        if (!n)
            throw new GraphError(`set: unknown node ${id}`);
        if (n.kind !== "stream")
            throw new GraphError(`set: node ${id} is not a source`);
        this.push(n, n.gen, v);
    }
    has(id) {
        return this.nodes.has(id);
    }
    get size() {
        return this.nodes.size;
    }
    /** Number of times the node's function ran (or its stream was subscribed). */
    computeCount(id) {
        return this.nodes.get(id)?.computes ?? 0;
    }
    /** The node's current value, which may be ahead of the last emitted table. */
    peek(id) {
        return this.nodes.get(id)?.value;
    }
    /** Number of sources currently subscribed. */
    get activeSubscriptions() {
        let c = 0;
        for (const n of this.nodes.values())
            if (n.sub && !n.sub.closed)
                c++;
        return c;
    }
    get isStopped() {
        return this.stopped;
    }
    /** Unsubscribe every source and complete the outputs. */
    stop() {
        if (this.stopped)
            return;
        this.stopped = true;
        this.unsubscribeAll();
        this.tablesSubject.complete();
        this.errorsSubject.complete();
    }
    /**
     * Run one wave now: apply the pending source values, recompute what depends on them, and emit
     * a table if the graph is complete and the table changed. Scheduled automatically unless the
     * evaluator is manual; a no-op when called from inside a wave or after `stop()`.
     */
    wave() {
        if (this.stopped || this.inWave)
            return;
        this.scheduled = false;
        this.inWave = true;
        this.stats.waves++;
        try {
            for (const n of this.pendingSources) {
                const v = n.pending;
                n.pending = undefined;
                if (!n.dead)
                    this.assign(n, v);
            }
            this.pendingSources.clear();
            this.drain();
        }
        catch (e) {
            this.inWave = false;
            this.fail(e instanceof Fatal ? e.diagnostic : diag("runtime", "E-RUNTIME-FATAL", `evaluator failure: ${String(e)}`));
            return;
        }
        this.inWave = false;
        this.finish();
    }
    // -------------------------------------------------------------------------------------------
    // the wave
    enqueue(n) {
        if (n.queued)
            return;
        n.queued = true;
        (this.buckets[n.rank] ??= []).push(n);
        this.queued++;
        if (n.rank < this.cursor)
            this.cursor = n.rank;
    }
    drain() {
        while (this.queued > 0) {
            const bucket = this.buckets[this.cursor];
            if (bucket === undefined || bucket.length === 0) {
                this.cursor++;
                continue;
            }
            const n = bucket.pop();
            this.queued--;
            n.queued = false;
            if (n.dead)
                continue;
            if (n.rank !== this.cursor) {
                this.enqueue(n); // its rank was raised by a mid-wave edit
                continue;
            }
            this.compute(n);
        }
        this.cursor = Number.MAX_SAFE_INTEGER;
    }
    compute(n) {
        if (n.kind === "const") {
            if (!n.loaded) {
                n.computes++;
                this.stats.computes++;
                this.assign(n, n.spec.value);
            }
            return;
        }
        const deps = n.deps;
        const last = n.lastArgs;
        let same = last !== undefined && last.length === deps.length;
        for (let i = 0; i < deps.length; i++) {
            const d = deps[i];
            if (!d.loaded)
                return; // recomputed when d loads
            if (same && last[i] !== d.value)
                same = false;
        }
        if (same)
            return; // memoised: inputs are the very same values
        const args = new Array(deps.length);
        for (let i = 0; i < deps.length; i++)
            args[i] = deps[i].value;
        n.lastArgs = args;
        n.computes++;
        this.stats.computes++;
        if (n.kind === "fn")
            this.call(n, args);
        else
            this.resubscribe(n, args);
    }
    call(n, args) {
        const spec = n.spec;
        if (!spec.catches) {
            for (const a of args) {
                if (isCatchable(a))
                    return this.assign(n, a);
            }
        }
        let r;
        try {
            r = spec.fn(args, (n.ctx ??= this.contextFor(n)));
        }
        catch (e) {
            if (e instanceof Fatal)
                throw e;
            if (!isCatchable(e))
                throw new Fatal(this.fatalDiag(n, e));
            r = e;
        }
        if (isCatchable(r))
            r = r.withSpan(n.spec.span);
        this.assign(n, r);
    }
    resubscribe(n, args) {
        n.sub?.unsubscribe();
        n.sub = undefined;
        const gen = ++n.gen;
        this.pendingSources.delete(n);
        n.pending = undefined;
        const err = args.find(isCatchable);
        if (err)
            return this.assign(n, err);
        if (n.loaded) {
            n.loaded = false; // until the new stream emits: keep the old value only for change detection
            this.unloaded++;
        }
        const spec = n.spec;
        let obs;
        try {
            obs = spec.stream ? spec.stream(args) : spec.source;
        }
        catch (e) {
            throw new Fatal(this.fatalDiag(n, e));
        }
        this.subscribe(n, obs);
    }
    /**
     * Subscribe a stream. Inside a wave a synchronous first value is captured and joins this wave
     * (a new `if` branch reading a file can complete in the wave that built it); outside a wave it
     * is pending for the next one.
     */
    subscribe(n, obs) {
        const gen = n.gen;
        const prev = this.capturing;
        if (this.inWave)
            this.capturing = n;
        n.captured = undefined;
        let syncError = undefined;
        let inSubscribe = true;
        try {
            n.sub = obs.subscribe({
                next: (v) => this.push(n, gen, v),
                error: (e) => {
                    if (gen !== n.gen || n.dead)
                        return;
                    if (inSubscribe)
                        syncError = e ?? new Error("stream failed");
                    else
                        this.fail(this.fatalDiag(n, e));
                },
            });
        }
        finally {
            this.capturing = prev;
            inSubscribe = false;
        }
        if (syncError !== undefined) {
            const d = this.fatalDiag(n, syncError);
            if (this.inWave)
                throw new Fatal(d);
            this.fail(d);
            return;
        }
        if (n.captured !== undefined) {
            const v = n.captured;
            n.captured = undefined;
            this.assign(n, v);
        }
    }
    /** A stream emitted: captured synchronously during (re)subscription, else pending for the next wave. */
    push(n, gen, v) {
        if (this.stopped || n.dead || gen !== n.gen)
            return;
        if (this.capturing === n) {
            n.captured = v;
            return;
        }
        n.pending = v;
        this.pendingSources.add(n);
        // a value arriving during a wave goes into the next one
        if (!this.scheduled && this.schedule) {
            this.scheduled = true;
            this.schedule(() => this.wave());
        }
    }
    assign(n, r) {
        if (isCatchable(r))
            r = r.withSpan(n.spec.span);
        let wake;
        if (!n.loaded) {
            n.loaded = true;
            this.unloaded--;
            wake = true; // dependents may have been skipped while n was unloaded
            if (n.value === undefined || !resultEquals(n.value, r)) {
                n.value = r;
                this.changed.add(n);
            }
        }
        else if (!resultEquals(n.value, r)) {
            n.value = r;
            this.changed.add(n);
            wake = true;
        }
        else {
            wake = false;
        }
        const inError = isCatchable(n.value);
        if (inError !== n.inError) {
            n.inError = inError;
            if (inError)
                this.errorNodes.add(n);
            else
                this.errorNodes.delete(n);
        }
        if (wake)
            for (const m of n.out)
                this.enqueue(m);
    }
    finish() {
        if (this.stopped || this.unloaded > 0)
            return;
        let sinkErr;
        for (const n of this.errorNodes) {
            if (n.out.size === 0 && (sinkErr === undefined || n.seq < sinkErr.seq))
                sinkErr = n;
        }
        if (sinkErr) {
            const e = sinkErr.value;
            const d = diag("runtime", e.code, e.message, e.span ?? sinkErr.spec.span);
            const key = `${e.code}\0${e.message}\0${JSON.stringify(d.span ?? null)}`;
            if (key !== this.lastErrorKey) {
                this.lastErrorKey = key;
                this.errorsSubject.next(d);
            }
            return;
        }
        this.lastErrorKey = undefined;
        let differs = !this.emittedOnce;
        for (const id of this.removed) {
            if (!this.nodes.has(id) && this.store.has(id)) {
                this.store.delete(id);
                differs = true;
            }
        }
        this.removed.clear();
        for (const n of this.changed) {
            if (n.slot < 0) {
                const s = this.store.slotOf(n.spec.id); // a re-added id keeps its slot
                if (s === undefined) {
                    n.slot = this.store.set(n.spec.id, n.value);
                    differs = true;
                    continue;
                }
                n.slot = s;
            }
            const old = this.store.getSlot(n.slot);
            if (old === undefined || !resultEquals(old, n.value)) {
                this.store.setSlot(n.slot, n.value);
                differs = true;
            }
        }
        this.changed.clear();
        if (!differs)
            return;
        this.emittedOnce = true;
        this.stats.tables++;
        this.tablesSubject.next(this.store.snapshot());
    }
    fail(d) {
        if (this.stopped)
            return;
        this.stopped = true;
        this.unsubscribeAll();
        this.tablesSubject.error(new FatalEvalError(d));
        this.errorsSubject.complete();
    }
    fatalDiag(n, e) {
        const msg = e instanceof Error ? e.message : String(e);
        return diag("runtime", "E-RUNTIME-FATAL", msg, n.spec.span);
    }
    unsubscribeAll() {
        for (const n of this.nodes.values()) {
            n.sub?.unsubscribe();
            n.sub = undefined;
        }
    }
    contextFor(n) {
        return { id: n.spec.id, txn: () => this.txn() };
    }
    // -------------------------------------------------------------------------------------------
    // graph edits
    resolve(owner, ids) {
        return ids.map((id) => {
            const d = this.nodes.get(id);
            if (!d)
                throw new GraphError(`node ${owner}: unknown input ${id}`);
            return d;
        });
    }
    apply(ops) {
        if (this.stopped)
            throw new GraphError("evaluator is stopped");
        const undo = [];
        const added = [];
        const touchedRefs = [];
        const rewired = [];
        const inverse = [];
        let dying;
        try {
            for (const op of ops) {
                if (op.op === "add") {
                    const existing = this.nodes.get(op.spec.id);
                    if (existing) {
                        existing.refs++;
                        undo.push(() => existing.refs--);
                    }
                    else {
                        const n = new Node(op.spec, kindOf(op.spec), this.seq++);
                        this.nodes.set(op.spec.id, n);
                        added.push(n);
                        undo.push(() => this.nodes.delete(op.spec.id));
                    }
                    inverse.push({ op: "remove", id: op.spec.id });
                }
                else if (op.op === "remove") {
                    const n = this.nodes.get(op.id);
                    if (!n || n.refs <= 0)
                        throw new GraphError(`remove: unknown node ${op.id}`);
                    n.refs--;
                    undo.push(() => n.refs++);
                    touchedRefs.push(n);
                    inverse.push({ op: "add", spec: n.spec });
                }
                else {
                    const n = this.nodes.get(op.id);
                    if (!n)
                        throw new GraphError(`setDeps: unknown node ${op.id}`);
                    rewired.push({ n, ids: op.deps });
                }
            }
            // link the new nodes and rank them (iterative DFS; a cycle among them is an error)
            for (const n of added)
                n.deps = this.resolve(n.spec.id, n.spec.deps ?? []);
            this.rankNew(added);
            for (const n of added) {
                for (const d of n.deps)
                    d.out.add(n);
                undo.push(() => {
                    for (const d of n.deps)
                        d.out.delete(n);
                });
            }
            for (const { n, ids } of rewired) {
                const old = n.deps;
                inverse.push({ op: "setDeps", id: n.spec.id, deps: old.map((d) => d.spec.id) });
                const next = this.resolve(n.spec.id, ids);
                for (const d of old)
                    d.out.delete(n);
                for (const d of next)
                    d.out.add(n);
                n.deps = next;
                undo.push(() => {
                    for (const d of next)
                        d.out.delete(n);
                    for (const d of old)
                        d.out.add(n);
                    n.deps = old;
                });
                for (const d of next)
                    if (d.rank >= n.rank)
                        this.raise(n, d.rank + 1, d, undo);
            }
            dying = new Set(touchedRefs.filter((n) => n.refs === 0));
            for (const n of dying) {
                for (const m of n.out) {
                    if (!dying.has(m))
                        throw new GraphError(`remove: node ${n.spec.id} is still used by ${m.spec.id}`);
                }
            }
        }
        catch (e) {
            for (let i = undo.length - 1; i >= 0; i--)
                undo[i]();
            throw e;
        }
        // point of no return: side effects
        for (const n of dying)
            this.kill(n);
        for (const n of added) {
            this.unloaded++;
            this.enqueue(n);
        }
        // sources without inputs subscribe now, so that nothing they emit before the next wave is lost
        for (const n of added) {
            if (n.kind !== "stream" || n.deps.length > 0 || n.dead || this.stopped)
                continue;
            n.lastArgs = [];
            n.computes++;
            this.stats.computes++;
            const spec = n.spec;
            this.subscribe(n, spec.source ?? spec.stream([]));
        }
        for (const { n } of rewired) {
            if (n.dead)
                continue;
            n.lastArgs = undefined;
            this.enqueue(n);
        }
        if (!this.inWave) {
            if (this.schedule && !this.scheduled && (this.queued > 0 || dying.size > 0)) {
                this.scheduled = true;
                this.schedule(() => this.wave());
            }
        }
        let reversed = false;
        return () => {
            if (reversed)
                return;
            reversed = true;
            this.apply(inverse.reverse());
        };
    }
    /** Ranks for freshly added nodes: 1 + max(rank of inputs), in dependency order. */
    rankNew(added) {
        const state = new Map(); // 1 visiting, 2 done
        const isNew = new Set(added);
        for (const root of added) {
            if (state.get(root) === 2)
                continue;
            const stack = [[root, 0]];
            state.set(root, 1);
            while (stack.length > 0) {
                const top = stack[stack.length - 1];
                const [n, i] = top;
                if (i < n.deps.length) {
                    top[1] = i + 1;
                    const d = n.deps[i];
                    if (!isNew.has(d))
                        continue;
                    const s = state.get(d);
                    if (s === 1)
                        throw new GraphError(`cycle through node ${d.spec.id}`);
                    if (s === undefined) {
                        state.set(d, 1);
                        stack.push([d, 0]);
                    }
                }
                else {
                    let r = 0;
                    for (const d of n.deps)
                        if (d.rank + 1 > r)
                            r = d.rank + 1;
                    n.rank = r;
                    state.set(n, 2);
                    stack.pop();
                }
            }
        }
    }
    /** Raise `n` to at least `rank` and push its dependents up; reaching `from` means a cycle. */
    raise(n, rank, from, undo) {
        const stack = [[n, rank]];
        while (stack.length > 0) {
            const [m, r] = stack.pop();
            if (m === from)
                throw new GraphError(`cycle: ${from.spec.id} depends on ${n.spec.id}`);
            if (m.rank >= r)
                continue;
            const old = m.rank;
            m.rank = r;
            undo.push(() => (m.rank = old));
            for (const o of m.out)
                stack.push([o, r + 1]);
        }
    }
    kill(n) {
        n.dead = true;
        n.sub?.unsubscribe();
        n.sub = undefined;
        n.gen++;
        this.nodes.delete(n.spec.id);
        for (const d of n.deps)
            d.out.delete(n);
        if (!n.loaded)
            this.unloaded--;
        this.errorNodes.delete(n);
        this.changed.delete(n);
        n.slot = -1;
        this.pendingSources.delete(n);
        this.removed.add(n.spec.id);
    }
}
