/**
 * The edit language of the `json:edit` kind (engine-reference.md §10 "json:edit"): a jq-like
 * subset, parsed and applied here, pure.
 *
 * ```
 * edit := path "=" JSON          .a.b = 42     .["k"]["x y"] = {"on": true}
 *       | "del(" path ")"        del(.a.b)
 * path := "." | step+            step := "." ident | "."? "[" JSON-string "]"
 * ```
 *
 * Objects only: a path walks through objects, `=` creates missing intermediate objects, and a
 * step into an array or a scalar is an error for `=` (for `del`, the key is absent already).
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

export type JsonEdit =
  | { readonly op: "set"; readonly path: readonly string[]; readonly value: JsonValue; readonly text: string }
  | { readonly op: "del"; readonly path: readonly string[]; readonly text: string };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Parse the path at the start of `s`; returns the keys and the rest of the text. */
function parsePath(s: string): { keys: string[]; rest: string } {
  if (!s.startsWith(".")) throw new Error("a path starts with `.`");
  const keys: string[] = [];
  let rest = s;
  for (;;) {
    let m: RegExpExecArray | null;
    if (rest.startsWith(".[") || rest.startsWith("[")) {
      rest = rest.slice(rest.startsWith(".") ? 2 : 1).trimStart();
      if (!rest.startsWith('"')) throw new Error("`[` must hold a double-quoted key (objects only: no array indexes)");
      const end = stringEnd(rest);
      keys.push(JSON.parse(rest.slice(0, end)) as string);
      rest = rest.slice(end).trimStart();
      if (!rest.startsWith("]")) throw new Error("missing `]`");
      rest = rest.slice(1);
    } else if (rest.startsWith(".") && (m = IDENT.exec(rest.slice(1)))) {
      keys.push(m[0]);
      rest = rest.slice(1 + m[0].length);
    } else if (rest.startsWith(".") && keys.length === 0) {
      return { keys, rest: rest.slice(1) }; // `.` alone: the whole document
    } else {
      return { keys, rest };
    }
  }
}

/** Index just past the JSON string literal starting at `s[0]`. */
function stringEnd(s: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === '"') return i + 1;
  }
  throw new Error("unterminated string");
}

const show = (path: readonly string[]): string => (path.length === 0 ? "." : path.map((k) => (IDENT.test(k) && IDENT.exec(k)![0] === k ? `.${k}` : `[${JSON.stringify(k)}]`)).join(""));

/** Parse one edit; throws a one-line reason. */
export function parseEdit(text: string): JsonEdit {
  const t = text.trim();
  try {
    const del = /^del\s*\(/.exec(t);
    if (del) {
      const { keys, rest } = parsePath(t.slice(del[0].length).trimStart());
      if (rest.trim() !== ")") throw new Error("expected `)` after the path");
      if (keys.length === 0) throw new Error("del(.) would delete the whole document");
      return { op: "del", path: keys, text: t };
    }
    const { keys, rest } = parsePath(t);
    const r = rest.trimStart();
    if (!r.startsWith("=") || r.startsWith("==")) throw new Error("expected `= <json>` after the path");
    let value: JsonValue;
    try {
      value = JSON.parse(r.slice(1)) as JsonValue;
    } catch (e) {
      throw new Error(`the value is not JSON: ${(e as Error).message}`);
    }
    if (keys.length === 0 && !isObject(value)) throw new Error("`.` can only be set to an object");
    return { op: "set", path: keys, value, text: t };
  } catch (e) {
    throw new Error(`edit ${JSON.stringify(text)}: ${(e as Error).message}`);
  }
}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: JsonValue): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`;
}

/** `o[k] = v` as an own property, even for the key `__proto__` (which JSON allows). */
function put(o: JsonObject, k: string, v: JsonValue): JsonValue {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  return v;
}

/**
 * The object holding the last key of `e.path` in `doc`. For `set`, missing intermediate objects
 * are created and a non-object on the way is an error; for `del`, undefined (nothing to delete).
 */
function parentOf(doc: JsonObject, e: JsonEdit): JsonObject | undefined {
  let cur = doc;
  for (let i = 0; i < e.path.length - 1; i++) {
    const k = e.path[i]!;
    const next = Object.hasOwn(cur, k) ? cur[k] : undefined;
    if (isObject(next)) cur = next;
    else if (e.op === "del") return undefined;
    else if (next === undefined) cur = put(cur, k, {}) as JsonObject;
    else throw new Error(`edit ${JSON.stringify(e.text)}: ${show(e.path.slice(0, i + 1))} is ${typeName(next)}, not an object`);
  }
  return cur;
}

/**
 * Apply `edits` in order to a deep copy of `doc`; returns the new document, or undefined when the
 * edits change nothing (compared as JSON values: key order and formatting do not count).
 */
export function applyEdits(doc: JsonObject, edits: readonly JsonEdit[]): JsonObject | undefined {
  // The common case, a clean check: every edit already holds on the document as it is. Seeing
  // that needs no copy and no whole-document comparison (a 2,000-key document: ~40 → ~2 ms).
  if (edits.every((e) => holds(doc, e))) return undefined;
  let out = structuredClone(doc);
  for (const e of edits) {
    if (e.path.length === 0) {
      if (e.op === "set" && isObject(e.value)) out = structuredClone(e.value);
      continue;
    }
    const parent = parentOf(out, e);
    const key = e.path[e.path.length - 1]!;
    if (!parent) continue;
    if (e.op === "set") put(parent, key, structuredClone(e.value));
    else delete parent[key];
  }
  return jsonEqual(out, doc) ? undefined : out;
}

/** Whether `doc` already is as edit `e` wants (so applying it changes nothing). */
function holds(doc: JsonObject, e: JsonEdit): boolean {
  let cur: JsonValue | undefined = doc;
  for (const k of e.path) cur = isObject(cur) && Object.hasOwn(cur, k) ? cur[k] : undefined;
  return e.op === "del" ? cur === undefined : cur !== undefined && jsonEqual(cur, e.value);
}

/** Equality of JSON values; object key order does not count. */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]!));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k]!, b[k]!));
}

/** The text `json:edit` writes: tab-indented JSON with a trailing newline (as mgmt's MarshalIndent + "\n"). */
export function formatJson(doc: JsonValue): string {
  return JSON.stringify(doc, null, "\t") + "\n";
}
