/**
 * The `json:edit` kind (engine-reference.md §10 "json:edit"): keys of a JSON document set or
 * deleted by jq-like edits (json-edit-path.ts), everything else in the document left alone.
 *
 * `store` (default: the name) is an absolute path, a `file:///path` URL, or `etcd:///key` (the
 * value of `key` in the World's string store). checkApply reads the document (missing or empty =
 * `{}`), applies the edits in order to a copy and compares: the same JSON value ⇒ OK, untouched
 * (its formatting and key order are kept); else the document is written back as tab-indented JSON
 * with a trailing newline — a file atomically (temp file + rename, mode and owner kept; a new one
 * is 0644). Resources of this process editing one store take turns (an in-process lock per store);
 * there is no compare-and-swap against other programs, as in the reference.
 *
 * Watch: the file through the shared watcher, or the World key.
 *
 * @example json:edit "/etc/docker/daemon.json" { edits => [".log-driver = \"journald\"", "del(.debug)"], }
 */
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { applyEdits, formatJson, isObject, parseEdit, type JsonEdit, type JsonObject, type JsonValue } from "./json-edit-path.js";
import { readTextOrUndefined, watchTextFile, writeText } from "./line-file.js";
import { strField, strListField, type Params } from "./param-fields.js";

export type JsonStore = { readonly kind: "file"; readonly path: string } | { readonly kind: "world"; readonly key: string };

/** The store named by `s`, or a one-line reason. */
export function parseStore(s: string): JsonStore | string {
  if (s.startsWith("etcd:///")) {
    const key = s.slice("etcd:///".length);
    return key === "" ? `store ${JSON.stringify(s)} names no key` : { kind: "world", key };
  }
  const path = s.startsWith("file://") ? s.slice("file://".length) : s;
  if (!path.startsWith("/")) return `store ${JSON.stringify(s)} must be an absolute path, file:///path or etcd:///key`;
  if (path.endsWith("/")) return `store ${JSON.stringify(s)} must be a file, not a directory`;
  return { kind: "file", path };
}

const storeLocks = new Map<string, Promise<unknown>>();

/** Run `f` when no other json:edit of this process is working on the same store. */
function withStoreLock<T>(id: string, f: () => Promise<T>): Promise<T> {
  const prev = storeLocks.get(id) ?? Promise.resolve();
  const run = prev.then(f, f);
  const tail = run.catch(() => undefined);
  storeLocks.set(id, tail);
  void tail.then(() => {
    if (storeLocks.get(id) === tail) storeLocks.delete(id);
  });
  return run;
}

export class JsonEditResource implements Resource {
  readonly store: JsonStore | string;
  readonly edits: readonly JsonEdit[] = [];
  readonly #editError: string | undefined;
  #ctx: ResourceContext | undefined;

  constructor(name: string, params: Params) {
    const storeText = strField(params, "store", name);
    this.store = parseStore(storeText);
    try {
      this.edits = (strListField(params, "edits") ?? []).map(parseEdit);
    } catch (e) {
      this.#editError = (e as Error).message;
    }
  }

  validate(): string | undefined {
    return typeof this.store === "string" ? this.store : this.#editError;
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  #storeOf(): JsonStore {
    if (typeof this.store === "string") throw new Error(this.store);
    return this.store;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const st = this.#storeOf();
    if (st.kind === "file") {
      const stop = await watchTextFile(st.path, () => sink.event(), (e) => sink.error(e));
      sink.event();
      return stop;
    }
    const world = this.#world();
    // a World watch emits the current value on subscribe: that is the startup event
    const sub = world.watch(st.key).subscribe({ next: () => sink.event(), error: (e: unknown) => sink.error(e instanceof Error ? e : new Error(String(e))) });
    return () => sub.unsubscribe();
  }

  #world(): ResourceContext["world"] {
    if (!this.#ctx) throw new Error("json:edit: used before init");
    return this.#ctx.world;
  }

  #describe(st: JsonStore): string {
    return st.kind === "file" ? st.path : `etcd key ${JSON.stringify(st.key)}`;
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const st = this.#storeOf();
    const id = st.kind === "file" ? `file:${st.path}` : `world:${st.key}`;
    return withStoreLock(id, async () => {
      signal.throwIfAborted();
      const where = this.#describe(st);
      const text = st.kind === "file" ? await readTextOrUndefined(st.path) : await this.#world().get(st.key);
      const doc = parseDocument(text, where);
      const next = applyEdits(doc, this.edits);
      if (next === undefined) return true;
      if (!apply) {
        this.#ctx?.log.info(`would edit ${where}`);
        return false;
      }
      const out = formatJson(next);
      if (st.kind === "file") {
        await writeText(st.path, out).catch((e: NodeJS.ErrnoException) => {
          throw new Error(`can't write ${st.path}: ${e.code === "ENOENT" ? "its directory does not exist" : (e.code ?? e.message)}`);
        });
      } else {
        await this.#world().set(st.key, out);
      }
      this.#ctx?.log.info(`edited ${where}${text === undefined ? " (created)" : ""}`);
      return false;
    });
  }

  async cleanup(): Promise<void> {}
}

/** The stored document: missing or blank = `{}`; anything but a JSON object is a one-line error. */
export function parseDocument(text: string | undefined, where: string): JsonObject {
  if (text === undefined || text.trim() === "") return {};
  let doc: JsonValue;
  try {
    doc = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new Error(`${where} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new Error(`${where} holds ${Array.isArray(doc) ? "an array" : doc === null ? "null" : `a ${typeof doc}`}, not a JSON object`);
  return doc;
}

export const jsonEditKind: KindImpl = {
  kind: "json:edit",
  create: (name, params) => new JsonEditResource(name, params),
};

registerKind(jsonEditKind);
