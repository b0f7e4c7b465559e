/**
 * The resource API (engine-reference.md §2.1–§2.2): what every kind in stdlib/resources/ implements
 * and what the engine (runtime/engine/) drives. One `Resource` object per vertex instance; the engine
 * calls, in order: validate → init → watch (long-running) ∥ checkApply (per wave) → cleanup.
 *
 * Params arrive as the mcl Values the program set (lang field names, lang/values.ts); a kind reads
 * them once in its factory and keeps its own typed fields.
 */
import type { Value } from "../../lang/values.js";
import type { World } from "../world/world.js";

/** Leveled, prefixed (`kind[name]: `) logging for one resource. */
export interface ResourceLog {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
}

/** What the engine hands a resource in `init` (mgmt's engine.Init). */
export interface ResourceContext {
  readonly kind: string;
  readonly name: string;
  readonly hostname: string;
  readonly log: ResourceLog;
  readonly world: World;
  /** Per-host state directory (`--prefix`). */
  readonly stateDir: string;
  /** A private directory for this resource (`<stateDir>/engine/state/<kind>/<name-hash>/`), created 0700 on demand. */
  varDir(extra?: string): Promise<string>;
  /** Aborted when the vertex is removed or the engine shuts down. */
  readonly signal: AbortSignal;
  /** Refreshable kinds: true when a notify edge into this vertex fired since its last successful run. */
  refresh(): boolean;
  /** Sendable kinds: publish the current output values (lang field names). Call on every successful checkApply. */
  send(values: Readonly<Record<string, Value>>): void;
  /** Recvable kinds: values received along send/recv edges, by receiving field; `changed` is sticky until a successful checkApply. */
  recv(): ReadonlyMap<string, { readonly value: Value; readonly changed: boolean }>;
  /**
   * Whether `Meta:reverse` is set, i.e. the engine will ask for `reversal()`. Reversible kinds skip
   * capturing the prior state in `init` when it is false (it costs a read of every managed file);
   * undefined (a caller that does not say) means capture.
   */
  readonly reverse?: boolean;
  /** Bus address for systemd-backed kinds (default: the system bus). */
  readonly dbusAddress?: string;
}

/** Reports from a running `watch`. */
export interface WatchSink {
  /** Call once when the watch is established (the startup event), then once per possible change. Spurious events are fine; missed ones are bugs. */
  event(): void;
  /** The watch died; the engine retries it per metaparams (`rewatch`) and reports the failure with the resource's name. */
  error(err: Error): void;
}

export interface Resource {
  /** Pure validation of params; return a one-line reason when invalid. Re-run after send/recv changes a field. */
  validate(): string | undefined;
  /** May return nothing when it is done synchronously (no promise for each of 1,000 files). */
  init(ctx: ResourceContext): void | Promise<void>;
  /**
   * Start watching the machine for changes of this resource's state. Must call `sink.event()` once
   * when ready. Returns a function that stops the watch. Not called when `Meta:poll` is set or the
   * resource is hidden.
   */
  watch(sink: WatchSink): Promise<() => void>;
  /**
   * Check the state and, if `apply`, fix it. Returns true when the state was already correct
   * (nothing done), false when it was wrong (and was fixed, unless `apply` is false). Throws on
   * failure. Must honour `signal` (Meta:timeout, shutdown): abort promptly, kill child processes.
   */
  checkApply(apply: boolean, signal: AbortSignal): Promise<boolean>;
  /**
   * Optional: a synchronous look of a few syscalls that answers true only when the state is
   * certainly right already (what `checkApply` would return true for, changing nothing); false
   * means "look properly". The engine asks before `checkApply`, except for a refresh, so that a
   * clean run costs no promise, timer or AbortSignal (a one-shot run of 1,000 files is mostly
   * clean runs). Must not throw or change anything. Sendable kinds don't implement it: their
   * values are sent by `checkApply`.
   */
  isClean?(): boolean;
  /**
   * Interruptable kinds (mgmt's InterruptableRes): stop an in-flight `checkApply` *now*, e.g. by
   * SIGKILLing its process group. The signal is the polite request; the engine calls this when a
   * `checkApply` whose signal was aborted (shutdown, `Meta:timeout`, a removal that could not
   * drain) has not settled within a short grace, and at once on a forced shutdown. Must not throw.
   */
  interrupt?(): void;
  cleanup(): void | Promise<void>;
  /** Reversible kinds: the resource that undoes this one when it disappears from the program (Meta:reverse), captured before the first apply. */
  reversal?(): Promise<{ readonly params: Readonly<Record<string, Value>> } | undefined>;
}

