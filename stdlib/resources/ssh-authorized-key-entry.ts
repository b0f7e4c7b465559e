/**
 * One line of an OpenSSH `authorized_keys` file (sshd(8) "AUTHORIZED_KEYS FILE FORMAT"), parsed
 * and validated, pure: `[options] keytype base64-key [comment]`. Options are comma-separated with
 * no unquoted whitespace; a double-quoted option value may hold spaces, commas and `\"`.
 *
 * The key is validated for real: strict base64 that decodes to an SSH wire blob whose first
 * string is the key type (a pasted key with a typo or a truncated tail is rejected at validation,
 * not discovered when a login fails).
 */
import { splitLines } from "./line-file.js";

/** The key types sshd accepts in authorized_keys (OpenSSH 9: sshkey.c `keytypes`). */
const KEY_TYPES: ReadonlySet<string> = new Set(
  ["ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ssh-ed25519@openssh.com"].flatMap((t) => [
    t,
    t.endsWith("@openssh.com") ? t.replace("@openssh.com", "-cert-v01@openssh.com") : `${t}-cert-v01@openssh.com`,
  ]),
);

export interface KeyEntry {
  /** The options field as written (`""` when none), e.g. `restrict,command="backup"`. */
  readonly options: string;
  readonly type: string;
  readonly key: string;
  readonly comment: string;
}

/** The first whitespace-delimited token of `s`, where whitespace inside double quotes does not count. */
function optionsToken(s: string): { token: string; rest: string } {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === " " || c === "\t")) return { token: s.slice(0, i), rest: s.slice(i).trimStart() };
  }
  if (quoted) throw new Error("unterminated quote in the options");
  return { token: s, rest: "" };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why `key` is not a valid `type` key blob, or undefined. */
function keyProblem(type: string, key: string): string | undefined {
  if (!BASE64.test(key) || key.length % 4 !== 0) return "the key is not valid base64";
  const blob = Buffer.from(key, "base64");
  if (blob.length < 4) return "the key is too short";
  const n = blob.readUInt32BE(0);
  if (4 + n > blob.length) return "the key is truncated";
  const inner = blob.subarray(4, 4 + n).toString("latin1");
  if (inner !== type) return `the key is a ${JSON.stringify(inner)} key, not ${JSON.stringify(type)}`;
  const fields = FIELDS.get(type);
  if (fields !== undefined && countFields(blob) !== fields) return "the key is truncated or damaged";
  return undefined;
}

/**
 * How many length-prefixed fields (RFC 4253 §6.6 string/mpint) a plain key's blob holds,
 * type included; certificates have fixed-width fields too and are only checked for their type.
 */
const FIELDS: ReadonlyMap<string, number> = new Map([
  ["ssh-ed25519", 2],
  ["ssh-rsa", 3],
  ["ssh-dss", 5],
  ["ecdsa-sha2-nistp256", 3],
  ["ecdsa-sha2-nistp384", 3],
  ["ecdsa-sha2-nistp521", 3],
  ["sk-ssh-ed25519@openssh.com", 3],
  ["sk-ecdsa-sha2-nistp256@openssh.com", 4],
]);

/** The number of fields when `blob` is exactly a sequence of them, else -1. */
function countFields(blob: Buffer): number {
  let at = 0;
  let n = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return -1;
    at += 4 + blob.readUInt32BE(at);
    n++;
  }
  return at === blob.length ? n : -1;
}

/** Parse and validate one authorized_keys line; throws a one-line reason. */
export function parseKeyLine(line: string): KeyEntry {
  if (/[\r\n\0]/.test(line)) throw new Error("an authorized key must be a single line");
  let rest = line.trim();
  if (rest === "") throw new Error("the authorized key is empty");
  if (rest.startsWith("#")) throw new Error("the authorized key is a comment");
  let options = "";
  const first = optionsToken(rest);
  if (!KEY_TYPES.has(first.token)) {
    options = first.token;
    rest = first.rest;
  }
  const [type = "", key = "", ...comment] = rest.split(/[ \t]+/);
  if (!KEY_TYPES.has(type)) {
    if (type === "") throw new Error("no key type after the options");
    // `ssh-foo AAAA…`: the unknown first word was a type, not options
    const bad = options !== "" && BASE64.test(type) ? options : type;
    throw new Error(`unknown key type ${JSON.stringify(bad)} (want e.g. ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256)`);
  }
  if (key === "") throw new Error(`no key after the type ${type}`);
  const why = keyProblem(type, key);
  if (why) throw new Error(why);
  return { options, type, key, comment: comment.join(" ") };
}

/** The line for the given parts (`options` joined by commas), validated like a written line. */
export function keyLine(parts: { readonly options: readonly string[]; readonly type: string; readonly key: string; readonly comment: string }): string {
  const opts = parts.options.join(",");
  if (/[ \t]/.test(opts.replace(/"(?:[^"\\]|\\.)*"/g, ""))) throw new Error("an option may hold whitespace only inside double quotes");
  const line = [opts, parts.type, parts.key, parts.comment].filter((x) => x !== "").join(" ");
  parseKeyLine(line);
  return line;
}

/** Whether `line` authorizes the same key as `entry` (same type and key, any options or comment). */
export function sameKey(line: string, entry: KeyEntry): boolean {
  try {
    const e = parseKeyLine(line);
    return e.type === entry.type && e.key === entry.key;
  } catch {
    return false; // comments, blank and foreign lines are never ours
  }
}

/**
 * The authorized_keys text with `line` present (`exists`) or its key gone (`absent`), or undefined
 * when it already is so. The key decides, not the exact text: `exists` also removes other lines
 * of the same key (sshd uses the first match, so a hand-edited copy with other options would win),
 * and `absent` removes the key whatever options or comment it was given. Other lines stay as
 * they are, in order.
 */
export function editAuthorizedKeys(text: string | undefined, line: string, state: "exists" | "absent"): string | undefined {
  const entry = parseKeyLine(line);
  const lines = splitLines(text ?? "");
  const keep = lines.filter((l) => (state === "exists" && l === line) || !sameKey(l, entry));
  const present = keep.includes(line);
  if (keep.length === lines.length && (state === "absent" || present)) return undefined;
  if (state === "exists" && !present) keep.push(line);
  return keep.length === 0 ? "" : keep.join("\n") + "\n";
}
