/**
 * The `line` kind (engine-reference.md §10 "line"; mgmt engine/resources/line.go): one line present
 * in, or absent from, a text file, leaving every other line alone.
 *
 * checkApply: an empty `content` manages nothing (OK). `exists`: when no line of the file equals
 * the content (compared with surrounding whitespace removed when `trim`), the content is appended
 * as a new line (the file is created, 0644, when missing). `absent`: every matching line is removed
 * (a missing file is fine). Writes are atomic (temp file + rename, mode and owner kept).
 *
 * Watch: the file through the shared watcher (runtime/watch/). Autoedge: the `file` resource that
 * manages the same path runs first.
 *
 * ```mcl
 * line "allow-ssh" { file => "/etc/hosts.allow", content => "sshd: 10.0.0.0/8", }
 * ```
 */
import { homedir } from "node:os";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { readTextOrUndefined, splitLines, watchTextFile, writeText } from "./line-file.js";
import { HOME_PREFIX, parseLine, validateLine, type LineSpec } from "./line-spec.js";
import type { Params } from "./param-fields.js";
import { readPasswd } from "./user-db.js";

/** `~/x` → the agent's home + `/x`; `~alice/x` → alice's home (from /etc/passwd) + `/x`; absolute paths as they are. */
export function expandHome(file: string, passwdHome: (user: string) => string | undefined = (u) => readPasswd().find((e) => e.name === u)?.home): string {
  const m = HOME_PREFIX.exec(file);
  if (!m) return file;
  const user = m[1];
  const home = user === undefined ? homedir() : passwdHome(user);
  if (home === undefined) throw new Error(`file ${JSON.stringify(file)}: no user ${JSON.stringify(user)}`);
  return home.replace(/\/$/, "") + "/" + file.slice(m[0].length);
}

/** The file's new text, or undefined when it already is as `spec` wants. */
export function editLines(text: string | undefined, spec: LineSpec): string | undefined {
  const lines = splitLines(text ?? "");
  const want = spec.trim ? spec.content.trim() : spec.content;
  const matches = (l: string): boolean => (spec.trim ? l.trim() : l) === want;
  if (spec.state === "exists") {
    if (lines.some(matches)) return undefined;
    const sep = text === undefined || text === "" || text.endsWith("\n") ? "" : "\n";
    return (text ?? "") + sep + spec.content + "\n";
  }
  if (text === undefined || !lines.some(matches)) return undefined;
  const keep = lines.filter((l) => !matches(l));
  return keep.length === 0 ? "" : keep.join("\n") + (text.endsWith("\n") ? "\n" : "");
}

export class LineResource implements Resource {
  readonly spec: LineSpec;
  #path: string | undefined;
  #pathError: Error | undefined;
  #ctx: ResourceContext | undefined;

  constructor(private readonly params: Params) {
    this.spec = parseLine(params);
  }

  validate(): string | undefined {
    return validateLine("", this.params);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
    try {
      this.#path = expandHome(this.spec.file);
    } catch (e) {
      this.#pathError = e as Error;
    }
  }

  #target(): string {
    if (this.#path === undefined) throw this.#pathError ?? new Error("line: not initialised");
    return this.#path;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    // an unknown ~user: nothing to watch; checkApply reports the reason
    const stop = this.#path === undefined ? () => {} : await watchTextFile(this.#path, () => sink.event(), (e) => sink.error(e));
    sink.event();
    return stop;
  }

  async checkApply(apply: boolean, _signal: AbortSignal): Promise<boolean> {
    if (this.spec.content === "") return true;
    const path = this.#target();
    const next = editLines(await readTextOrUndefined(path), this.spec);
    if (next === undefined) return true;
    if (apply) {
      await writeText(path, next).catch((e: NodeJS.ErrnoException) => {
        throw new Error(`can't write ${path}: ${e.code ?? e.message}`);
      });
      this.#ctx?.log.info(this.spec.state === "exists" ? `added the line to ${path}` : `removed the line from ${path}`);
    }
    return false;
  }

  async cleanup(): Promise<void> {}
}

export const lineKind: KindImpl = {
  kind: "line",
  create: (_name, params) => new LineResource(params),
  // file → line: the file resource managing this path (its existence, mode, owner) goes first
  autoedges(_name, params) {
    const file = parseLine(params).file;
    return { uids: [], seeks: file.startsWith("/") ? [[{ kind: "file", key: file }]] : [] };
  },
};

registerKind(lineKind);
