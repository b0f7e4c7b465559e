/**
 * The `ssh:authorized_key` kind (engine-reference.md §10 "ssh:authorized_key (composite of
 * line)"): one public key authorized, or not, in a user's `authorized_keys`.
 *
 * The entry is `content`, else the line built from `options`/`type`/`key`/`comment`, else the
 * resource name; it is validated as an authorized_keys line (ssh-authorized-key-entry.ts).
 * `file` defaults to `~user/.ssh/authorized_keys`.
 *
 * checkApply, `exists`: the directory of the file is created when missing (`mkdir`, default true;
 * 0700, owned by `user`); a `.ssh` directory is kept 0700 and owned by `user`; the file is created
 * 0600 before anything is written to it; the line is ensured with `line`'s file handling
 * (line-file.ts: atomic writes that keep mode and owner) — by key, so a hand-edited copy of the
 * same key with other options is replaced, not shadowed; the file is kept 0600 and owned by `user`.
 * `absent`: every line of that key is removed (nothing is created).
 *
 * Watch: the file and its directory through the shared watcher, and `/etc/passwd` when the path
 * comes from a home directory (a user created later, or moved, is followed).
 *
 * @example ssh:authorized_key "alice-laptop" { user => "alice", content => "ssh-ed25519 AAAAC3Nz… alice@laptop", }
 */
import { constants } from "node:fs";
import { lstat, mkdir, open, type FileHandle } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { watchPath } from "../../runtime/watch/index.js";
import { statOrNull } from "./file-fs.js";
import { watchTextFile, writeText } from "./line-file.js";
import { HOME_PREFIX } from "./line-spec.js";
import { expandHome } from "./line.js";
import { boolField, optStrField, strField, strListField, type Params } from "./param-fields.js";
import { editAuthorizedKeys, keyLine, parseKeyLine } from "./ssh-authorized-key-entry.js";
import { ACCOUNT_NAME, PASSWD, readPasswd, type PasswdEntry } from "./user-db.js";

export interface AuthorizedKeySpec {
  readonly state: string;
  /** As written or defaulted: absolute, or `~user/…`. */
  readonly file: string;
  readonly user: string;
  readonly mkdir: boolean;
  /** The authorized_keys line, or the reason it is not one. */
  readonly line: string | { readonly error: string };
}

export function parseAuthorizedKey(name: string, p: Params): AuthorizedKeySpec {
  const user = strField(p, "user");
  const content = optStrField(p, "content");
  const options = strListField(p, "options");
  const parts = { options: options ?? [], type: strField(p, "type"), key: strField(p, "key"), comment: strField(p, "comment") };
  const fromParts = options !== undefined || parts.type !== "" || parts.key !== "" || parts.comment !== "";
  let line: AuthorizedKeySpec["line"];
  try {
    if (content !== undefined && fromParts) throw new Error("set either content or options/type/key/comment, not both");
    line = fromParts ? keyLine(parts) : (content ?? name).replace(/\r?\n$/, "");
    parseKeyLine(line);
  } catch (e) {
    line = { error: (e as Error).message };
  }
  return {
    state: strField(p, "state"),
    file: strField(p, "file") || (user !== "" ? `~${user}/.ssh/authorized_keys` : ""),
    user,
    mkdir: boolField(p, "mkdir", true),
    line,
  };
}

