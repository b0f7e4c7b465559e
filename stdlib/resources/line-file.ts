/**
 * Small text configuration files edited by `line`, `sysctl` (its persist file) and `mount`
 * (`/etc/fstab`): read, replace atomically, watch. One place so the three kinds handle the odd
 * cases alike:
 *
 * - A file that is itself a mount point (containers bind-mount single files into /etc) can't be
 *   renamed over (EBUSY): it is rewritten in place, the only thing possible there.
 * - Writes to a bind-mounted file are reported against the bind source's directory, never the one
 *   the shared watcher watches; its inode is stable, so the file itself is watched too.
 */
import { readFile, writeFile } from "node:fs/promises";
import { watch as fsWatch } from "node:fs";
import type { Stats } from "node:fs";
import { watchPath } from "../../runtime/watch/index.js";
import { atomicWrite, statOrNull } from "./file-fs.js";
import { isMountPoint } from "./hostname.js";

/** The file's text, or undefined when it does not exist. */
export async function readTextOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw e;
  }
}

/**
 * Replace `path` with `text` atomically (temp file + rename), keeping the mode and owner of the
 * file it replaces; a new file gets `mode`. Falls back to an in-place write on a mount point.
 */
export async function writeText(path: string, text: string, mode = 0o644): Promise<void> {
  const like: Stats | null = await statOrNull(path);
  try {
    await atomicWrite(path, text, like, like ? undefined : mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EBUSY" && code !== "EXDEV") throw e;
    await writeFile(path, text, { flush: true });
  }
}

/**
 * Watch one file through the shared watcher (creation, edits, atomic replaces, deletion), plus the
 * file itself when it is a mount point. Returns the stop function.
 */
export async function watchTextFile(path: string, onEvent: () => void, onError: (e: Error) => void): Promise<() => void> {
  const stops = [watchPath(path, () => onEvent())];
  if (await isMountPoint(path)) {
    const fw = fsWatch(path, () => onEvent());
    fw.on("error", onError);
    stops.push(() => fw.close());
  }
  return () => {
    for (const s of stops) s();
  };
}

/** The text split into lines without their terminators; a final newline does not make an empty last line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
