/**
 * The real file system as a `CompilerHost` (lang/host.ts). The compiler itself never touches the
 * disk (architecture.md: lang/ is pure); the CLI hands it this host.
 *
 * Reads are cached for the life of the host, so the renderer can show source excerpts of every
 * file the compiler looked at without reading it twice, and the program checked is one snapshot.
 */
import { readFileSync, statSync } from "node:fs";
import type { CompilerHost } from "../../lang/host.js";

export interface NodeHost extends CompilerHost {
  /** Text of a file read so far (or read now), for source excerpts in diagnostics. */
  source(path: string): string | undefined;
}

/** Creates a caching host over `node:fs`. Errors (ENOENT, EACCES, EISDIR…) read as "absent". */
export function createNodeHost(): NodeHost {
  const texts = new Map<string, string | undefined>();
  const readFile = (path: string): string | undefined => {
    if (texts.has(path)) return texts.get(path);
    let text: string | undefined;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      text = undefined;
    }
    texts.set(path, text);
    return text;
  };
  return {
    readFile,
    source: readFile,
    stat(path: string): "file" | "dir" | undefined {
      try {
        const s = statSync(path);
        if (s.isDirectory()) return "dir";
        if (s.isFile()) return "file";
        return undefined;
      } catch {
        return undefined;
      }
    },
  };
}