export function validateAuthorizedKey(s: AuthorizedKeySpec): string | undefined {
  if (s.state !== "" && s.state !== "exists" && s.state !== "absent") return `state must be "exists" or "absent", not ${JSON.stringify(s.state)}`;
  if (s.user !== "" && !ACCOUNT_NAME.test(s.user)) return `user ${JSON.stringify(s.user)} is not a valid user name`;
  if (s.file === "") return "set user (for ~user/.ssh/authorized_keys) or file";
  if (!s.file.startsWith("/") && !HOME_PREFIX.test(s.file)) return `file ${JSON.stringify(s.file)} must be absolute (or start with ~/ or ~user/)`;
  if (s.file.endsWith("/")) return `file ${JSON.stringify(s.file)} must not be a directory`;
  return typeof s.line === "string" ? undefined : s.line.error;
}

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export class AuthorizedKeyResource implements Resource {
  #ctx: ResourceContext | undefined;

  constructor(readonly spec: AuthorizedKeySpec) {}

  validate(): string | undefined {
    return validateAuthorizedKey(this.spec);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  /** The file's absolute path now (a home directory may change); throws a one-line reason. */
  #path(): string {
    return expandHome(this.spec.file);
  }

  async watch(sink: WatchSink): Promise<() => void> {
    let armed: { path: string; stop: () => void } | undefined;
    let stopped = false;
    const arm = async (): Promise<void> => {
      let path: string | undefined;
      try {
        path = this.#path();
      } catch {
        path = undefined; // no such user yet: /etc/passwd is watched below, checkApply says why
      }
      if (path === armed?.path) return;
      armed?.stop();
      armed = undefined;
      if (path === undefined) return;
      const onFile = await watchTextFile(path, () => sink.event(), (e) => sink.error(e));
      const onDir = watchPath(dirname(path), () => sink.event()); // the directory's mode, owner, existence
      const stop = (): void => {
        onFile();
        onDir();
      };
      if (stopped) stop();
      else armed = { path, stop };
    };
    const onPasswd = HOME_PREFIX.test(this.spec.file)
      ? watchPath(PASSWD, () => {
          arm().then(
            () => sink.event(),
            (e: unknown) => sink.error(e instanceof Error ? e : new Error(String(e))),
          );
        })
      : () => {};
    await arm();
    sink.event();
    return () => {
      stopped = true;
      onPasswd();
      armed?.stop();
    };
  }

  async checkApply(apply: boolean, _signal: AbortSignal): Promise<boolean> {
    const s = this.spec;
    if (typeof s.line !== "string") throw new Error(s.line.error);
    const path = this.#path();
    const owner = s.user === "" ? undefined : readPasswd().find((e) => e.name === s.user);
    if (s.user !== "" && !owner) throw new Error(`no user ${JSON.stringify(s.user)}`);
    const state = s.state === "absent" ? "absent" : "exists";
    const log = (done: string, would: string): void => this.#ctx?.log.info(apply ? done : `would ${would}`);

    if (state === "exists") {
      const dirOk = await this.#ensureDir(dirname(path), owner, apply, log);
      if (!apply && !dirOk && !(await statOrNull(dirname(path)))) return false; // nothing more to look at
      let ok = dirOk;
      if (!(await statOrNull(path))) {
        log(`created ${path}`, `create ${path}`);
        if (!apply) return false;
        await createPrivate(path, owner);
        ok = false;
      }
      if (!(await this.#edit(path, s.line, state, apply, log))) ok = false;
      if (!(await fixMeta(path, FILE_MODE, owner, apply, log))) ok = false;
      return ok;
    }
    return this.#edit(path, s.line, state, apply, log);
  }

  /** The key line as `state` wants it in the file; true when it already was. */
  async #edit(path: string, line: string, state: "exists" | "absent", apply: boolean, log: (d: string, w: string) => void): Promise<boolean> {
    const next = editAuthorizedKeys(await readNoFollow(path), line, state);
    if (next === undefined) return true;
    const what = state === "exists" ? "added the key to" : "removed the key from";
    log(`${what} ${path}`, `${state === "exists" ? "add the key to" : "remove the key from"} ${path}`);
    if (apply) {
      await writeText(path, next, FILE_MODE).catch((e: NodeJS.ErrnoException) => {
        throw new Error(`can't write ${path}: ${e.code ?? e.message}`);
      });
    }
    return false;
  }

  /** The file's directory exists (mkdir), and a `.ssh` directory is 0700 and the user's. */
  async #ensureDir(dir: string, owner: PasswdEntry | undefined, apply: boolean, log: (d: string, w: string) => void): Promise<boolean> {
    const managed = owner !== undefined && basename(dir) === ".ssh";
    const st = await statOrNull(dir);
    if (st && !st.isDirectory()) throw new Error(`${dir} is not a directory`);
    if (st && managed && (await lstat(dir)).isSymbolicLink()) throw symlinkRefused(dir);
    if (!st) {
      if (!this.spec.mkdir) throw new Error(`directory ${dir} does not exist (mkdir is false)`);
      log(`created ${dir}`, `create ${dir}`);
      if (!apply) return false;
      await mkdir(dir, { mode: DIR_MODE }).catch((e: NodeJS.ErrnoException) => {
        throw new Error(e.code === "ENOENT" ? `can't create ${dir}: ${dirname(dir)} does not exist` : `can't create ${dir}: ${e.code ?? e.message}`);
      });
      await fixMeta(dir, DIR_MODE, owner, true, () => {}); // mkdir's mode is filtered by the umask
      return false;
    }
    // only the user's own key directory: a shared one (/etc/ssh/keys/) keeps its mode and owner
    return managed ? fixMeta(dir, DIR_MODE, owner, apply, log) : true;
  }

  async cleanup(): Promise<void> {}
}

