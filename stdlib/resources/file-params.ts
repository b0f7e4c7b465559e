/**
 * Small helpers shared by the `file` and `exec` kinds: typed reads of mcl params (lang/values.ts:
 * str → string, int → bigint, bool → boolean, list → readonly array, map → MapValue) and user /
 * group name resolution from /etc/passwd and /etc/group (Node has no getpwnam).
 */
import { readFileSync } from "node:fs";
import { isList, isMap, type Value } from "../../lang/values.js";

export type Params = Readonly<Record<string, Value>>;

/** A string param; `undefined` when the program did not set it. */
export function optStr(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new Error(`param ${key}: expected str, got ${typeof v}`);
  return v;
}

export function str(p: Params, key: string, dflt = ""): string {
  return optStr(p, key) ?? dflt;
}

export function bool(p: Params, key: string): boolean {
  const v = p[key];
  if (v === undefined) return false;
  if (typeof v !== "boolean") throw new Error(`param ${key}: expected bool, got ${typeof v}`);
  return v;
}

export function int(p: Params, key: string): bigint | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  throw new Error(`param ${key}: expected int, got ${typeof v}`);
}

export function strList(p: Params, key: string): readonly string[] {
  const v = p[key];
  if (v === undefined) return [];
  if (!isList(v) || !v.every((x): x is string => typeof x === "string")) throw new Error(`param ${key}: expected []str`);
  return v;
}

/** `map{str: str}` or `[]str` of `K=V` entries; `undefined` when unset. */
export function strMap(p: Params, key: string): ReadonlyMap<string, string> | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  const out = new Map<string, string>();
  if (isMap(v)) {
    for (const [k, x] of v) {
      if (typeof k !== "string" || typeof x !== "string") throw new Error(`param ${key}: expected map{str: str}`);
      out.set(k, x);
    }
    return out;
  }
  if (isList(v)) {
    for (const x of v) {
      if (typeof x !== "string") throw new Error(`param ${key}: expected []str`);
      const i = x.indexOf("=");
      if (i <= 0) throw new Error(`param ${key}: entry ${JSON.stringify(x)} is not KEY=VALUE`);
      out.set(x.slice(0, i), x.slice(i + 1));
    }
    return out;
  }
  throw new Error(`param ${key}: expected map{str: str} or []str`);
}

// ---------------------------------------------------------------------------------------------
// users and groups

interface DbEntry {
  readonly name: string;
  readonly id: number;
  /** passwd only: the primary group id. */
  readonly gid: number;
}

function readDb(file: string): readonly DbEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: DbEntry[] = [];
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length < 3 || f[0] === "" || line.startsWith("#")) continue;
    const id = Number(f[2]);
    const gid = Number(f[3] ?? "");
    if (Number.isInteger(id)) out.push({ name: f[0]!, id, gid: Number.isInteger(gid) ? gid : -1 });
  }
  return out;
}

const NUMERIC = /^\d+$/;

/** uid and primary gid of a user name or numeric id; throws when the name is unknown. */
export function lookupUser(nameOrId: string): { readonly uid: number; readonly gid: number | undefined } {
  const db = readDb("/etc/passwd");
  if (NUMERIC.test(nameOrId)) {
    const uid = Number(nameOrId);
    const e = db.find((x) => x.id === uid);
    return { uid, gid: e && e.gid >= 0 ? e.gid : undefined };
  }
  const e = db.find((x) => x.name === nameOrId);
  if (!e) throw new Error(`unknown user ${JSON.stringify(nameOrId)}`);
  return { uid: e.id, gid: e.gid >= 0 ? e.gid : undefined };
}

/** gid of a group name or numeric id; throws when the name is unknown. */
export function lookupGroup(nameOrId: string): number {
  if (NUMERIC.test(nameOrId)) return Number(nameOrId);
  const e = readDb("/etc/group").find((x) => x.name === nameOrId);
  if (!e) throw new Error(`unknown group ${JSON.stringify(nameOrId)}`);
  return e.id;
}
