/**
 * Directory trees for the `file` kind: rsync-style `source` sync, `purge` of unmanaged entries,
 * directory fragments, and a watch on a tree's contents.
 *
 * The shared watcher (runtime/watch) watches one path entry through its parent directory; it does
 * not report what happens *inside* a directory. `recurse` + `source`/`purge` and directory
 * fragments need that, so `watchTree` adds an `fs.watch` on the directory (recursive: Node 20
 * emulates it with one watch per subdirectory and follows new ones) and re-arms it whenever the
 * shared watcher reports that the directory itself appeared, vanished or was replaced.
 */
import { statSync, watch, type FSWatcher } from "node:fs";
import { chmod, mkdir, readFile, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { watchPath } from "../../runtime/watch/index.js";
import { atomicSymlink, atomicWrite, isManaged, kindOf, lstatOrNull, managesBelow, removeAll, sameContent, statOrNull } from "./file-fs.js";

export interface TreeOpts {
  readonly apply: boolean;
  readonly force: boolean;
  readonly purge: boolean;
  /** One line per change (or planned change when `!apply`). */
  readonly note: (msg: string) => void;
}

async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/**
 * Make directory `dst` mirror `src` (files, subdirectories, symlinks); with `purge`, also remove
 * entries of `dst` that `src` lacks, except paths other `file` resources manage. Returns true when
 * nothing needed changing. `dst` must exist (unless `!apply`).
 */
export async function syncDir(src: string, dst: string, o: TreeOpts): Promise<boolean> {
  let ok = true;
  const srcNames = await names(src);
  for (const name of srcNames) {
    const s = join(src, name);
    const d = join(dst, name);
    const ss = await lstatOrNull(s);
    if (!ss) continue; // vanished meanwhile
    const sk = kindOf(ss);
    if (sk === "other") continue;
    if (isManaged(d)) continue; // another resource owns it (mgmt: FilteredGraph exclusion)
    let ds = await lstatOrNull(d);
    if (ds && kindOf(ds) !== sk) {
      ok = false;
      if (!o.force && (sk === "dir" || kindOf(ds) === "dir")) throw new Error(`${d} is a ${kindOf(ds)}, source is a ${sk}; set force to replace it`);
      o.note(`${o.apply ? "replaced" : "would replace"} ${kindOf(ds)} ${d} with a ${sk}`);
      if (!o.apply) continue;
      await removeAll(d);
      ds = null;
    }
    if (sk === "dir") {
      if (!ds) {
        ok = false;
        o.note(`${o.apply ? "created" : "would create"} directory ${d}`);
        if (!o.apply) continue;
        await mkdir(d);
        await chmod(d, ss.mode & 0o7777);
      }
      if (!(await syncDir(s, d, o))) ok = false;
    } else if (sk === "file") {
      const want = await readFile(s);
      if (ds && (await sameContent(d, ds, want))) continue;
      ok = false;
      o.note(`${o.apply ? "copied" : "would copy"} ${s} to ${d}`);
      if (o.apply) await atomicWrite(d, want, ds, ss.mode & 0o7777);
    } else {
      const target = await readlink(s);
      if (ds && (await readlink(d)) === target) continue;
      ok = false;
      o.note(`${o.apply ? "linked" : "would link"} ${d} -> ${target}`);
      if (o.apply) await atomicSymlink(target, d);
    }
  }
  if (o.purge && !(await purgeDir(dst, new Set(srcNames), o))) ok = false;
  return ok;
}

/**
 * Remove the entries of `dir` not named in `keep` and not managed by another `file` resource; a
 * directory holding managed paths is kept and purged inside. Returns true when nothing was removed.
 */
export async function purgeDir(dir: string, keep: ReadonlySet<string>, o: TreeOpts): Promise<boolean> {
  let ok = true;
  for (const name of await names(dir)) {
    if (keep.has(name)) continue;
    const p = join(dir, name);
    if (isManaged(p)) continue;
    const st = await lstatOrNull(p);
    if (!st) continue;
    if (st.isDirectory() && managesBelow(p)) {
      if (!(await purgeDir(p, new Set(), o))) ok = false;
      continue;
    }
    ok = false;
    o.note(`${o.apply ? "purged" : "would purge"} ${p}`);
    if (o.apply) await removeAll(p);
  }
  return ok;
}

/** The concatenated contents of `fragments`: files as they are, directories as their regular files in name order. */
export async function readFragments(fragments: readonly string[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const f of fragments) {
    const st = await statOrNull(f);
    if (!st) throw new Error(`fragment ${f} does not exist`);
    if (st.isDirectory()) {
      for (const name of await names(f)) {
        const p = join(f, name);
        const cs = await statOrNull(p);
        if (cs?.isFile()) parts.push(await readFile(p));
      }
    } else {
      parts.push(await readFile(f));
    }
  }
  return Buffer.concat(parts);
}

/**
 * Which directory is at `p`: inode and birth time, "" when none. The inode alone is not enough:
 * ext4 hands a directory deleted and re-created at once the same inode number, and the watch
 * would stay on the dead one.
 */
function identityOf(p: string): string {
  try {
    const st = statSync(p, { bigint: true });
    return `${st.ino}:${st.birthtimeNs}`;
  } catch {
    return "";
  }
}

/**
 * Call `cb` on every change inside directory `dir` (below it too when `recursive`), for as long
 * as it lives, across its deletion and re-creation. Returns the stop function.
 */
export function watchTree(dir: string, recursive: boolean, cb: () => void): () => void {
  let fw: FSWatcher | undefined;
  let id = "";
  let stopped = false;
  const arm = (): void => {
    fw?.close();
    fw = undefined;
    if (stopped) return;
    id = identityOf(dir);
    if (id === "") return; // not there (yet): the shared watcher tells us when it appears
    try {
      fw = watch(dir, { recursive, persistent: true }, () => cb());
      fw.on("error", () => {
        fw?.close();
        fw = undefined;
      });
    } catch {
      fw = undefined; // gone again already: the shared watcher tells us when it is back
    }
  };
  const stopSelf = watchPath(dir, (ev) => {
    // re-arm when the directory appeared, vanished or was replaced by another one
    if (ev.kind !== "change" || fw === undefined || identityOf(dir) !== id) arm();
    cb();
  });
  arm();
  return () => {
    stopped = true;
    stopSelf();
    fw?.close();
    fw = undefined;
  };
}