/** Create an empty file that is private from its first moment (never readable by others). */
async function createPrivate(path: string, owner: PasswdEntry | undefined): Promise<void> {
  const fh = await open(path, "wx", FILE_MODE);
  try {
    await fh.chmod(FILE_MODE);
    if (owner) await fh.chown(owner.uid, owner.gid);
  } finally {
    await fh.close();
  }
}

/**
 * The user owns the directory these files live in and can put a symlink anywhere in it; a root
 * agent that followed one would chown or chmod, or copy into the user's file, whatever it points
 * to (`/etc/shadow`). So the file is read, and mode and owner are set, through a descriptor opened
 * with O_NOFOLLOW, and a symlinked `.ssh` directory is refused.
 */
function symlinkRefused(p: string): Error {
  return new Error(`${p} is a symlink: refusing to manage it`);
}

/** Open without following a final symlink; a regular file with other hard links is refused too (it may be another file). */
async function openNoFollow(p: string, flags: number): Promise<FileHandle | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(p, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") throw symlinkRefused(p);
    throw e;
  }
  const st = await fh.stat();
  if (st.isFile() && st.nlink > 1) {
    await fh.close();
    throw new Error(`${p} has ${st.nlink - 1} other hard link(s): refusing to manage it`);
  }
  return fh;
}

/** The file's text (undefined when missing), never through a symlink. */
async function readNoFollow(p: string): Promise<string | undefined> {
  const fh = await openNoFollow(p, constants.O_RDONLY);
  if (!fh) return undefined;
  try {
    return await fh.readFile("utf8");
  } finally {
    await fh.close();
  }
}

/** Mode `mode` and, with an owner, the owner's uid and primary gid; true when already so. */
async function fixMeta(p: string, mode: number, owner: PasswdEntry | undefined, apply: boolean, log: (d: string, w: string) => void): Promise<boolean> {
  const fh = await openNoFollow(p, constants.O_RDONLY);
  if (!fh) return false; // vanished meanwhile: the next run looks again
  try {
    const st = await fh.stat();
    let ok = true;
    if (owner && (st.uid !== owner.uid || st.gid !== owner.gid)) {
      ok = false;
      log(`owner of ${p} ${st.uid}:${st.gid} → ${owner.uid}:${owner.gid}`, `change the owner of ${p} to ${owner.name}`);
      if (apply) await fh.chown(owner.uid, owner.gid);
    }
    if ((st.mode & 0o7777) !== mode) {
      ok = false;
      log(`mode of ${p} ${(st.mode & 0o7777).toString(8)} → ${mode.toString(8)}`, `change the mode of ${p} to ${mode.toString(8)}`);
      if (apply) await fh.chmod(mode);
    }
    return ok;
  } finally {
    await fh.close();
  }
}

export const authorizedKeyKind: KindImpl = {
  kind: "ssh:authorized_key",
  create: (name, params) => new AuthorizedKeyResource(parseAuthorizedKey(name, params)),
  // user → key: the account (and its home) exists before its keys are written
  autoedges(name, params) {
    const user = parseAuthorizedKey(name, params).user;
    return { uids: [], seeks: user === "" ? [] : [[{ kind: "user", key: user }]], before: true };
  },
};

registerKind(authorizedKeyKind);
