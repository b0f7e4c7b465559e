/**
 * One file/directory watcher for the whole process, shared by functions (`os.readfile`) and
 * resources (`file`). Why it looks like this (testing-real-systems.md §3):
 *
 * - A watch on a file dies silently when the file is deleted or atomically replaced, so we watch
 *   the *parent directory* and filter by name; a directory watch saw every one of 2,000
 *   delete/recreate events.
 * - When the parent does not exist we anchor on the nearest existing ancestor and walk back down
 *   as the missing directories appear; when an anchor directory is deleted or replaced (its own
 *   watch reports `rename <its basename>` and then goes silent) we walk up.
 * - One `fs.watch` handle per directory, reference-counted across subscribers. libuv uses one
 *   inotify instance per event loop, so the whole process shares one inotify fd.
 * - Each event is classified by `stat`, so callers get create / change / delete, not inotify noise.
 */
import { readdirSync, watch, statSync, type FSWatcher, type Stats } from "node:fs";
import { basename, dirname, resolve, sep } from "node:path";
import { Observable } from "rxjs";

export type WatchEventKind = "create" | "change" | "delete";

export interface WatchEvent {
  /** The watched path, absolute. */
  readonly path: string;
  readonly kind: WatchEventKind;
}

interface Sub {
  readonly target: string;
  readonly cb: (ev: WatchEvent) => void;
  anchor: DirWatch | undefined;
  exists: boolean;
  closed: boolean;
}

interface DirWatch {
  readonly path: string;
  readonly handle: FSWatcher;
  readonly ino: number;
  readonly dev: number;
  readonly subs: Set<Sub>;
  /**
   * The same subscribers by the child of this directory on the way to their target (the target's
   * basename for a direct child): an event names one child, so it reaches only its subscribers.
   * Without it, writing 1,000 managed files in one directory cost 1,000 × 1,000 checks.
   */
  readonly byChild: Map<string, Set<Sub>>;
}

const dirs = new Map<string, DirWatch>();

// `throwIfNoEntry: false`: a missing path is the common case of a cold run (1,000 files not yet
// created), and a thrown Error builds a stack trace each time.
function statOrNull(p: string): Stats | null {
  try {
    return statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null; // ENOTDIR, EACCES…: not there for us
  }
}

/**
 * Directory listings taken for the first look of new subscribers, dropped at the end of the tick:
 * a swap that adds 1,000 files in one directory subscribes them all in one synchronous loop, and
 * one `readdir` answers "does it exist?" for all of them where a `stat` each was a visible part of
 * the swap. Only past a few subscribers per directory in one tick: a single watched file in a big
 * directory (`/etc/passwd`) stays one stat. Names of symlinks are still stat'ed (a dangling link
 * does not exist for `stat`, which follows it). A listing that went stale within its tick can
 * only misname the first event (`create` for `change`): every event on the name still reaches the
 * subscriber (see `check`).
 */
const LIST_AFTER = 8;
const firstLooks = new Map<string, { count: number; names: Map<string, boolean> | null | undefined }>();

function listing(dir: string): Map<string, boolean> | null {
  try {
    const names = new Map<string, boolean>();
    for (const d of readdirSync(dir, { withFileTypes: true })) names.set(d.name, d.isSymbolicLink());
    return names;
  } catch {
    return null; // unreadable or gone: stat each
  }
}

/** Whether `target` exists now (as `statOrNull` sees it), answered from a listing of its directory when many ask at once. */
function existsFirstLook(target: string): boolean {
  const dir = dirname(target);
  let look = firstLooks.get(dir);
  if (!look) {
    if (firstLooks.size === 0) queueMicrotask(() => firstLooks.clear());
    firstLooks.set(dir, (look = { count: 0, names: undefined }));
  }
  if (++look.count === LIST_AFTER) look.names = listing(dir);
  const link = look.names?.get(basename(target));
  if (look.names && link === false) return true;
  if (look.names && link === undefined) return false;
  return statOrNull(target) !== null;
}

/** Number of open underlying `fs.watch` handles (one per watched directory); for leak tests. */
export function activeWatchHandles(): number {
  return dirs.size;
}

function acquire(dir: string): DirWatch | undefined {
  const have = dirs.get(dir);
  if (have) return have;
  const st = statOrNull(dir);
  if (!st || !st.isDirectory()) return undefined;
  let handle: FSWatcher;
  try {
    handle = watch(dir, { persistent: true }, (_ev, name) => onEvent(dir, name === null ? null : String(name)));
  } catch {
    return undefined; // vanished (or unreadable) between stat and watch: caller tries higher up
  }
  const dw: DirWatch = { path: dir, handle, ino: st.ino, dev: st.dev, subs: new Set(), byChild: new Map() };
  handle.on("error", () => invalidate(dw));
  dirs.set(dir, dw);
  return dw;
}

