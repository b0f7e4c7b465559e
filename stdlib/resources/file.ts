/**
 * The `file` kind (engine-reference.md §10 "file"; mgmt engine/resources/file.go): files,
 * directories and symlinks with content / source / fragments, ownership and mode.
 *
 * checkApply runs mgmt's steps in order: state → content | source | fragments | symlink → owner
 * and group → mode; any change makes the result false. Existence is managed only when `state` is
 * set: with `state` unset a missing path stays missing and the other params apply to it once it
 * exists. A symlink found where a file or directory is wanted is followed (as mgmt's os.Stat does);
 * replacing one type by another (file ↔ directory ↔ symlink) needs `force`.
 *
 * Watch: the path through the shared watcher (runtime/watch), plus `source`, each fragment and,
 * for recursed trees and directory fragments, the directory contents (file-tree.ts `watchTree`).
 */
import { chown, lchown, mkdir, readFile, readlink, realpath, rmdir, stat, symlink, unlink, chmod } from "node:fs/promises";
import type { Stats } from "node:fs";
import { posix } from "node:path";
import type { Value } from "../../lang/values.js";
import { registerKind, type AutoEdgeUid, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { watchPath } from "../../runtime/watch/index.js";
import { atomicSymlink, atomicWrite, claimPath, kindOf, lstatOrNull, mustStat, releasePath, removeAll, sameContent, sameContentNow, statNow, statOrNull, type Kind } from "./file-fs.js";
import { formatMode, isOctalMode, resolveMode } from "./file-mode.js";
import { lookupGroup, lookupUser, type Params } from "./file-params.js";
import { fileSpecOf, parentDirUids, receivedContent, validateFileSpec, type FileSpec } from "./file-spec.js";
import { purgeDir, readFragments, syncDir, watchTree } from "./file-tree.js";

/** Prior state captured at init, for `reversal()` (Meta:reverse). */
interface Prior {
  readonly kind: Kind | null;
  readonly content?: string;
  readonly linkTarget?: string;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

/** Content larger than this is not captured for reversal. */
const MAX_REVERSE_CONTENT = 1 << 20;

class FileResource implements Resource {
  private ctx: ResourceContext | undefined;
  private prior: Prior | undefined;

  constructor(
    private readonly spec: FileSpec,
    private readonly params: Params,
  ) {}

  validate(): string | undefined {
    return validateFileSpec(this.spec, this.params);
  }

  init(ctx: ResourceContext): void | Promise<void> {
    this.ctx = ctx;
    claimPath(this.spec.target);
    if (ctx.reverse !== false) return capturePrior(this.spec.target).then((p) => void (this.prior = p));
  }

  cleanup(): void {
    releasePath(this.spec.target);
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const s = this.spec;
    const fire = (): void => sink.event();
    const stops: (() => void)[] = [watchPath(s.target, fire)];
    if (s.source && s.source.startsWith("/")) {
      const src = s.source.length > 1 && s.source.endsWith("/") ? s.source.slice(0, -1) : s.source;
      if (!s.symlink) stops.push(s.isDir ? watchTree(src, true, fire) : watchPath(src, fire));
    }
    for (const f of s.fragments) {
      stops.push(watchPath(f, fire));
      const st = await statOrNull(f);
      if (f.endsWith("/") || st?.isDirectory()) stops.push(watchTree(f.replace(/\/+$/, "") || "/", false, fire));
    }
    if (s.isDir && s.recurse && (s.source || s.purge)) stops.push(watchTree(s.target, true, fire));
    sink.event();
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** `content`, or the value received for it along a send/recv edge. */
  private content(): string | undefined {
    const r = this.ctx?.recv().get("content");
    return r ? receivedContent(r.value) : this.spec.content;
  }

  /**
   * The engine's synchronous clean look (Resource.isClean): one lstat and, for content, one read
   * of a small file. Anything it does not answer for certain (a received value, source,
   * fragments, symlinks, a directory to sync, a big file, an error) goes to checkApply.
   */
  isClean(): boolean {
    const s = this.spec;
    try {
      const content = this.content();
      if (content !== s.content) return false;
      const st = statNow(s.target, false);
      if (s.state === "absent") return st === null;
      if (!st) return s.state !== "exists";
      if (s.symlink || s.source || s.fragments.length > 0) return false;
      if (kindOf(st) !== (s.isDir ? "dir" : "file")) return false;
      if (content !== undefined && !s.isDir && sameContentNow(s.target, st, this.encoded(content)) !== true) return false;
      if (s.owner && lookupUser(s.owner).uid !== st.uid) return false;
      if (s.group && lookupGroup(s.group) !== st.gid) return false;
      return !s.mode || (st.mode & 0o7777) === resolveMode(s.mode, st.mode, st.isDirectory());
    } catch {
      return false;
    }
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    try {
      return await this.#checkApplyOnce(apply, signal);
    } catch (e) {
      // The target vanished between two of our own steps (a stat, then an open or a chmod): the
      // state changed under us, so look again from the top instead of failing the vertex. The
      // watch's delete event may still be queued behind this run and cannot save it.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" || (await lstatOrNull(this.spec.target)) !== null) throw e;
      return await this.#checkApplyOnce(apply, signal);
    }
  }

  async #checkApplyOnce(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const s = this.spec;
    const content = this.content();
    if (content !== s.content) {
      const why = validateFileSpec(s, this.params, content);
      if (why) throw new Error(`received content: ${why}`);
    }
    const log = (done: string, would: string): void => this.ctx?.log.info(apply ? done : `would ${would}`);
    const p = s.target;
    // The clean check of a small file is synchronous from here on (sync syscalls, no await): a
    // one-shot run of 1,000 files spent more in promise turns than in the syscalls themselves.
    let st = statNow(p, false);

    // state: absent
    if (s.state === "absent") {
      if (!st) return true;
      log(`removed ${kindOf(st)}`, `remove ${kindOf(st)}`);
      if (!apply) return false;
      if (st.isDirectory()) {
        if (s.recurse || s.force) await removeAll(p);
        else
          await rmdir(p).catch((e: NodeJS.ErrnoException) => {
            throw e.code === "ENOTEMPTY" ? new Error(`directory ${p} is not empty; set recurse or force to remove it`) : e;
          });
      } else {
        await unlink(p);
      }
      return false;
    }
    if (!st && s.state !== "exists") return true; // existence unmanaged, nothing there to manage

    let ok = true;
    const want: Kind = s.symlink ? "symlink" : s.isDir ? "dir" : "file";
    // state: the right type of thing at the path
    if (st && kindOf(st) !== want) {
      const have = kindOf(st);
      const followed = have === "symlink" && want !== "symlink" ? await statOrNull(p) : null;
      if (!followed || kindOf(followed) !== want) {
        if (!s.force) throw new Error(`${p} is a ${have}${have === "symlink" ? " (to a missing or different type)" : ""}, want a ${want}; set force to replace it`);
        ok = false;
        log(`replaced ${have} with a ${want}`, `replace ${have} with a ${want}`);
        if (!apply) return false;
        await removeAll(p);
        st = null;
      }
    }
    const wanted = this.desiredData(content);
    const data = wanted instanceof Promise ? await wanted : wanted;
    // `cur` describes the managed object (the symlink itself in symlink mode, else what the path
    // resolves to); it is re-read only after a change, so a clean check costs one or two stats.
    const fresh = (): Stats => mustStat(p, !s.symlink);
    let cur: Stats;
    if (!st) {
      ok = false;
      if (!apply) {
        log("", `create ${want}${data ? ` with ${data.byteLength} bytes of content` : ""}`);
        return false;
      }
      await this.create(want, data);
      log(`created ${want}`, "");
      cur = fresh();
    } else {
      cur = st.isSymbolicLink() && !s.symlink ? mustStat(p, true) : st;
      if (data) {
        // content / source / fragments (a file, possibly through a symlink)
        const wt = st.isSymbolicLink() ? await realpath(p) : p;
        const same = sameContent(wt, cur, data);
        if (!(typeof same === "boolean" ? same : await same)) {
          ok = false;
          log("content fixed", `fix content (${cur.size} → ${data.byteLength} bytes)`);
          if (apply) {
            await atomicWrite(wt, data, cur);
            cur = fresh();
          }
        }
      }
    }
    signal.throwIfAborted();

    if (want === "dir" && (s.source || s.purge)) {
      const note = (m: string): void => this.ctx?.log.info(m);
      const opts = { apply, force: s.force, purge: s.purge, note };
      const treeOk = s.source ? await syncDir(s.source, p, opts) : await purgeDir(p, new Set(), opts);
      if (!treeOk) ok = false;
    }
    if (want === "symlink") {
      const target = await readlink(p);
      if (target !== s.source) {
        ok = false;
        log(`relinked ${target} → ${s.source}`, `relink ${target} → ${s.source}`);
        if (apply) {
          await atomicSymlink(s.source, p);
          cur = fresh();
        }
      }
    }
    if ((s.owner || s.group) && !(await this.ownership(cur, apply, log))) {
      ok = false;
      if (apply) cur = fresh(); // chown may clear setuid/setgid bits
    }
    if (s.mode && want !== "symlink") {
      const m = resolveMode(s.mode, cur.mode, cur.isDirectory());
      if ((cur.mode & 0o7777) !== m) {
        ok = false;
        log(`mode ${formatMode(cur.mode)} → ${formatMode(m)}`, `change mode ${formatMode(cur.mode)} → ${formatMode(m)}`);
        if (apply) await chmod(p, m);
      }
    }
    return ok;
  }

  #encoded: { readonly text: string; readonly bytes: Buffer } | undefined;

  /** `content` as bytes, encoded once while it stays the same (every check compares against it). */
  private encoded(text: string): Buffer {
    if (this.#encoded?.text !== text) this.#encoded = { text, bytes: Buffer.from(text, "utf8") };
    return this.#encoded.bytes;
  }

  /**
   * The bytes a regular file should hold, or undefined when its content is unmanaged; a promise
   * only when they must be read (source, fragments), so a check of `content` does not await.
   */
  private desiredData(content: string | undefined): Buffer | undefined | Promise<Buffer | undefined> {
    const s = this.spec;
    if (s.symlink || s.isDir) return undefined;
    if (content !== undefined) return this.encoded(content);
    if (s.source) return readFile(s.source);
    if (s.fragments.length > 0) return readFragments(s.fragments);
    return undefined;
  }

  private async create(want: Kind, data: Buffer | undefined): Promise<void> {
    const s = this.spec;
    const p = s.target;
    const octal = s.mode && isOctalMode(s.mode) ? parseInt(s.mode, 8) : undefined;
    const noParent = (e: NodeJS.ErrnoException): never => {
      if (e.code === "ENOENT") throw new Error(`parent directory ${posix.dirname(p)} does not exist${want === "dir" ? " (set recurse to create it)" : ""}`);
      throw e;
    };
    if (want === "dir") {
      await mkdir(p, { recursive: s.recurse }).catch(noParent);
      if (octal !== undefined) await chmod(p, octal);
    } else if (want === "symlink") {
      await symlink(s.source, p).catch(noParent);
    } else {
      let mode = octal;
      if (mode === undefined && s.source) mode = (await stat(s.source)).mode & 0o7777;
      await atomicWrite(p, data ?? "", null, mode).catch(noParent);
    }
  }

  private async ownership(cur: Stats, apply: boolean, log: (done: string, would: string) => void): Promise<boolean> {
    const s = this.spec;
    if (!s.owner && !s.group) return true;
    const uid = s.owner ? lookupUser(s.owner).uid : -1;
    const gid = s.group ? lookupGroup(s.group) : -1;
    if ((uid < 0 || cur.uid === uid) && (gid < 0 || cur.gid === gid)) return true;
    const nu = uid < 0 ? cur.uid : uid;
    const ng = gid < 0 ? cur.gid : gid;
    log(`owner ${cur.uid}:${cur.gid} → ${nu}:${ng}`, `change owner ${cur.uid}:${cur.gid} → ${nu}:${ng}`);
    if (apply) await (s.symlink ? lchown : chown)(s.target, nu, ng);
    return false;
  }

  async reversal(): Promise<{ readonly params: Readonly<Record<string, Value>> } | undefined> {
    const s = this.spec;
    const prior = this.prior;
    if (!prior) return undefined;
    if (s.isDir && s.source) return undefined; // as mgmt: a directory copy can't be undone
    const base: Record<string, Value> = { path: s.path };
    if (prior.kind === null) return s.state === "absent" ? undefined : { params: { ...base, state: "absent" } };
    const wantKind: Kind | null = s.state === "absent" ? null : s.symlink ? "symlink" : s.isDir ? "dir" : "file";
    const params: Record<string, Value> = { ...base, state: "exists" };
    if (prior.kind !== wantKind) params["force"] = true;
    if (prior.kind === "symlink") {
      if (prior.linkTarget === undefined) return undefined;
      params["symlink"] = true;
      params["source"] = prior.linkTarget;
      return { params };
    }
    if (prior.kind === "file") {
      const touchesContent = s.state === "absent" || wantKind !== "file" || this.content() !== undefined || s.source !== "" || s.fragments.length > 0;
      if (touchesContent) {
        if (prior.content === undefined) return undefined; // too big or binary: can't restore
        params["content"] = prior.content;
      }
    } else if (prior.kind === "dir") {
      params["path"] = s.path.endsWith("/") ? s.path : s.path + "/";
    } else {
      return undefined;
    }
    const restoreAll = s.state === "absent" || prior.kind !== wantKind;
    if (prior.mode !== undefined && (s.mode || restoreAll)) params["mode"] = formatMode(prior.mode);
    if (prior.uid !== undefined && (s.owner || restoreAll)) params["owner"] = String(prior.uid);
    if (prior.gid !== undefined && (s.group || restoreAll)) params["group"] = String(prior.gid);
    return { params };
  }
}

async function capturePrior(p: string): Promise<Prior> {
  const st = await lstatOrNull(p);
  if (!st) return { kind: null };
  const kind = kindOf(st);
  const meta = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  if (kind === "symlink") return { kind, linkTarget: await readlink(p), uid: st.uid, gid: st.gid };
  if (kind !== "file" || st.size > MAX_REVERSE_CONTENT) return { kind, ...meta };
  const buf = await readFile(p);
  const text = new TextDecoder("utf-8", { fatal: true });
  try {
    return { kind, ...meta, content: text.decode(buf) };
  } catch {
    return { kind, ...meta }; // not UTF-8: mcl strings can't carry it
  }
}

registerKind({
  kind: "file",
  create(name, params) {
    return new FileResource(fileSpecOf(name, params), params);
  },
  recvable: true,
  reversible: true,
  autoedges(name, params) {
    let s: FileSpec;
    try {
      s = fileSpecOf(name, params);
    } catch {
      return { uids: [], seeks: [] };
    }
    if (!s.path.startsWith("/")) return { uids: [], seeks: [] };
    const uid = (key: string): AutoEdgeUid => ({ kind: "file", key });
    const seeks: (readonly AutoEdgeUid[])[] = [];
    const parents = parentDirUids(s.path);
    if (parents.length > 0) seeks.push(parents);
    for (const f of s.fragments) seeks.push([uid(f)]);
    if (s.source.startsWith("/") && s.source !== s.path) seeks.push([uid(s.source)]);
    // chown needs the account to exist first (a user[…] matches by name or by uid, a group[…] by name or gid)
    if (s.owner !== "") seeks.push([{ kind: "user", key: s.owner }]);
    if (s.group !== "") seeks.push([{ kind: "group", key: s.group }]);
    return { uids: [uid(s.path)], seeks };
  },
});
