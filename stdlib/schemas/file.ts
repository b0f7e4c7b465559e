/** `file` (engine-reference.md §10): E, V, Rev. `content`/`selinux` are *string (unset = unmanaged). */
import type { ResParams } from "../registry.js";
import { kind } from "./define.js";

const str = (p: ResParams, f: string): string => (typeof p[f] === "string" ? (p[f] as string) : "");
const flag = (p: ResParams, f: string): boolean => p[f] === true;

/** mgmt's util.Dir / util.Base: `/a/b/c` → `/a/b/` + `c`; `/a/b/` → `/a/` + `b/`. */
function splitPath(p: string): [string, string] {
  const trimmed = p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
  const i = trimmed.lastIndexOf("/");
  return [trimmed.slice(0, i + 1), p.slice(i + 1)];
}

/** mgmt's FileRes.getPath: `path` (default: the name), with `dirname` / `basename` overriding its parts. */
export function filePath(name: string, params: ResParams): string {
  const p = str(params, "path") || name;
  const dn = str(params, "dirname");
  const bn = str(params, "basename");
  if (!dn && !bn) return p;
  const [d, b] = splitPath(p);
  return (dn || d) + (bn || b);
}

const OCTAL_MODE = /^0?[0-7]{1,4}$/;
const MODE_CLAUSE = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/;

/** A `mode` is octal (`0644`) or chmod(1)-style symbolic clauses (`u=rw,go=r`, `a+x`): a reason when it is neither. */
export function fileModeError(mode: string): string | undefined {
  if (OCTAL_MODE.test(mode)) return undefined;
  for (const clause of mode.split(",")) {
    if (!MODE_CLAUSE.test(clause)) return `invalid mode ${JSON.stringify(mode)}: bad clause ${JSON.stringify(clause)}`;
  }
  return undefined;
}

/**
 * mgmt's FileRes.Validate (engine-reference.md §10 file): the resulting path is absolute,
 * `dirname` ends with a slash and `basename` does not start with one, `state` ∈ {exists, absent,
 * ""}, at most one of content/source/fragments and none of them with `state => "absent"`, the
 * path and `source` agree on dir-ness, no content or fragments for a directory, recurse for a
 * source directory and not for a single file, purge needs recurse, absolute fragments, a valid
 * mode, and `symlink` needs a `source`. Pure: the resource reuses it before touching the disk.
 */
export function validateFile(name: string, params: ResParams): string | undefined {
  const path = filePath(name, params);
  const dn = str(params, "dirname");
  const bn = str(params, "basename");
  if (path === "") return "path is empty";
  if (dn && !dn.endsWith("/")) return "dirname must end with a slash";
  if (bn.startsWith("/")) return "basename must not start with a slash";
  if (!path.startsWith("/")) return `path ${JSON.stringify(path)} must be absolute`;
  const state = str(params, "state");
  if (state !== "exists" && state !== "absent" && state !== "") return `the state is invalid: must be "exists", "absent" or "", not ${JSON.stringify(state)}`;
  const isDir = path.endsWith("/");
  const isContent = typeof params["content"] === "string";
  const source = str(params, "source");
  const isSrc = source !== "";
  const fragments = Array.isArray(params["fragments"]) ? (params["fragments"] as readonly string[]) : [];
  const isFrag = fragments.length > 0;
  const recurse = flag(params, "recurse");
  const purge = flag(params, "purge");
  if (Number(isContent) + Number(isSrc) + Number(isFrag) > 1) return "can only specify one of content, source and fragments";
  if (state === "absent" && (isContent || isSrc || isFrag)) return "can't specify content, source or fragments when state is absent";
  const srcIsDir = source.endsWith("/");
  if (isSrc && isDir !== srcIsDir) return "the path and source must either both be directories (ending in /) or both not be";
  if (isDir && (isContent || isFrag)) return "can't specify content or fragments for a directory";
  if (isSrc && isDir && srcIsDir && !recurse) return "copying a source directory needs recurse";
  if (purge && !recurse) return "purge needs recurse";
  if (isSrc && !isDir && !srcIsDir && recurse) return "can't recurse when copying a single file";
  for (const f of fragments) if (!f.startsWith("/")) return `the fragment ${JSON.stringify(f)} is not an absolute path`;
  const mode = str(params, "mode");
  if (mode) {
    const err = fileModeError(mode);
    if (err) return err;
  }
  if (purge && (isContent || isFrag)) return "can't combine purge with content or fragments";
  if (flag(params, "symlink") && !isSrc) return "symlink needs source (the link target)";
  return undefined;
}

export const FILE = kind(
  "file",
  {
    path: "str",
    dirname: "str",
    basename: "str",
    state: "str",
    content: "str",
    source: "str",
    fragments: "[]str",
    owner: "str",
    group: "str",
    mode: "str",
    recurse: "bool",
    force: "bool",
    purge: "bool",
    symlink: "bool",
    selinux: "str",
  },
  { recvable: true, traits: { autoedge: true, reverse: true }, validate: validateFile },
);
