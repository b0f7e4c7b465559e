/**
 * Tables: immutable snapshots node id → value, as emitted by the evaluator (mcl-language.md §8).
 *
 * A 10,000-entry `new Map(prev)` costs about 2 ms, the whole latency budget of a small change, so
 * the store is copy-on-write in two levels: values live in 32-slot chunks, a snapshot shares the
 * chunk array, and the next write clones only the top array (n/32 pointers) and the touched chunk.
 * The id → slot map is shared the same way and only cloned on structural change.
 */
import { isCatchable } from "../../lang/values.js";
const BITS = 5;
const SIZE = 1 << BITS;
const MASK = SIZE - 1;
/** One consistent snapshot of the function graph's values. */
export class Table {
    slots;
    chunks;
    seq;
    /** @internal */
    constructor(slots, chunks, 
    /** 1 for the first table an evaluator emits, then 2, 3, … */
    seq) {
        this.slots = slots;
        this.chunks = chunks;
        this.seq = seq;
    }
    /** The node's value; `undefined` for unknown ids and for nodes holding a caught error. */
    get(id) {
        const r = this.result(id);
        return r === undefined || isCatchable(r) ? undefined : r;
    }
    /** The node's value or catchable error (caught upstream of an except node). */
    result(id) {
        const s = this.slots.get(id);
        return s === undefined ? undefined : this.chunks[s >> BITS][s & MASK];
    }
    has(id) {
        return this.slots.has(id);
    }
    get size() {
        return this.slots.size;
    }
    *entries() {
        for (const [id, s] of this.slots)
            yield [id, this.chunks[s >> BITS][s & MASK]];
    }
    ids() {
        return this.slots.keys();
    }
}
/** The mutable, copy-on-write "last emitted table" kept by the evaluator. */
export class TableStore {
    slots = new Map();
    slotsShared = false;
    chunks = [];
    topShared = false;
    /** Chunks written since the last snapshot (safe to mutate in place). */
    owned = new Set();
    free = [];
    next = 0;
    seq = 0;
    get(id) {
        const s = this.slots.get(id);
        return s === undefined ? undefined : this.chunks[s >> BITS][s & MASK];
    }
    has(id) {
        return this.slots.has(id);
    }
    /** Set by id; returns the slot, which stays valid until `delete(id)`. */
    set(id, r) {
        let s = this.slots.get(id);
        if (s === undefined) {
            s = this.free.pop() ?? this.next++;
            this.mutableSlots().set(id, s);
        }
        this.write(s, r);
        return s;
    }
    slotOf(id) {
        return this.slots.get(id);
    }
    getSlot(s) {
        return this.chunks[s >> BITS][s & MASK];
    }
    setSlot(s, r) {
        this.write(s, r);
    }
    delete(id) {
        const s = this.slots.get(id);
        if (s === undefined)
            return;
        this.mutableSlots().delete(id);
        this.write(s, undefined);
        this.free.push(s);
    }
    snapshot() {
        this.slotsShared = true;
        this.topShared = true;
        this.owned.clear();
        return new Table(this.slots, this.chunks, ++this.seq);
    }
    mutableSlots() {
        if (this.slotsShared) {
            this.slots = new Map(this.slots);
            this.slotsShared = false;
        }
        return this.slots;
    }
    write(s, r) {
        const c = s >> BITS;
        if (this.topShared) {
            this.chunks = this.chunks.slice();
            this.topShared = false;
        }
        let chunk = this.chunks[c];
        if (chunk === undefined) {
            while (this.chunks.length <= c) {
                this.owned.add(this.chunks.length);
                this.chunks.push(new Array(SIZE));
            }
            chunk = this.chunks[c];
        }
        else if (!this.owned.has(c)) {
            chunk = chunk.slice();
            this.chunks[c] = chunk;
            this.owned.add(c);
        }
        chunk[s & MASK] = r;
    }
}
