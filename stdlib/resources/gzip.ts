/**
 * The `gzip` kind (engine-reference.md §10 "tar / gzip"; mgmt engine/resources/gzip.go): the file
 * at `path` is the gzip compression of the file `input`, or of the string `content`, at `level`.
 * Rebuilt when the input (or `content`, or `level`) changes, or when the output is deleted or
 * modified; the check is archive-state.ts (recorded digests: no decompression, no re-compression).
 *
 * Compression is node:zlib (the same deflate as Go's compress/gzip levels: -1 default, 0 none,
 * 1 fastest … 9 best, -2 Huffman only). The gzip header carries no name and no mtime, so the same
 * input gives the same bytes.
 *
 * @example gzip "/srv/www/index.html.gz" { input => "/srv/www/index.html", level => 9, }
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { constants, gzip } from "node:zlib";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { inputsDigest, replaceAndRecord, staleReason, watchArchive } from "./archive-state.js";
import { intField, optStrField, strField, type Params } from "./param-fields.js";

const gzipAsync = promisify(gzip);

/** Go's gzip.HuffmanOnly. */
const HUFFMAN_ONLY = -2n;

export interface GzipSpec {
  readonly path: string;
  readonly input: string | undefined;
  readonly content: string | undefined;
  readonly level: bigint;
}

export function parseGzip(name: string, p: Params): GzipSpec {
  return { path: strField(p, "path", name), input: optStrField(p, "input"), content: optStrField(p, "content"), level: intField(p, "level", -1n) };
}

export function validateGzip(s: GzipSpec): string | undefined {
  if (!s.path.startsWith("/")) return `path ${JSON.stringify(s.path)} must be absolute`;
  if (s.path.endsWith("/")) return `path ${JSON.stringify(s.path)} must be a file, not a directory`;
  if (s.input !== undefined && s.content !== undefined) return "set either input or content, not both";
  if (s.input === undefined && s.content === undefined) return "set input or content";
  if (s.input !== undefined && !s.input.startsWith("/")) return `input ${JSON.stringify(s.input)} must be absolute`;
  if (s.input === s.path) return "input is the output itself";
  if (s.level < HUFFMAN_ONLY || s.level > 9n) return `level must be in -2..9 (-1 default, -2 Huffman only), got ${s.level}`;
  return undefined;
}

/** The compressed bytes of `data` at the spec's level. */
export function compress(data: Buffer, level: bigint): Promise<Buffer> {
  return level === HUFFMAN_ONLY ? gzipAsync(data, { strategy: constants.Z_HUFFMAN_ONLY }) : gzipAsync(data, { level: Number(level) });
}

export class GzipResource implements Resource {
  #ctx: ResourceContext | undefined;

  constructor(readonly spec: GzipSpec) {}

  validate(): string | undefined {
    return validateGzip(this.spec);
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const stop = await watchArchive(this.spec.path, this.spec.input === undefined ? [] : [this.spec.input], () => sink.event());
    sink.event();
    return stop;
  }

  /** The input's fingerprint: its metadata (archive-state.ts), or the hash of `content`. */
  #digest(): Promise<string> {
    const s = this.spec;
    const settings = `gzip\0${s.path}\0${s.level}`;
    if (s.input !== undefined) return inputsDigest([s.input], settings, true); // gzip reads through a symlink
    return Promise.resolve(createHash("sha256").update(settings).update("\0content\0").update(s.content ?? "").digest("hex"));
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const ctx = this.#ctx;
    if (!ctx) throw new Error("gzip: checkApply before init");
    const s = this.spec;
    const varDir = await ctx.varDir();
    const digest = await this.#digest();
    const why = await staleReason(s.path, digest, varDir);
    if (why === undefined) return true;
    if (!apply) {
      ctx.log.info(`would rebuild ${s.path}: ${why}`);
      return false;
    }
    const data =
      s.input !== undefined
        ? await readFile(s.input).catch((e: NodeJS.ErrnoException) => {
            throw new Error(`input ${s.input}: ${e.code === "ENOENT" ? "does not exist" : e.code === "EISDIR" ? "is a directory" : e.message}`);
          })
        : Buffer.from(s.content ?? "", "utf8");
    signal.throwIfAborted();
    const gz = await compress(data, s.level);
    await replaceAndRecord(s.path, digest, varDir, (tmp) => writeFile(tmp, gz, { flag: "wx", flush: true }));
    ctx.log.info(`rebuilt ${s.path} (${data.byteLength} → ${gz.byteLength} bytes): ${why}`);
    return false;
  }

  async cleanup(): Promise<void> {}
}

export const gzipKind: KindImpl = {
  kind: "gzip",
  create: (name, params) => new GzipResource(parseGzip(name, params)),
};

registerKind(gzipKind);
