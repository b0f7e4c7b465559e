/**
 * The per-host state directory of `steward run` (engine-reference.md §1 "Working prefix"):
 * `--prefix DIR`, else `$STATE_DIRECTORY` (set by systemd's `StateDirectory=`), else
 * `/var/lib/steward` for root, else `$XDG_CACHE_HOME/steward` or `~/.cache/steward`.
 * `--tmp-prefix` uses a fresh `mkdtemp` directory that is removed when the run ends.
 * Directories are created 0700: they hold generated passwords and the value store.
 */
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface StateDir {
  /** absolute path */
  readonly path: string;
  /** true for `--tmp-prefix` */
  readonly temporary: boolean;
  /** Remove a temporary directory (no-op otherwise); safe to call twice. */
  dispose(): void;
}

export interface StateDirEnv {
  readonly uid: number;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
}

const nodeEnv = (): StateDirEnv => ({ uid: process.getuid?.() ?? -1, env: process.env, home: homedir() });

/** Where the state lives when neither `--prefix` nor `--tmp-prefix` is given. */
export function defaultPrefix(e: StateDirEnv = nodeEnv()): string {
  const fromSystemd = e.env["STATE_DIRECTORY"];
  // systemd may pass several colon-separated directories; the first is ours.
  if (fromSystemd) return resolve(fromSystemd.split(":")[0]!);
  if (e.uid === 0) return "/var/lib/steward";
  const cache = e.env["XDG_CACHE_HOME"];
  return join(cache ? resolve(cache) : join(e.home, ".cache"), "steward");
}

/**
 * Create (or reuse) the state directory. Throws an Error with a one-line message when it cannot
 * be created or is not a directory.
 */
export function openStateDir(opts: { readonly prefix?: string; readonly tmpPrefix: boolean }, e: StateDirEnv = nodeEnv()): StateDir {
  if (opts.tmpPrefix) {
    const path = mkdtempSync(join(tmpdir(), "steward-run-")); // mkdtemp creates 0700
    let gone = false;
    return {
      path,
      temporary: true,
      dispose: () => {
        if (gone) return;
        gone = true;
        // mostly empty at the end of a one-shot run: one rmdir, not the recursive walk
        try {
          rmdirSync(path);
        } catch {
          rmSync(path, { recursive: true, force: true });
        }
      },
    };
  }
  const path = resolve(opts.prefix ?? defaultPrefix(e));
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new Error(`cannot create the state directory ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!statSync(path).isDirectory()) throw new Error(`the state directory ${path} is not a directory`);
  return { path, temporary: false, dispose: () => {} };
}
