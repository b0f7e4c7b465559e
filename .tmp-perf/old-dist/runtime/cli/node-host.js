/**
 * The real file system as a `CompilerHost` (lang/host.ts). The compiler itself never touches the
 * disk (architecture.md: lang/ is pure); the CLI hands it this host.
 *
 * Reads are cached for the life of the host, so the renderer can show source excerpts of every
 * file the compiler looked at without reading it twice, and the program checked is one snapshot.
 */
import { readFileSync, statSync } from "node:fs";
/** Creates a caching host over `node:fs`. Errors (ENOENT, EACCES, EISDIR…) read as "absent". */
export function createNodeHost() {
    const texts = new Map();
    const readFile = (path) => {
        if (texts.has(path))
            return texts.get(path);
        let text;
        try {
            text = readFileSync(path, "utf8");
        }
        catch {
            text = undefined;
        }
        texts.set(path, text);
        return text;
    };
    return {
        readFile,
        source: readFile,
        stat(path) {
            try {
                const s = statSync(path);
                if (s.isDirectory())
                    return "dir";
                if (s.isFile())
                    return "file";
                return undefined;
            }
            catch {
                return undefined;
            }
        },
    };
}
