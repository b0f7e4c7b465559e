/** The mcl texts the agreement tests (parsers-agree, lexers-agree) read: examples and golden cases. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseTxtar } from "../txtar.js";

/** Every `.mcl` file below `dir`. */
export function* mclFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* mclFiles(p);
    else if (p.endsWith(".mcl")) yield p;
  }
}

/** `[what, text]` of every `.mcl` file inside the `.txtar` golden cases below `dir`. */
export function* goldenSources(dir: string): Generator<[string, string]> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* goldenSources(p);
    else if (p.endsWith(".txtar")) {
      for (const f of parseTxtar(readFileSync(p, "utf8")).files) if (f.name.endsWith(".mcl")) yield [`${p}: ${f.name}`, f.data];
    }
  }
}
