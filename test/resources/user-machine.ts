/**
 * Test helpers for the `user` and `group` tests: every account they touch is named `stwtest…`, and
 * {@link removeTestAccounts} deletes all of those (users first, then groups), leaving the machine
 * as it was. Not a .test.ts file.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

export function names(file: string, prefix: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.split(":")[0]!)
    .filter((n) => n.startsWith(prefix));
}

export function sh(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

/**
 * Delete every account whose name starts with `prefix` (users, then the groups left over). Test
 * files run two at a time and another may hold the account database's lock, so this retries until
 * none is left.
 */
export function removeTestAccounts(prefix: string): void {
  for (let tries = 0; tries < 50 && names("/etc/passwd", prefix).length + names("/etc/group", prefix).length > 0; tries++) {
    if (tries > 0) spawnSync("sleep", ["0.1"]);
    for (const u of names("/etc/passwd", prefix)) spawnSync("userdel", [u]);
    for (const g of names("/etc/group", prefix)) spawnSync("groupdel", [g]);
  }
}

export function passwdLine(name: string): string | undefined {
  return readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
}

export function groupLine(name: string): string | undefined {
  return readFileSync("/etc/group", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
}
