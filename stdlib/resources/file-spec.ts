/**
 * The params of a `file` resource (engine-reference.md §10 "file"), parsed once and validated.
 * Shared by the resource (file.ts) and its autoedges, which only see name + params.
 */
import { posix } from "node:path";
import type { Value } from "../../lang/values.js";
import type { AutoEdgeUid } from "../../runtime/engine/resource.js";
import { checkMode } from "./file-mode.js";
import { bool, optStr, str, strList, type Params } from "./file-params.js";

export type FileState = "exists" | "absent" | "";

export interface FileSpec {
  /** Absolute, normalised; a trailing `/` means a directory. */
  readonly path: string;
  /** `path` without the trailing slash (what the syscalls take). */
  readonly target: string;
  readonly isDir: boolean;
  readonly state: string;
  readonly content: string | undefined;
  readonly source: string;
  readonly fragments: readonly string[];
  readonly owner: string;
  readonly group: string;
  readonly mode: string;
  readonly recurse: boolean;
  readonly force: boolean;
  readonly purge: boolean;
  readonly symlink: boolean;
  readonly selinux: string | undefined;
}

/** mgmt's util.Dir / util.Base: `/a/b/c` → `/a/b/` + `c`; `/a/b/` → `/a/` + `b/`. */
function splitPath(p: string): [string, string] {
  const trimmed = p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
  const i = trimmed.lastIndexOf("/");
  return [trimmed.slice(0, i + 1), p.slice(i + 1)];
}

/** mgmt's FileRes.getPath: `path` (default: the name), with `dirname` / `basename` overriding its parts. */
export function resolvePath(name: string, params: Params): string {
  const p = optStr(params, "path") || name;
  const dn = str(params, "dirname");
  const bn = str(params, "basename");
  if (!dn && !bn) return p;
  const [d, b] = splitPath(p);
  return (dn || d) + (bn || b);
}

function normalise(p: string): string {
  if (!p.startsWith("/")) return p; // validate() reports it
  const n = posix.normalize(p);
  return p.endsWith("/") && !n.endsWith("/") ? n + "/" : n;
}

export function parseFileSpec(name: string, params: Params): FileSpec {
  const path = normalise(resolvePath(name, params));
  const isDir = path.endsWith("/");
  return {
    path,
    target: isDir && path.length > 1 ? path.slice(0, -1) : path,
    isDir,
    state: str(params, "state"),
    content: optStr(params, "content"),
    source: str(params, "source"),
    fragments: strList(params, "fragments"),
    owner: str(params, "owner"),
    group: str(params, "group"),
    mode: str(params, "mode"),
    recurse: bool(params, "recurse"),
    force: bool(params, "force"),
    purge: bool(params, "purge"),
    symlink: bool(params, "symlink"),
    selinux: optStr(params, "selinux"),
  };
}

/**
 * The spec of a vertex's params, parsed once for both its autoedges and its resource (a swap asks
 * for both). Keyed by the params object, which one list-named resource shares among its names.
 */
const specs = new WeakMap<Params, { readonly name: string; readonly spec: FileSpec }>();

export function fileSpecOf(name: string, params: Params): FileSpec {
  const m = specs.get(params);
  if (m && m.name === name) return m.spec;
  const spec = parseFileSpec(name, params);
  specs.set(params, { name, spec });
  return spec;
}

/** Lists of parent-directory uids by directory, shared: 1,000 files in one directory seek the same ones. */
const parentUids = new Map<string, readonly AutoEdgeUid[]>();
const MAX_PARENT_UIDS = 10_000;

/**
 * The `file` uids of the parent directories of an absolute path, nearest first, each with a
 * trailing slash (`/a/b/c` → `/a/b/`, `/a/`, `/`): what `file` and `exec` (`creates`) seek as
 * autoedges. The returned array is shared; don't mutate it.
 */
export function parentDirUids(path: string): readonly AutoEdgeUid[] {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const cut = trimmed.lastIndexOf("/");
  if (cut < 0 || trimmed === "/") return [];
  const dir = trimmed.slice(0, cut + 1);
  let uids = parentUids.get(dir);
  if (!uids) {
    uids = [{ kind: "file", key: dir }, ...parentDirUids(dir)];
    if (parentUids.size >= MAX_PARENT_UIDS) parentUids.clear();
    parentUids.set(dir, uids);
  }
  return uids;
}

/** mgmt's FileRes.Validate, plus the checks `symlink` needs. `content` may be a received value. */
export function validateFileSpec(s: FileSpec, params: Params, content: string | undefined = s.content): string | undefined {
  const dn = str(params, "dirname");
  const bn = str(params, "basename");
  if (dn && !dn.endsWith("/")) return "dirname must end with a slash";
  if (bn.startsWith("/")) return "basename must not start with a slash";
  if (!s.path.startsWith("/")) return `path ${JSON.stringify(s.path)} must be absolute`;
  if (s.state !== "exists" && s.state !== "absent" && s.state !== "") return `state must be "exists", "absent" or "", not ${JSON.stringify(s.state)}`;
  const isContent = content !== undefined;
  const isSrc = s.source !== "";
  const isFrag = s.fragments.length > 0;
  if (Number(isContent) + Number(isSrc) + Number(isFrag) > 1) return "can only specify one of content, source and fragments";
  if (s.state === "absent" && (isContent || isSrc || isFrag || s.symlink)) return "can't specify content, source, fragments or symlink when state is absent";
  if (s.isDir && (isContent || isFrag)) return "can't specify content or fragments for a directory";
  for (const f of s.fragments) if (!f.startsWith("/")) return `fragment ${JSON.stringify(f)} must be absolute`;
  if (s.purge && !s.recurse) return "purge needs recurse";
  if (s.purge && !s.isDir) return "purge needs a directory path (ending in /)";
  if (s.mode) {
    try {
      checkMode(s.mode);
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (s.selinux !== undefined && s.selinux !== "") return "selinux contexts are not supported";
  if (s.symlink) {
    if (!isSrc) return "symlink needs source (the link target)";
    if (s.isDir) return "a symlink path must not end with a slash";
    if (s.mode) return "mode can't be managed on a symlink";
    if (s.recurse || s.purge) return "recurse and purge don't apply to a symlink";
    return undefined;
  }
  if (isSrc) {
    if (!s.source.startsWith("/")) return `source ${JSON.stringify(s.source)} must be absolute`;
    const srcIsDir = s.source.endsWith("/");
    if (s.isDir !== srcIsDir) return "path and source must both be directories (ending in /) or both not";
    if (srcIsDir && !s.recurse) return "copying a source directory needs recurse";
    if (!srcIsDir && s.recurse) return "can't recurse when copying a single file";
  }
  return undefined;
}

/** A str param value from a received one, or an error message. */
export function receivedContent(v: Value | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new Error(`received content is not a str`);
  return v;
}
