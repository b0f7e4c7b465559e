/**
 * `steward run --seeds/--etcd PATH`: a saved edit of PATH is published as the next deploy, so
 * editing the program on one host drives the whole cluster as `steward run PATH` drives one host
 * (every agent, this one included, swaps to it live through its DeployLoop). The files watched
 * are the ones the last publish stored; a save that does not compile is reported and not
 * published (the running deploy stays).
 */
import { join } from "node:path";
import type { Diagnostic } from "../../lang/diagnostics.js";
import { watchPath } from "../watch/index.js";
import type { World } from "../world/world.js";
import { programFiles, type ProgramFiles } from "./deploy-files.js";
import type { SourceLookup } from "./render.js";

export interface RepublishHandlers {
  published(id: number, files: number, cause: string): void;
  refused(diagnostics: readonly Diagnostic[], source: SourceLookup, cause: string): void;
  failed(message: string): void;
}

/** quiet time after a save before publishing: editors write in several steps */
const DEBOUNCE_MS = 50;

export class Republisher {
  readonly #watches = new Map<string, () => void>();
  #timer: NodeJS.Timeout | undefined;
  #changed: string | undefined;
  #busy: Promise<void> = Promise.resolve();
  #stopped = false;
  #last: Extract<ProgramFiles, { ok: true }> | undefined;

  constructor(
    private readonly path: string,
    private readonly hostname: string,
    private readonly world: World,
    private readonly on: RepublishHandlers,
  ) {}

  /** Watch the files of the deploy just published. */
  start(published: Extract<ProgramFiles, { ok: true }>): void {
    this.#last = published;
    this.#rewatch(published);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const stop of this.#watches.values()) stop();
    this.#watches.clear();
  }

  #rewatch(p: Extract<ProgramFiles, { ok: true }>): void {
    const want = new Set([this.path, ...[...p.files.keys()].map((f) => join(p.root, f))]);
    for (const [f, stop] of this.#watches) if (!want.has(f)) (stop(), this.#watches.delete(f));
    for (const f of want) if (!this.#watches.has(f)) this.#watches.set(f, watchPath(f, () => this.#saved(f)));
  }

  #saved(f: string): void {
    if (this.#stopped) return;
    this.#changed ??= f;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const cause = this.#changed ?? f;
      this.#changed = undefined;
      this.#busy = this.#busy.then(() => this.#publish(cause));
    }, DEBOUNCE_MS);
  }

  async #publish(cause: string): Promise<void> {
    if (this.#stopped) return;
    const p = programFiles(this.path, this.hostname);
    if (!p.ok) {
      this.on.refused(p.diagnostics, p.source, cause);
      return;
    }
    this.#rewatch(p);
    // A save that changed nothing (an editor's touch) is not a new deploy.
    if (this.#last && sameFiles(this.#last, p)) return;
    this.#last = p;
    try {
      const id = await this.world.publishDeploy(p.entry, p.files);
      if (!this.#stopped) this.on.published(id, p.files.size, cause);
    } catch (e) {
      if (!this.#stopped) this.on.failed((e as Error).message.split("\n")[0] ?? "");
    }
  }
}

function sameFiles(a: Extract<ProgramFiles, { ok: true }>, b: Extract<ProgramFiles, { ok: true }>): boolean {
  if (a.entry !== b.entry || a.files.size !== b.files.size) return false;
  for (const [k, v] of a.files) {
    const w = b.files.get(k);
    if (!w || Buffer.compare(Buffer.from(v), Buffer.from(w)) !== 0) return false;
  }
  return true;
}
