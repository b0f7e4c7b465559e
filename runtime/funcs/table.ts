/**
 * Tables: immutable snapshots node id → value, as emitted by the evaluator (mcl-language.md §8).
 *
 * A 10,000-entry `new Map(prev)` costs about 2 ms, the whole latency budget of a small change, so
 * the store is copy-on-write in two levels: values live in 32-slot chunks, a snapshot shares the
 * chunk array, and the next write clones only the top array (n/32 pointers) and the touched chunk.
 * The id → slot map is shared the same way and only cloned on structural change.
 */
import { isCatchable, type Value } from "../../lang/values.js";
import type { NodeId, Result } from "./graph.js";

const BITS = 5;
const SIZE = 1 << BITS;
const MASK = SIZE - 1;

/** One consistent snapshot of the function graph's values. */
export class Table {
  /** @internal */
  constructor(
    private readonly slots: ReadonlyMap<NodeId, number>,
    private readonly chunks: readonly (readonly (Result | undefined)[])[],
    /** 1 for the first table an evaluator emits, then 2, 3, … */
    readonly seq: number,
  ) {}

  /** The node's value; `undefined` for unknown ids and for nodes holding a caught error. */
  get(id: NodeId): Value | undefined {
    const r = this.result(id);
    return r === undefined || isCatchable(r) ? undefined : r;
  }
  /** The node's value or catchable error (caught upstream of an except node). */
  result(id: NodeId): Result | undefined {
    const s = this.slots.get(id);
    return s === undefined ? undefined : this.chunks[s >> BITS]![s & MASK];
  }
  has(id: NodeId): boolean {
    return this.slots.has(id);
  }
  get size(): number {
    return this.slots.size;
  }
  *entries(): IterableIterator<[NodeId, Result]> {
    for (const [id, s] of this.slots) yield [id, this.chunks[s >> BITS]![s & MASK]!];
  }
  ids(): IterableIterator<NodeId> {
    return this.slots.keys();
  }
}

/** The mutable, copy-on-write "last emitted table" kept by the evaluator. */
export class TableStore {
  private slots = new Map<NodeId, number>();
  private slotsShared = false;
  private chunks: (Result | undefined)[][] = [];
  private topShared = false;
  /** Chunks written since the last snapshot (safe to mutate in place). */
  private owned = new Set<number>();
  private free: number[] = [];
  private next = 0;
  private seq = 0;

  get(id: NodeId): Result | undefined {
    const s = this.slots.get(id);
    return s === undefined ? undefined : this.chunks[s >> BITS]![s & MASK];
  }
  has(id: NodeId): boolean {
    return this.slots.has(id);
  }

  /** Set by id; returns the slot, which stays valid until `delete(id)`. */
  set(id: NodeId, r: Result): number {
    let s = this.slots.get(id);
    if (s === undefined) {
      s = this.free.pop() ?? this.next++;
      this.mutableSlots().set(id, s);
    }
    this.write(s, r);
    return s;
  }
  slotOf(id: NodeId): number | undefined {
    return this.slots.get(id);
  }
  getSlot(s: number): Result | undefined {
    return this.chunks[s >> BITS]![s & MASK];
  }
  setSlot(s: number, r: Result): void {
    this.write(s, r);
  }

  delete(id: NodeId): void {
    const s = this.slots.get(id);
    if (s === undefined) return;
    this.mutableSlots().delete(id);
    this.write(s, undefined);
    this.free.push(s);
  }

  snapshot(): Table {
    this.slotsShared = true;
    this.topShared = true;
    this.owned.clear();
    return new Table(this.slots, this.chunks, ++this.seq);
  }

  private mutableSlots(): Map<NodeId, number> {
    if (this.slotsShared) {
      this.slots = new Map(this.slots);
      this.slotsShared = false;
    }
    return this.slots;
  }

  private write(s: number, r: Result | undefined): void {
    const c = s >> BITS;
    if (this.topShared) {
      this.chunks = this.chunks.slice();
      this.topShared = false;
    }
    let chunk = this.chunks[c];
    if (chunk === undefined) {
      while (this.chunks.length <= c) {
        this.owned.add(this.chunks.length);
        this.chunks.push(new Array<Result | undefined>(SIZE));
      }
      chunk = this.chunks[c]!;
    } else if (!this.owned.has(c)) {
      chunk = chunk.slice();
      this.chunks[c] = chunk;
      this.owned.add(c);
    }
    chunk[s & MASK] = r;
  }
}
