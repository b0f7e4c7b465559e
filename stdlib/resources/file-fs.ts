/**
 * Filesystem primitives of the `file` kind: atomic writes, type probing, content comparison, and
 * the process-wide set of paths managed by `file` resources (our stand-in for mgmt's
 * FilteredGraph, which `purge` consults so it never deletes what another resource manages).
 */
import { open, readFile, rename, rm, symlink, unlink } from "node:fs/promises";
import { closeSync, fchmodSync, fchownSync, lstatSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";

export type Kind = "file" | "dir" | "symlink" | "other";

export function kindOf(st: Stats): Kind {
  return st.isSymbolicLink() ? "symlink" : st.isDirectory() ? "dir" : st.isFile() ? "file" : "other";
}

// Stats are synchronous, like the small reads and writes below: an async stat is a thread-pool
// round trip (and a thrown Error with a stack for every missing path) that costs far more than the
// syscall on a local disk; with 1,000 files it was the largest part of a run's CPU (issue 4 §5).
// They keep their async signatures so callers need not care.

/** `lstat`, or null when nothing is there (or a path component is not a directory). */
export async function lstatOrNull(p: string): Promise<Stats | null> {
  return statNow(p, false);
}

/** `stat` (following symlinks), or null when nothing is there or the link loops. */
export async function statOrNull(p: string): Promise<Stats | null> {
  return statNow(p, true);
}

/** Synchronous stat (`follow`) or lstat of `p`; null when missing. Throws other errors. */
export function statNow(p: string, follow: boolean): Stats | null {
  try {
    return (follow ? statSync : lstatSync)(p, { throwIfNoEntry: false }) ?? null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR" || (follow && code === "ELOOP")) return null;
    throw e;
  }
}

/** Synchronous stat or lstat of `p` that must exist (see {@link statNow}). */
export function mustStat(p: string, follow: boolean): Stats {
  return (follow ? statSync : lstatSync)(p);
}

let tmpCounter = 0;

/** A temp name in the same directory as `p` (so `rename` is atomic), hidden and unique per process. */
function tmpNameFor(p: string): string {
  return join(dirname(p), `.${basename(p)}.steward-${process.pid}-${++tmpCounter}.tmp`);
}

/**
 * Replace `p` with `data` atomically: write a temp file in the same directory, rename over.
 * Readers see the old or the new content, never a torn file. `like` (the file being replaced)
 * donates its mode and ownership so a content fix doesn't change unmanaged metadata; a new file
 * gets `mode` (default 0666 minus the umask). A new small file is created in place instead
 * (see createSync): there is nothing to tear.
 *
 * No fsync: it bought durability across a power cut at 1–4 ms of journal commit per file (seconds
 * for 1,000 files; issue 4 §5), and a convergent agent does not need it: a file left empty by a
 * crash is wrong, so the next run rewrites it. ext4 (auto_da_alloc) flushes the data of a file
 * renamed over an existing one before the rename commits anyway.
 */
export async function atomicWrite(p: string, data: Uint8Array | string, like: Stats | null, mode?: number): Promise<void> {
  if (data.length <= SYNC_READ_MAX) {
    try {
      atomicWriteSync(p, data, like, mode);
      return;
    } catch (e) {
      if (like && (e as NodeJS.ErrnoException).code === "EPERM") return writeInPlace(p, data);
      throw e;
    }
  }
  const tmp = tmpNameFor(p);
  const fh = await open(tmp, "wx", mode ?? 0o666);
  try {
    try {
      await fh.writeFile(data);
      if (like) {
        await fh.chmod(like.mode & 0o7777);
        if (like.uid !== process.getuid?.() || like.gid !== process.getgid?.()) await fh.chown(like.uid, like.gid);
      } else if (mode !== undefined) {
        await fh.chmod(mode); // open's mode is filtered by the umask
      }
    } finally {
      await fh.close();
    }
    await rename(tmp, p);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    // Not root and the file belongs to someone else: a new inode can't keep its owner, so rewrite
    // in place (not atomic, but it keeps the ownership, as mgmt's in-place write does).
    if (like && (e as NodeJS.ErrnoException).code === "EPERM") return writeInPlace(p, data);
    throw e;
  }
}

/**
 * {@link atomicWrite} of small data with synchronous calls: as for reads (see sameContent), each
 * async call is a thread-pool round trip that costs more than the syscall on a local disk, and a
 * write is six of them (open, write, fchmod, close, rename, and unlink on failure).
 */
function atomicWriteSync(p: string, data: Uint8Array | string, like: Stats | null, mode?: number): void {
  if (!like && createSync(p, data, mode)) return;
  const tmp = tmpNameFor(p);
  const fd = openSync(tmp, "wx", mode ?? 0o666);
  try {
    try {
      writeAllSync(fd, data);
      if (like) {
        fchmodSync(fd, like.mode & 0o7777);
        if (like.uid !== process.getuid?.() || like.gid !== process.getgid?.()) fchownSync(fd, like.uid, like.gid);
      } else if (mode !== undefined) {
        fchmodSync(fd, mode); // open's mode is filtered by the umask
      }
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, p);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw e;
  }
}

function writeAllSync(fd: number, data: Uint8Array | string): void {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  for (let off = 0; off < buf.byteLength; ) off += writeSync(fd, buf, off, buf.byteLength - off);
}

/**
 * A new file is created at its final path (O_CREAT|O_EXCL), not through a temp file and a
 * rename: nothing was there, so no reader can see a torn *replacement*; the one thing a reader
 * can see is the file existing, empty and with at most its final mode, for the moment between
 * the create and the single write (data ≤ 64 KB). The rename was a third of the system time of
 * creating 1,000 files on this machine's ext4 (issue 4 §5, docs/benchmarks.md). False when
 * something appeared at `p` meanwhile: the caller replaces it atomically.
 */
function createSync(p: string, data: Uint8Array | string, mode?: number): boolean {
  let fd: number;
  try {
    fd = openSync(p, "wx", mode ?? 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    try {
      writeAllSync(fd, data);
      if (mode !== undefined) fchmodSync(fd, mode); // open's mode is filtered by the umask
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    try {
      unlinkSync(p); // ours, half written: back to nothing
    } catch {
      // already gone
    }
    throw e;
  }
  return true;
}

async function writeInPlace(p: string, data: Uint8Array | string): Promise<void> {
  const fh = await open(p, "w");
  try {
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
}

/** Point `p` at `target` atomically (temp symlink + rename), replacing a file or symlink there. */
export async function atomicSymlink(target: string, p: string): Promise<void> {
  const tmp = tmpNameFor(p);
  await symlink(target, tmp);
  try {
    await rename(tmp, p);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Whether `p` (a file of `st`) holds `want`, answered synchronously; undefined when the file is too big to read in one go. */
export function sameContentNow(p: string, st: Stats, want: Uint8Array): boolean | undefined {
  if (st.size !== want.byteLength) return false;
  return st.size <= SYNC_READ_MAX ? Buffer.compare(readKnownSize(p, st.size), want) === 0 : undefined;
}

/** Whether the regular file at `p` (described by `st`) holds exactly `want`. */
export function sameContent(p: string, st: Stats, want: Uint8Array): boolean | Promise<boolean> {
  // Small files are read synchronously, and answered without a promise: an async readFile is
  // four thread-pool round trips (open, fstat, read, close), ~10x the cost of the read itself on
  // a local disk.
  const now = sameContentNow(p, st, want);
  if (now !== undefined) return now;
  return readFile(p).then((have) => Buffer.compare(have, want) === 0);
}

/**
 * Read a file whose size a stat just gave, without readFileSync's own fstat (a clean check of
 * 1,000 files is mostly syscalls). One byte more than `size` is asked for, so a file that grew
 * since the stat reads longer and compares unequal. A read of a regular file that returns less
 * than asked has reached its end (Linux): no second read only to be told 0.
 */
function readKnownSize(p: string, size: number): Buffer {
  const fd = openSync(p, "r");
  try {
    const buf = Buffer.allocUnsafe(size + 1);
    let n = 0;
    while (n < buf.length) {
      const want = buf.length - n;
      const r = readSync(fd, buf, n, want, null);
      n += r;
      if (r < want) break;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

const SYNC_READ_MAX = 64 * 1024;

export async function removeAll(p: string): Promise<void> {
  await rm(p, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// managed paths

const managed = new Map<string, number>();

/** Record that a `file` resource manages `p` (a path without trailing slash). */
export function claimPath(p: string): void {
  managed.set(p, (managed.get(p) ?? 0) + 1);
}

export function releasePath(p: string): void {
  const n = (managed.get(p) ?? 0) - 1;
  if (n <= 0) managed.delete(p);
  else managed.set(p, n);
}

export function isManaged(p: string): boolean {
  return managed.has(p);
}

/** Whether some managed path lies strictly below directory `p`. */
export function managesBelow(p: string): boolean {
  const prefix = p.endsWith("/") ? p : p + "/";
  for (const m of managed.keys()) if (m.startsWith(prefix)) return true;
  return false;
}
