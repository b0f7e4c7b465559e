/** Small synchronous file helpers shared by the Local stores: private dirs and atomic writes. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
let tmpSeq = 0;
/** `mkdir -p` with mode 0700 for every directory it creates. */
export function ensurePrivateDir(dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
}
/**
 * Write `data` to `path` so that readers see the old or the new content, never a torn file:
 * write a temp file in the same directory, then rename it over the target.
 */
export function writeFileAtomic(path, data) {
    ensurePrivateDir(dirname(path));
    const tmp = join(dirname(path), `.tmp-${process.pid}-${++tmpSeq}`);
    try {
        writeFileSync(tmp, data, { mode: 0o600 });
        renameSync(tmp, path);
    }
    catch (e) {
        rmSync(tmp, { force: true });
        throw e;
    }
}
/**
 * A key as one safe file name: percent-encoded, with a leading `.` escaped so `.` and `..` can't
 * name a directory, and `""` as `%` (encodeURIComponent never yields a bare `%`).
 */
export function keyToFileName(key) {
    return encodeURIComponent(key).replace(/^\./, "%2E") || "%";
}
/** The inverse of {@link keyToFileName}; `undefined` for names it can't have produced (temp files). */
export function fileNameToKey(name) {
    if (name === "%")
        return "";
    if (name.startsWith("."))
        return undefined;
    try {
        return decodeURIComponent(name);
    }
    catch {
        return undefined;
    }
}
