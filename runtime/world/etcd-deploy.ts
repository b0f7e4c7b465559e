/**
 * Deploys on etcd (engine-reference.md §6.4): every published program gets the next id of a strict
 * sequence 1, 2, 3…, and every agent runs the newest.
 *
 * Keys (below the World's namespace):
 * - `deploy/max` = the newest id. Publishing is a compare-and-swap on this key's mod revision
 *   (absent: 0), so of two concurrent publishers exactly one gets each id; the loser reads the
 *   new max and tries the next id (or, with `previous`, is refused).
 * - `deploy/<id>` = JSON `{id, entry, host, time, files: {path: {sha256, size, chunks}}}`, written
 *   in the same transaction as `deploy/max`.
 * - `storage/<sha256>/<n>` = file content in chunks of ≤ 1 MiB (etcd refuses requests above
 *   1.5 MiB by default); content-addressed, so unchanged files cost nothing in the next deploy.
 *   Written before the transaction; never garbage-collected (as mgmt's etcdfs).
 */
import { createHash } from "node:crypto";
import type { EtcdKv } from "./etcd-client.js";
import { DeployConflictError, type Deploy } from "./world.js";

const MAX_KEY = "deploy/max";
const CHUNK = 1 << 20;

export const deployKey = (id: number) => `deploy/${id}`;
export const DEPLOY_MAX_KEY = MAX_KEY;

interface FileRef {
  readonly sha256: string;
  readonly size: number;
  readonly chunks: number;
}
interface DeployMeta {
  readonly id: number;
  readonly entry: string;
  readonly host: string;
  readonly time: string;
  readonly files: Record<string, FileRef>;
}

async function storeBlob(kv: EtcdKv, data: Uint8Array): Promise<FileRef> {
  const sha256 = createHash("sha256").update(data).digest("hex");
  const chunks = Math.max(1, Math.ceil(data.length / CHUNK));
  for (let i = 0; i < chunks; i++) {
    const part = Buffer.from(data.buffer, data.byteOffset + i * CHUNK, Math.min(CHUNK, data.length - i * CHUNK));
    await kv.create(`storage/${sha256}/${i}`, part);
  }
  return { sha256, size: data.length, chunks };
}

async function loadBlob(kv: EtcdKv, ref: FileRef): Promise<Uint8Array> {
  const r = await kv.range(`storage/${ref.sha256}/`);
  const parts = r.entries.sort((a, b) => Number(a.key.split("/").pop()) - Number(b.key.split("/").pop())).map((e) => e.value);
  const buf = Buffer.concat(parts);
  if (buf.length !== ref.size) throw new Error(`deploy storage: blob ${ref.sha256} is incomplete (${buf.length} of ${ref.size} bytes)`);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** The newest deploy id (0 before the first) and the mod revision of `deploy/max`. */
export async function maxDeploy(kv: EtcdKv): Promise<{ id: number; modRev: number }> {
  const { entry } = await kv.get(MAX_KEY);
  return { id: entry ? Number(entry.value.toString()) : 0, modRev: entry?.modRev ?? 0 };
}

/** Store the files, then claim the next id (see the file comment). */
export async function publishDeploy(
  kv: EtcdKv,
  host: string,
  entry: string,
  files: ReadonlyMap<string, Uint8Array>,
  previous?: number,
): Promise<number> {
  const refs: Record<string, FileRef> = {};
  for (const [path, data] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) refs[path] = await storeBlob(kv, data);
  for (;;) {
    const max = await maxDeploy(kv);
    if (previous !== undefined && max.id !== previous) throw new DeployConflictError(previous, max.id);
    const id = max.id + 1;
    const meta: DeployMeta = { id, entry, host, time: new Date().toISOString(), files: refs };
    const r = await kv.client.kv.txn({
      compare: [
        { key: kv.full(MAX_KEY), target: "Mod", result: "Equal", mod_revision: max.modRev },
        { key: kv.full(deployKey(id)), target: "Create", result: "Equal", create_revision: 0 },
      ],
      success: [
        { request_put: { key: kv.full(MAX_KEY), value: Buffer.from(String(id)) } },
        { request_put: { key: kv.full(deployKey(id)), value: Buffer.from(JSON.stringify(meta)) } },
      ],
      failure: [],
    });
    if (r.succeeded) return id;
    // Someone else got this id: with `previous`, that is a refusal; else take the next one.
  }
}

async function readMeta(kv: EtcdKv, id: number): Promise<DeployMeta | undefined> {
  const { entry } = await kv.get(deployKey(id));
  return entry ? (JSON.parse(entry.value.toString()) as DeployMeta) : undefined;
}

/** Deploy `id` with all its files (undefined when there is no such deploy). */
export async function readDeploy(kv: EtcdKv, id: number): Promise<Deploy | undefined> {
  if (id <= 0) return undefined;
  const meta = await readMeta(kv, id);
  if (!meta) return undefined;
  const files = new Map<string, Uint8Array>();
  for (const [path, ref] of Object.entries(meta.files)) files.set(path, await loadBlob(kv, ref));
  return { id: meta.id, entry: meta.entry, files };
}

/** One file of deploy `id`. */
export async function readDeployFile(kv: EtcdKv, id: number, path: string): Promise<Uint8Array | undefined> {
  const meta = await readMeta(kv, id);
  const ref = meta?.files[path];
  return ref ? loadBlob(kv, ref) : undefined;
}