/** A UID for autoedges (§2.5): e.g. `{ kind: "file", path: "/etc/" }`. Matching is by `key`. */
export interface AutoEdgeUid {
  readonly kind: string;
  /** Identity used for matching, e.g. the path with a trailing slash for directories. */
  readonly key: string;
}

/** Everything the engine needs to know about a kind; one per file in stdlib/resources/<kind>.ts. */
export interface KindImpl {
  readonly kind: string;
  /** Build a resource from the params the program set (lang names). Throw for impossible params (the engine reports it as a validation error). */
  create(name: string, params: Readonly<Record<string, Value>>): Resource;
  readonly refreshable?: boolean;
  /** Field names this kind sends (sendable kinds). */
  readonly sends?: readonly string[];
  readonly recvable?: boolean;
  /** Edgeable kinds: what this resource is (`uids`) and what it wants to depend on (`seeks`, in order of preference; the first match wins per seek list). */
  autoedges?(name: string, params: Readonly<Record<string, Value>>): {
    readonly uids: readonly AutoEdgeUid[];
    /** Each entry is one wish: a list of candidate UIDs, most specific first (e.g. the parent dirs of a file from nearest to `/`). */
    readonly seeks: readonly (readonly AutoEdgeUid[])[];
    /** true: the matched resource runs before this one (the usual case); false: after. */
    readonly before?: boolean;
  };
  /** Groupable kinds: whether two vertices may merge into one (§2.6); the engine then calls `createGroup`. */
  groupCmp?(a: GroupMember, b: GroupMember): boolean;
  /** Build the resource of a merged vertex from its members (e.g. one apt transaction for several `pkg`). */
  createGroup?(members: readonly GroupMember[]): Resource;
  readonly reversible?: boolean;
}

export interface GroupMember {
  readonly name: string;
  readonly params: Readonly<Record<string, Value>>;
}

const kinds = new Map<string, KindImpl>();

/** Register a kind implementation; each stdlib/resources/<kind>.ts calls this at module load. */
export function registerKind(impl: KindImpl): void {
  if (kinds.has(impl.kind)) throw new Error(`duplicate resource kind ${impl.kind}`);
  kinds.set(impl.kind, impl);
}

export function getKindImpl(kind: string): KindImpl | undefined {
  return kinds.get(kind);
}

/** Registered kinds, loaded or not (see {@link registerKindLoader}). */
export function kindImplNames(): readonly string[] {
  return [...new Set([...kinds.keys(), ...loaders.keys()])].sort();
}

const loaders = new Map<string, () => Promise<unknown>>();

/**
 * Say where a kind's implementation lives without loading it: `load` imports the module whose
 * `registerKind` defines `kind`. `steward run` registers every kind this way and loads only those
 * its program uses ({@link loadKinds}, called by the engine before it plans a graph): loading every
 * kind (apt, D-Bus, users…) was tens of milliseconds of start-up for a program of `file`s.
 */
export function registerKindLoader(kind: string, load: () => Promise<unknown>): void {
  loaders.set(kind, load);
}

/** Load the kinds among `names` that have a loader but no implementation yet; undefined when there is nothing to load. */
export function loadKinds(names: Iterable<string>): Promise<void> | undefined {
  let pending: Promise<unknown>[] | undefined;
  for (const k of names) {
    const load = kinds.has(k) ? undefined : loaders.get(k);
    if (load) (pending ??= []).push(load());
  }
  return pending && Promise.all(pending).then(() => undefined);
}
