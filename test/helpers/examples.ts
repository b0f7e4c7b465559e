/**
 * The example programs every examples test walks: `examples/<name>.mcl` files and
 * `examples/<name>/` directories with a main.mcl or metadata.yaml (architecture.md "CLI
 * contract": a PATH is a file or a directory), as paths relative to the repository root, sorted.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The repository root (with a trailing slash). */
export const REPO_ROOT = new URL("../..", import.meta.url).pathname;

export function examplePrograms(root: string = REPO_ROOT): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, "examples")).sort()) {
    const rel = join("examples", name);
    const st = statSync(join(root, rel));
    if (st.isFile() && name.endsWith(".mcl")) out.push(rel);
    else if (st.isDirectory() && readdirSync(join(root, rel)).some((f) => f === "main.mcl" || f === "metadata.yaml")) out.push(rel);
  }
  return out;
}
