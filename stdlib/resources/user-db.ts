/**
 * The account databases for the `user` and `group` kinds: reading `/etc/passwd` and `/etc/group`
 * (fresh on every check: they are small, and Node has no getpwnam), and running the shadow tools
 * (`useradd`, `usermod`, `userdel`, `groupadd`, `groupmod`, `groupdel`).
 *
 * The tools lock `/etc/passwd` and `/etc/group` (`*.lock` files) and fail at once with "cannot lock
 * … try again later" when another one holds it, so this process runs them one at a time and
 * retries a lock failure (another program's) with backoff.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export const PASSWD = "/etc/passwd";
export const GROUP = "/etc/group";

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
}

export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

function lines(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("+") && !l.startsWith("-"))
    .map((l) => l.split(":"));
}

export function readPasswd(): PasswdEntry[] {
  return lines(PASSWD)
    .filter((f) => f.length >= 7)
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]! }));
}

export function readGroups(): GroupEntry[] {
  return lines(GROUP)
    .filter((f) => f.length >= 3)
    .map((f) => ({ name: f[0]!, gid: Number(f[2]), members: (f[3] ?? "").split(",").filter((m) => m !== "") }));
}

/** Login names: letters, digits, `_`, `.`, `-` (not first), an optional trailing `$`; at most 32 characters (useradd's rules). */
export const ACCOUNT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/;
export const MAX_ID = 4294967294;

let chain: Promise<unknown> = Promise.resolve();

function run(cmd: string, args: readonly string[], signal: AbortSignal): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"], env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" }, signal });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => resolve({ code: 127, stderr: e.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, stderr }));
  });
}

/**
 * Run one shadow tool (`useradd …`), serialised with the others of this process, retrying while
 * another program holds the database lock (about 10 s). Throws a one-line error: the tool's first
 * stderr line, e.g. "useradd: group 'nope' does not exist".
 */
export function shadowTool(cmd: string, args: readonly string[], signal: AbortSignal): Promise<void> {
  const go = async (): Promise<void> => {
    let backoff = 50;
    for (;;) {
      const r = await run(cmd, args, signal);
      if (r.code === 0) return;
      const msg = r.stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !/^Usage:/.test(l));
      if (/cannot lock|try again later/i.test(r.stderr) && backoff < 5000 && !signal.aborted) {
        await sleep(backoff, undefined, { signal });
        backoff *= 2;
        continue;
      }
      throw new Error(msg[0] ?? `${cmd} exited with code ${r.code}`);
    }
  };
  const p = chain.then(go, go);
  chain = p.catch(() => {});
  return p;
}
