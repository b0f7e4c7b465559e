/**
 * A resilient etcd watch of one key or one prefix, as an Observable of the range's full state.
 *
 * - On subscribe: read the range (retrying until etcd answers), emit it, and watch from the read's
 *   revision + 1, so no change between the read and the watch is missed.
 * - Every watch response is applied to the local copy and the copy is emitted once per response
 *   that changed it. Events at or below the last applied revision are dropped, so a replay after a
 *   reconnect yields no duplicates.
 * - On a disconnect the etcd3 client re-creates the watch by itself (with backoff); before it
 *   does, the start revision is reset to the last *applied* revision + 1. etcd3 would otherwise
 *   resume from the `created` header's revision + 1, which can skip events that were still being
 *   replayed when the stream broke (ecosystem.md §3.1: resume from lastRevision+1).
 * - When etcd cancels the watch (e.g. the revision was compacted), the range is read again and the
 *   difference emitted: the consumer sees a state jump, never a stale state.
 */
import { Observable } from "rxjs";
import type { IWatchResponse, Watcher } from "etcd3";
import { prefixEnd, type EtcdKv, type KvEntry } from "./etcd-client.js";

export type RangeSpec = { readonly key: string } | { readonly prefix: string };

/** Connection reports of a watch: up after each (re)connect, down on each disconnect. */
export type WatchStatus = (up: boolean, err?: unknown) => void;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function sameState(a: ReadonlyMap<string, KvEntry>, b: ReadonlyMap<string, KvEntry>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k)?.modRev !== v.modRev) return false;
  return true;
}

/**
 * The key's or prefix's entries (by key without the namespace, sorted) now and after each change.
 * Errors never reach the subscriber: outages are reported through `status` and retried.
 */
export function watchRange(kv: EtcdKv, spec: RangeSpec, status?: WatchStatus): Observable<ReadonlyMap<string, KvEntry>> {
  return new Observable<ReadonlyMap<string, KvEntry>>((subscriber) => {
    let closed = false;
    let watcher: Watcher | undefined;
    let state: ReadonlyMap<string, KvEntry> | undefined;
    /** Highest revision whose events are in `state`. */
    let applied = 0;

    /** `next` is sorted unless `added` (a key that was not in `state`): updates and deletes keep the order. */
    const emit = (next: Map<string, KvEntry>, added = true) => {
      const sorted = added ? new Map([...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : next;
      if (state !== undefined && sameState(state, sorted)) return;
      state = sorted;
      subscriber.next(sorted);
    };

    const load = async (): Promise<void> => {
      for (let delay = 50; !closed && !kv.closed; delay = Math.min(1000, delay * 2)) {
        try {
          const r = "prefix" in spec ? await kv.range(spec.prefix) : await kv.get(spec.key).then((g) => ({ entries: g.entry ? [g.entry] : [], rev: g.rev }));
          if (closed) return;
          applied = r.rev;
          emit(new Map(r.entries.map((e) => [e.key, e])));
          break;
        } catch (e) {
          status?.(false, e);
          await sleep(delay);
        }
      }
      if (closed || kv.closed) return;
      const b = kv.client.watch();
      if ("prefix" in spec) {
        const k = kv.full(spec.prefix);
        b.inRange({ start: k, end: prefixEnd(k) });
      } else b.key(kv.full(spec.key));
      const w = b.startRevision(String(applied + 1)).watcher();
      watcher = w;
      kv.watchers.add(w);
      w.on("data", (res: IWatchResponse) => {
        if (closed || watcher !== w) return;
        let next: Map<string, KvEntry> | undefined;
        let added = false;
        let top = applied;
        for (const ev of res.events) {
          const rev = Number(ev.kv.mod_revision);
          if (rev <= applied) continue; // replayed after a reconnect
          next ??= new Map(state);
          const key = kv.strip(ev.kv.key);
          if (ev.type === "Delete") next.delete(key);
          else {
            if (!next.has(key)) added = true;
            next.set(key, kv.entry(ev.kv));
          }
          if (rev > top) top = rev;
        }
        // A response holds whole revisions, so it is safe to advance only after all its events.
        applied = top;
        if (next) emit(next, added);
      });
      w.on("connected", () => status?.(true));
      w.on("disconnected", (err: unknown) => {
        // Resume from what was applied, not from etcd3's idea of the last revision.
        w.request.start_revision = String(applied + 1);
        status?.(false, err);
      });
      w.on("error", () => {
        // Canceled by the server (compaction, or a removed member): read again and re-watch.
        if (watcher !== w) return;
        watcher = undefined;
        kv.watchers.delete(w);
        void w.cancel().catch(() => undefined);
        void load();
      });
    };

    void load();
    return () => {
      closed = true;
      const w = watcher;
      watcher = undefined;
      if (w) {
        kv.watchers.delete(w);
        void w.cancel().catch(() => undefined);
      }
    };
  });
}
