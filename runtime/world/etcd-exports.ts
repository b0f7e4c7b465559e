/**
 * Exported resources on etcd (engine-reference.md §2.10): one record per (target host, exporting
 * host, kind, name) at `exported/<toHost|*>/<fromHost>/<kind>/<name>` = the serialised resource.
 * Kinds and hostnames contain no `/`; names may (`/tmp/x`), so the name is the rest of the key.
 *
 * Policy: records are not leased. A host's records change only through its own exports and prunes
 * (after each graph swap); a clean `close()` withdraws them (unless the World was opened with
 * `exportsOnClose: "keep"`, mgmt's behaviour); a host that dies leaves them in place until it runs
 * again and prunes what its new graph no longer exports. Collectors keep applying them meanwhile.
 */
import type { KvEntry } from "./etcd-client.js";
import type { ExportFilter, ExportedResource } from "./world.js";

export const EXPORTED = "exported/";

export const exportKey = (to: string, from: string, kind: string, name: string) => `${EXPORTED}${to}/${from}/${kind}/${name}`;

/** Split a record's key (without the namespace); undefined when it is not one. */
export function parseExportKey(key: string): { to: string; from: string; kind: string; name: string } | undefined {
  if (!key.startsWith(EXPORTED)) return undefined;
  const parts = key.slice(EXPORTED.length).split("/");
  if (parts.length < 4) return undefined;
  const [to, from, kind] = parts as [string, string, string];
  return { to, from, kind, name: parts.slice(3).join("/") };
}

const order = (r: ExportedResource) => `${r.kind}\0${r.name}\0${r.host}`;

type Parsed = { readonly to: string; readonly r: ExportedResource; readonly order: string } | null;
/**
 * The parsed record of each entry: a watch keeps the KvEntry objects of unchanged keys from one
 * state to the next, so a collector woken by 100 new records parses 100, not all 1,000 it holds.
 */
const parsed = new WeakMap<KvEntry, Parsed>();
function parseEntry(e: KvEntry): Parsed {
  let p = parsed.get(e);
  if (p === undefined) {
    const k = parseExportKey(e.key);
    const r = k && { kind: k.kind, name: k.name, host: k.from, data: e.value.toString() };
    p = k && r ? { to: k.to, r, order: order(r) } : null;
    parsed.set(e, p);
  }
  return p;
}

/**
 * The records visible to `me` among `entries` (targets `me` or `*`), filtered, one per
 * (kind, name, exporting host) — a record aimed at `me` wins over the `*` one — sorted.
 */
export function visibleExports(me: string, entries: Iterable<KvEntry>, f: ExportFilter = {}): ExportedResource[] {
  const out = new Map<string, { r: ExportedResource; direct: boolean }>();
  for (const e of entries) {
    const p = parseEntry(e);
    if (!p || (p.to !== me && p.to !== "*")) continue;
    const r = p.r;
    if ((f.kind !== undefined && r.kind !== f.kind) || (f.name !== undefined && r.name !== f.name) || (f.host !== undefined && r.host !== f.host)) continue;
    const direct = p.to === me;
    const prev = out.get(p.order);
    if (!prev || (!prev.direct && direct)) out.set(p.order, { r, direct });
  }
  return [...out]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, v]) => v.r);
}

export function sameExports(a: readonly ExportedResource[], b: readonly ExportedResource[]): boolean {
  return a.length === b.length && a.every((r, i) => order(r) === order(b[i]!) && r.data === b[i]!.data);
}

/** What this host holds for one exported (kind, name). */
export interface ExportRecord {
  readonly kind: string;
  readonly name: string;
  readonly data: string;
  readonly targets: readonly string[];
}

/**
 * The writes that turn this host's exports `idx` (kind\0name → record) into exactly `want`: a put
 * per target whose record is new or changed, a delete per target no longer listed. Unchanged
 * records cost nothing, so collectors are not woken by a re-export.
 */
export function exportDiff(
  from: string,
  idx: ReadonlyMap<string, ExportRecord>,
  want: readonly ExportRecord[],
): { puts: [string, string][]; deletes: string[]; next: Map<string, ExportRecord> } {
  const puts: [string, string][] = [];
  const deletes: string[] = [];
  const next = new Map<string, ExportRecord>();
  for (const r of want) {
    const id = `${r.kind}\0${r.name}`;
    const prev = idx.get(id);
    next.set(id, r);
    for (const t of r.targets) if (!prev || prev.data !== r.data || !prev.targets.includes(t)) puts.push([exportKey(t, from, r.kind, r.name), r.data]);
    for (const t of prev?.targets ?? []) if (!r.targets.includes(t)) deletes.push(exportKey(t, from, r.kind, r.name));
  }
  for (const [id, rec] of idx) if (!next.has(id)) for (const t of rec.targets) deletes.push(exportKey(t, from, rec.kind, rec.name));
  return { puts, deletes, next };
}