function attach(dw: DirWatch, sub: Sub): void {
  dw.subs.add(sub);
  const child = nextComponent(dw.path, sub.target);
  let set = dw.byChild.get(child);
  if (!set) dw.byChild.set(child, (set = new Set()));
  set.add(sub);
}

function release(dw: DirWatch, sub: Sub): void {
  dw.subs.delete(sub);
  const child = nextComponent(dw.path, sub.target);
  const set = dw.byChild.get(child);
  if (set?.delete(sub) && set.size === 0) dw.byChild.delete(child);
  if (dw.subs.size === 0 && dirs.get(dw.path) === dw) {
    dirs.delete(dw.path);
    dw.handle.close();
  }
}

/** The watched directory itself went away or was replaced: re-anchor everyone on it. */
function invalidate(dw: DirWatch): void {
  if (dirs.get(dw.path) !== dw) return;
  dirs.delete(dw.path);
  dw.handle.close();
  for (const sub of [...dw.subs]) {
    sub.anchor = undefined;
    if (!sub.closed) anchor(sub);
  }
  dw.subs.clear();
  dw.byChild.clear();
}

function stillThere(dw: DirWatch): boolean {
  const st = statOrNull(dw.path);
  return st !== null && st.isDirectory() && st.ino === dw.ino && st.dev === dw.dev;
}

/** The child of `dir` on the way to `target`, e.g. (`/a`, `/a/b/c`) → `b`. */
function nextComponent(dir: string, target: string): string {
  const rest = target.slice(dir === sep ? 1 : dir.length + 1);
  const i = rest.indexOf(sep);
  return i < 0 ? rest : rest.slice(0, i);
}

/**
 * Attach `sub` to the deepest existing ancestor directory of its target, then reconcile; `first`:
 * only record whether the target exists (one stat per new subscriber, nothing to report).
 */
function anchor(sub: Sub, first = false): void {
  if (sub.anchor) release(sub.anchor, sub);
  sub.anchor = undefined;
  let dir = dirname(sub.target);
  for (;;) {
    const dw = acquire(dir);
    if (dw) {
      attach(dw, sub);
      sub.anchor = dw;
      break;
    }
    const up = dirname(dir);
    if (up === dir) break; // even `/` can't be watched: give up quietly
    dir = up;
  }
  if (first) sub.exists = existsFirstLook(sub.target);
  else check(sub, false);
}

/** Compare the target's existence with what the subscriber last saw and report the difference. */
function check(sub: Sub, changed: boolean): void {
  if (sub.closed) return;
  const now = statOrNull(sub.target) !== null;
  const was = sub.exists;
  sub.exists = now;
  if (!was && now) sub.cb({ path: sub.target, kind: "create" });
  else if (was && !now) sub.cb({ path: sub.target, kind: "delete" });
  else if (was && now && changed) sub.cb({ path: sub.target, kind: "change" });
  // An event named the path but its existence looks unchanged: it was created and removed (or
  // the reverse) between two looks. Report it: a resource that just wrote the file must learn
  // that it is gone again (spurious events are harmless, missed ones are bugs).
  else if (changed) sub.cb({ path: sub.target, kind: now ? "create" : "delete" });
}

function onEvent(dir: string, name: string | null): void {
  const dw = dirs.get(dir);
  if (!dw) return;
  // `rename <own basename>` is how a directory watch reports its own deletion; a child of the
  // same name is possible, so decide by identity.
  if ((name === null || name === basename(dir)) && !stillThere(dw)) {
    invalidate(dw);
    return;
  }
  const subs = name === null ? dw.subs : dw.byChild.get(name);
  if (!subs) return;
  for (const sub of [...subs]) {
    if (sub.closed || sub.anchor !== dw) continue;
    if (dirname(sub.target) === dir) check(sub, true);
    else anchor(sub); // walk down as far as now possible
  }
}

/**
 * Watch one path (file or directory entry) for creation, content/metadata change and deletion,
 * surviving atomic replaces and the disappearance of its parent directories. Returns the
 * unsubscribe function. The callback runs synchronously from the fs event.
 *
 * @example const stop = watchPath("/etc/motd", (ev) => console.log(ev.kind));
 */
export function watchPath(path: string, cb: (ev: WatchEvent) => void): () => void {
  const target = resolve(path);
  const sub: Sub = { target, cb, anchor: undefined, exists: false, closed: false };
  anchor(sub, true);
  return () => {
    if (sub.closed) return;
    sub.closed = true;
    if (sub.anchor) release(sub.anchor, sub);
    sub.anchor = undefined;
  };
}

/** `watchPath` as an Observable; unsubscribing releases the underlying watch. */
export function watchPath$(path: string): Observable<WatchEvent> {
  return new Observable<WatchEvent>((subscriber) => watchPath(path, (ev) => subscriber.next(ev)));
}
