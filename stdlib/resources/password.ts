/**
 * `password` (engine-reference.md §10; mgmt engine/resources/password.go): a random alphanumeric
 * password of `length` characters (default 64), generated once with `crypto.randomInt` (no modulo
 * bias) and sent as `password`. Refreshable (a refresh regenerates it) and sendable.
 *
 * Storage: `<varDir>/password`, mode 0600, written atomically (temp file + rename).
 * - `saved => true`: the file holds the clear text, so every later instance (a restart, a replaced
 *   vertex) sends the same password.
 * - `saved => false` (the default, as in mgmt): the file holds only an empty token and the
 *   password lives in this instance's memory. A new instance can't recover it and generates a
 *   fresh one (logged). mgmt instead sent the empty token read back from disk; we consider that a
 *   bug.
 * - A stored password of the wrong length or alphabet fails the integrity check: an error, or a
 *   regeneration with `check_recovery => true`.
 *
 * Noop mode sends too (the current password, or an unsaved candidate when one would be
 * generated), so that receivers can plan instead of failing on a missing value.
 *
 * Watch: the password file (deleted or edited by hand → checked and repaired).
 */
import { randomInt } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { watchPath } from "../../runtime/watch/index.js";
import { boolField, intField, intRange, type Params } from "./param-fields.js";

export const PASSWORD_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** `n` characters drawn uniformly from {@link PASSWORD_ALPHABET}. */
export function generatePassword(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return s;
}

export class PasswordResource implements Resource {
  readonly length: bigint;
  readonly saved: boolean;
  readonly checkRecovery: boolean;
  #ctx: ResourceContext | undefined;
  #path: string | undefined;
  /** The password this instance generated or loaded. */
  #password: string | undefined;

  constructor(params: Params) {
    this.length = intField(params, "length", 64n);
    this.saved = boolField(params, "saved");
    this.checkRecovery = boolField(params, "check_recovery");
  }

  validate(): string | undefined {
    return intRange("length", this.length, 1n, 65535n);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
    this.#path = join(await ctx.varDir(), "password");
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const stop = watchPath(this.#file(), () => sink.event());
    sink.event();
    return stop;
  }

  #file(): string {
    if (this.#path === undefined) throw new Error("password: used before init");
    return this.#path;
  }

  async #read(): Promise<string | undefined> {
    try {
      return (await readFile(this.#file(), "utf8")).trim();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  }

  /** Why `stored` is not what this resource would have written, or undefined when it is fine. */
  #integrity(stored: string): string | undefined {
    if (!this.saved) return stored === "" ? undefined : "expected an empty token only (saved is false)";
    if (stored === "") return undefined; // a token from an unsaved predecessor: regenerate, not an error
    if (BigInt(stored.length) !== this.length) return `invalid length ${stored.length}, expected ${this.length}`;
    for (const c of stored) if (!PASSWORD_ALPHABET.includes(c)) return "invalid character in the stored password";
    return undefined;
  }

  async #write(password: string): Promise<void> {
    const file = this.#file();
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, (this.saved ? password : "") + "\n", { mode: 0o600 });
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async checkApply(apply: boolean, _signal?: AbortSignal): Promise<boolean> {
    const ctx = this.#ctx;
    if (!ctx) throw new Error("password: checkApply before init");
    const refresh = ctx.refresh();
    const stored = await this.#read();
    let generate = false;
    let write = false;
    let password = this.#password;

    if (stored === undefined) {
      write = true;
      generate = password === undefined;
    } else {
      const bad = this.#integrity(stored);
      if (bad !== undefined) {
        if (!this.checkRecovery) throw new Error(`integrity check failed: ${bad}`);
        ctx.log.warn(`integrity check failed (${bad}): regenerating`);
        generate = true;
        write = true;
      } else if (this.saved) {
        if (stored === "") {
          generate = password === undefined; // was unsaved before: keep ours if we have one
          write = true;
        } else if (password === undefined) {
          password = stored;
        } else if (password !== stored) {
          write = true; // the file was edited: memory wins (mgmt)
        }
      } else if (password === undefined) {
        ctx.log.info("the password was not saved (saved => false): generating a new one");
        generate = true;
      }
    }
    if (refresh) generate = write = true;

    if (!generate && !write && password !== undefined) {
      this.#password = password;
      ctx.send({ password });
      return true;
    }
    if (!apply) {
      // Receivers still need a value for the plan to go on (else: "received nil value"): the
      // current password, or a candidate that is neither stored nor kept.
      ctx.send({ password: !generate && password !== undefined ? password : generatePassword(Number(this.length)) });
      return false;
    }
    if (generate || password === undefined) password = generatePassword(Number(this.length));
    if (write || generate) await this.#write(password);
    if (refresh) ctx.log.info("refreshed: generated a new password");
    else if (generate) ctx.log.info(`generated a new ${this.length}-character password${this.saved ? "" : " (not saved)"}`);
    else ctx.log.info("restored the password file");
    this.#password = password;
    ctx.send({ password });
    return false;
  }

  async cleanup(): Promise<void> {}
}

export const passwordKind: KindImpl = {
  kind: "password",
  create: (_name, params) => new PasswordResource(params),
  refreshable: true,
  sends: ["password"],
};

registerKind(passwordKind);
