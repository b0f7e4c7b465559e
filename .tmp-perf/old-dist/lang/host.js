/**
 * All file access of the compiler goes through a CompilerHost (like TypeScript's), so lang/ stays
 * pure and tests run against an in-memory file system.
 */
import { posix } from "node:path";
/** Normalise a host path: posix separators, no `.`/`..` segments, no trailing slash (except `/`). */
export function normPath(p) {
    let n = posix.normalize(p);
    if (n.length > 1 && n.endsWith("/"))
        n = n.slice(0, -1);
    return n;
}
/**
 * An in-memory host. Paths like `/main.mcl` or `/lib/metadata.yaml`; directories are implied by the
 * file paths (every ancestor of a file is a directory).
 *
 * @example memoryHost({ "/main.mcl": "import \"fmt\"\n", "/lib/metadata.yaml": "main: x.mcl\n" })
 */
export function memoryHost(files) {
    const fileMap = new Map();
    const dirs = new Set();
    for (const [p, text] of Object.entries(files)) {
        const n = normPath(p);
        fileMap.set(n, text);
        let d = posix.dirname(n);
        for (;;) {
            if (dirs.has(d))
                break;
            dirs.add(d);
            const up = posix.dirname(d);
            if (up === d)
                break;
            d = up;
        }
    }
    return {
        readFile: (p) => fileMap.get(normPath(p)),
        stat: (p) => {
            const n = normPath(p);
            if (fileMap.has(n))
                return "file";
            return dirs.has(n) ? "dir" : undefined;
        },
    };
}
