/**
 * Pending reversals (engine-reference.md §2.8), persisted as JSON in
 * `<stateDir>/engine/state/<kind>/<name-hash>/reverse` so that a resource removed from the program
 * is undone even across restarts. Loaded once at engine start, then kept in memory (swaps don't
 * touch the disk unless a reversal is created or completed).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { decodeValue, encodeValue } from "../local/value-codec.js";
import type { Value } from "../../lang/values.js";
import type { Reversal } from "./swap.js";

/** `<stateDir>/engine/state/<kind>/<hash of name>/`: a resource's private directory. */
export function resourceStateDir(stateDir: string, kind: string, name: string): string {
  const h = createHash("sha256").update(name).digest("base64url").slice(0, 22);
  return join(stateDir, "engine", "state", kind, h);
}

export function loadReversals(stateDir: string): Map<string, Reversal> {
  const out = new Map<string, Reversal>();
  const root = join(stateDir, "engine", "state");
  if (!existsSync(root)) return out;
  for (const kind of readdirSync(root)) {
    let dirs: string[];
    try {
      dirs = readdirSync(join(root, kind));
    } catch {
      continue;
    }
    for (const d of dirs) {
      const f = join(root, kind, d, "reverse");
      if (!existsSync(f)) continue;
      try {
        const j = JSON.parse(readFileSync(f, "utf8")) as { kind: string; name: string; params: Record<string, string> };
        const params: Record<string, Value> = {};
        for (const [k, v] of Object.entries(j.params)) params[k] = decodeValue(v);
        out.set(`${j.kind}[${j.name}]`, { kind: j.kind, name: j.name, params });
      } catch {
        // a corrupt reverse file is ignored (it can't be applied anyway)
      }
    }
  }
  return out;
}

export function saveReversal(stateDir: string, r: Reversal): void {
  const dir = resourceStateDir(stateDir, r.kind, r.name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.params)) params[k] = encodeValue(v);
  const tmp = join(dir, ".reverse.tmp");
  writeFileSync(tmp, JSON.stringify({ kind: r.kind, name: r.name, params }), { mode: 0o600 });
  renameSync(tmp, join(dir, "reverse"));
}

export function deleteReversal(stateDir: string, kind: string, name: string): void {
  rmSync(join(resourceStateDir(stateDir, kind, name), "reverse"), { force: true });
}
