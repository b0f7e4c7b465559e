/**
 * `file` mode strings (engine-reference.md §10 "file" `mode`): octal (`0644`, `644`, `4755`) or
 * chmod(1)-style symbolic clauses (`u=rw,go=r`, `a+x`, `g-w`, `u+s`, `+t`, `a+X`, `g=u`).
 * An empty "who" means all (mgmt's parser ignores the umask, and so do we).
 */

const OCTAL = /^0?[0-7]{1,4}$/;
const CLAUSE = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/;

export function isOctalMode(spec: string): boolean {
  return OCTAL.test(spec);
}

/** Throws with a one-line reason when `spec` is neither octal nor symbolic. */
export function checkMode(spec: string): void {
  if (isOctalMode(spec)) return;
  for (const clause of spec.split(",")) {
    if (!CLAUSE.test(clause)) throw new Error(`invalid mode ${JSON.stringify(spec)}: bad clause ${JSON.stringify(clause)}`);
  }
}

const WHO_BITS: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };

/** The permission bits of class `c` of `mode`, shifted to the `rwx` = 0..7 range. */
function classBits(mode: number, c: string): number {
  return c === "u" ? (mode >> 6) & 7 : c === "g" ? (mode >> 3) & 7 : mode & 7;
}

/**
 * The mode bits (07777) that `spec` asks for, given the current bits (symbolic modes are relative)
 * and whether the path is a directory (for `X`).
 *
 * @example resolveMode("u=rw,go=r", 0o777, false) // 0o644
 */
export function resolveMode(spec: string, current: number, isDir: boolean): number {
  if (isOctalMode(spec)) return parseInt(spec, 8);
  let mode = current & 0o7777;
  for (const clause of spec.split(",")) {
    const m = CLAUSE.exec(clause);
    if (!m) throw new Error(`invalid mode ${JSON.stringify(spec)}`);
    const who = (m[1] ?? "").replace(/a/g, "ugo") || "ugo";
    for (const op of (m[2] ?? "").match(/[-+=][^-+=]*/g) ?? []) {
      const action = op[0]!;
      const perms = op.slice(1);
      for (const c of new Set(who)) {
        const shift = c === "u" ? 6 : c === "g" ? 3 : 0;
        let rwx: number;
        if (perms === "u" || perms === "g" || perms === "o") {
          rwx = classBits(mode, perms);
        } else {
          rwx = 0;
          if (perms.includes("r")) rwx |= 4;
          if (perms.includes("w")) rwx |= 2;
          if (perms.includes("x") || (perms.includes("X") && (isDir || (mode & 0o111) !== 0))) rwx |= 1;
        }
        let bits = rwx << shift;
        if (perms.includes("s") && c === "u") bits |= 0o4000;
        if (perms.includes("s") && c === "g") bits |= 0o2000;
        if (perms.includes("t") && c === "o") bits |= 0o1000;
        const mask = WHO_BITS[c]!;
        if (action === "+") mode |= bits;
        else if (action === "-") mode &= ~bits;
        else mode = (mode & ~mask) | bits;
      }
    }
  }
  return mode & 0o7777;
}

/** `0o644` → `"0644"`. */
export function formatMode(mode: number): string {
  return "0" + (mode & 0o7777).toString(8).padStart(3, "0");
}
