/**
 * The `tar` kind (engine-reference.md §10 "tar / gzip"; mgmt engine/resources/tar.go): the archive
 * at `path` holds `inputs`, and is rebuilt when an input changes or the archive is deleted or
 * modified (the check is archive-state.ts: recorded digests, no reading of the archive).
 *
 * Members: a file input `/a/f` is stored as `f`; a directory `/a/d` as `d/…` (with its name); a
 * directory written with a trailing slash, `/a/d/`, as its contents (`x`, `y/…`). Symlinks are
 * stored as symlinks. Members are sorted by name.
 *
 * Built by the system's GNU tar (Debian's `tar` is Essential, so always there), run without a
 * shell: it writes the three formats mgmt offers (`--format=ustar|pax|gnu`), which npm's `tar`
 * cannot (no GNU format writer), and it needs no new dependency.
 *
 * @example tar "/srv/backup/etc.tar" { inputs => ["/etc/nginx", "/etc/hosts"], format => 4, }
 */
import { lstat, readdir } from "node:fs/promises";
import { dirname, basename } from "node:path";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { inputsDigest, replaceAndRecord, staleReason, watchArchive } from "./archive-state.js";
import { DEFAULT_PATH, runCommand } from "./exec-run.js";
import { intField, strField, strListField, type Params } from "./param-fields.js";

/** Go's archive/tar Format values (mgmt's `format` param) → GNU tar's `--format`; 0 = tar's default (gnu). */
const FORMATS: ReadonlyMap<bigint, string | undefined> = new Map([
  [0n, undefined],
  [2n, "ustar"],
  [4n, "pax"],
  [8n, "gnu"],
]);

export interface TarSpec {
  readonly path: string;
  readonly inputs: readonly string[];
  readonly format: bigint;
}

export function parseTar(name: string, p: Params): TarSpec {
  return { path: strField(p, "path", name), inputs: strListField(p, "inputs") ?? [], format: intField(p, "format", 0n) };
}

const strip = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, "") : p);

export function validateTar(s: TarSpec): string | undefined {
  if (!s.path.startsWith("/")) return `path ${JSON.stringify(s.path)} must be absolute`;
  if (s.path.endsWith("/")) return `path ${JSON.stringify(s.path)} must be a file, not a directory`;
  if (!FORMATS.has(s.format)) return `format must be 0 (default), 2 (ustar), 4 (pax) or 8 (gnu), got ${s.format}`;
  for (const i of s.inputs) {
    if (!i.startsWith("/")) return `input ${JSON.stringify(i)} must be absolute`;
    const dir = strip(i);
    if (dir === s.path) return `input ${JSON.stringify(i)} is the archive itself`;
    // the archive inside an input directory would change that input on every build: a rebuild loop
    if (s.path.startsWith(dir === "/" ? "/" : dir + "/")) return `the archive ${s.path} lies inside input ${JSON.stringify(i)}`;
  }
  return undefined;
}

/** GNU tar reads a leading `-` as an option, even after `--directory`. */
const safeName = (n: string): string => (n.startsWith("-") ? `./${n}` : n);

/** The `--directory=DIR NAME…` operands that store each input as the kind's member rules say. */
async function memberArgs(inputs: readonly string[]): Promise<string[]> {
  const args: string[] = [];
  for (const i of inputs) {
    if (i.endsWith("/")) {
      const names = (await readdir(i).catch((e: NodeJS.ErrnoException) => {
        throw new Error(`input ${i}: ${e.code === "ENOENT" ? "does not exist" : e.code === "ENOTDIR" ? "is not a directory" : e.message}`);
      })).sort();
      if (names.length > 0) args.push(`--directory=${i}`, ...names.map(safeName));
    } else {
      const p = strip(i);
      if (!(await lstat(p).catch(() => undefined))) throw new Error(`input ${i}: does not exist`);
      args.push(`--directory=${dirname(p)}`, safeName(basename(p) || "."));
    }
  }
  return args;
}

/** Run GNU tar to write `out`; throws tar's first complaint as a one-line reason. */
async function runTar(out: string, spec: TarSpec, signal: AbortSignal): Promise<void> {
  const format = FORMATS.get(spec.format);
  const members = await memberArgs(spec.inputs);
  // --files-from=/dev/null: with no members tar would refuse ("Cowardly refusing to create an empty archive")
  const args = ["--create", `--file=${out}`, "--sort=name", ...(format ? [`--format=${format}`] : []), ...(members.length === 0 ? ["--files-from=/dev/null"] : members)];
  const r = await runCommand({ file: "tar", args, env: { PATH: DEFAULT_PATH, LC_ALL: "C" }, stopSignal: "SIGTERM" }, { signal });
  if (r.code !== 0) {
    const why = r.stderr.split("\n").find((l) => l.trim() !== "" && !/^tar: Exiting with failure/.test(l));
    // tar names itself by argv[0], the absolute path runCommand resolved
    throw new Error(why ? why.replace(/^\S*tar: /, "tar: ") : `tar exited with code ${r.code ?? r.signal}`);
  }
}

export class TarResource implements Resource {
  #ctx: ResourceContext | undefined;

  constructor(readonly spec: TarSpec) {}

  validate(): string | undefined {
    return validateTar(this.spec);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const stop = await watchArchive(this.spec.path, this.spec.inputs, () => sink.event());
    sink.event();
    return stop;
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const ctx = this.#ctx;
    if (!ctx) throw new Error("tar: checkApply before init");
    const s = this.spec;
    const varDir = await ctx.varDir();
    const digest = await inputsDigest(s.inputs, `tar\0${s.path}\0${s.format}`);
    const why = await staleReason(s.path, digest, varDir);
    if (why === undefined) return true;
    if (!apply) {
      ctx.log.info(`would rebuild ${s.path}: ${why}`);
      return false;
    }
    await replaceAndRecord(s.path, digest, varDir, (tmp) => runTar(tmp, s, signal));
    ctx.log.info(`rebuilt ${s.path}: ${why}`);
    return false;
  }

  async cleanup(): Promise<void> {}
}

export const tarKind: KindImpl = {
  kind: "tar",
  create: (name, params) => new TarResource(parseTar(name, params)),
};

registerKind(tarKind);
