/**
 * What a deploy carries (issue 6 §2, engine-reference.md §6.4): the whole program, compiled first
 * so that a program that does not compile is never published.
 *
 * The files, with paths relative to the module root (the entry's directory, or the program
 * directory):
 * - a program directory: every regular file below it (dot-files and dot-directories excluded:
 *   `.git` is not part of a program);
 * - a single `.mcl` file: every file the compiler read below its directory (imports,
 *   `metadata.yaml`), since its siblings may be unrelated programs;
 * - in both cases every file of the module's data directory (`files/`, or metadata.yaml `files:`),
 *   which `deploy.readfile` reads.
 *
 * On the receiving side, `materializeDeploy` writes a deploy below the agent's state directory, so
 * that the agent compiles and runs it like a local program and `deploy.*` reads the same files.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, posix, relative, sep } from "node:path";
import { compileChecked } from "../../lang/compile.js";
import type { Diagnostic } from "../../lang/diagnostics.js";
import { readMetadata } from "../../lang/modules.js";
import type { Deploy } from "../world/world.js";
import { createNodeHost, type NodeHost } from "./node-host.js";
import type { SourceLookup } from "./render.js";

export type ProgramFiles =
  | { readonly ok: true; readonly root: string; readonly entry: string; readonly files: ReadonlyMap<string, Uint8Array> }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly source: SourceLookup };

/** Every regular file below `dir`, as paths relative to `base`; dot-names skipped. */
function filesBelow(dir: string, base: string, out: Set<string>): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (n.startsWith(".")) continue;
    const p = join(dir, n);
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) filesBelow(p, base, out);
    else if (st?.isFile()) out.add(relative(base, p));
  }
}

/** Compile the program at `path`; on success, gather the files of the deploy. */
export function programFiles(path: string, hostname: string): ProgramFiles {
  const inner = createNodeHost();
  const read = new Set<string>();
  const host: NodeHost = {
    readFile: (p) => {
      const t = inner.readFile(p);
      if (t !== undefined) read.add(p);
      return t;
    },
    stat: (p) => inner.stat(p),
    source: (p) => inner.source(p),
  };
  const r = compileChecked(path, host, { hostname });
  if (!r.program) return { ok: false, diagnostics: r.diagnostics, source: (f) => inner.source(f) };
  const root = r.program.root;
  const rels = new Set<string>();
  if (inner.stat(path) === "dir") filesBelow(root, root, rels);
  for (const p of read) {
    const rel = relative(root, p);
    if (!rel.startsWith("..") && !isAbsolute(rel)) rels.add(rel);
  }
  const md = readMetadata(host, root);
  const dataDir = typeof md === "object" && md !== undefined ? md.files : "files/";
  filesBelow(join(root, dataDir), root, rels);
  const files = new Map<string, Uint8Array>();
  for (const rel of [...rels].sort()) files.set(rel.split(sep).join("/"), readFileSync(join(root, rel)));
  return { ok: true, root, entry: relative(root, r.program.entry).split(sep).join("/"), files };
}

/** A deploy path that stays inside the deploy directory, or undefined. */
function safeRel(p: string): string | undefined {
  const n = posix.normalize(p);
  if (n === "" || n === "." || posix.isAbsolute(n) || n === ".." || n.startsWith("../")) return undefined;
  return normalize(n);
}

/**
 * Write deploy `d` to `<base>/<id>/` (replacing what a previous run left there) and return the
 * path of its entry. Throws with a one-line message on a path that would escape the directory.
 */
export function materializeDeploy(base: string, d: Deploy): string {
  const dir = join(base, String(d.id));
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  for (const [p, data] of d.files) {
    const rel = safeRel(p);
    if (rel === undefined) throw new Error(`deploy ${d.id}: refusing the file path '${p}'`);
    const file = join(tmp, rel);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, data);
  }
  const entry = safeRel(d.entry);
  if (entry === undefined) throw new Error(`deploy ${d.id}: refusing the entry path '${d.entry}'`);
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return join(dir, entry);
}
