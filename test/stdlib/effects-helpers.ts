/** Shared helpers for the effectful-builtin tests: contexts, stream capture, polling with deadlines. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Observable, Subscription } from "rxjs";
import "../../stdlib/impl/effects/index.js";
import { getImpl, type FuncImpl, type ImplContext } from "../../stdlib/impl.js";
import type { Type } from "../../lang/types.js";
import { CatchableError, type Value } from "../../lang/values.js";
import { MemoryWorld } from "../../runtime/world/memory.js";

export type Out = Value | CatchableError;

/** A temp dir removed by the returned cleanup. */
export function tempDir(prefix = "steward-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeCtx(over: Partial<ImplContext> & { stateDir: string }, type?: Type): ImplContext {
  const base: ImplContext = { hostname: "h1", world: new MemoryWorld("h1"), moduleDir: over.stateDir, ...over };
  return type === undefined ? base : { ...base, type };
}

export function impl(name: string): FuncImpl {
  const f = getImpl(name);
  if (!f) throw new Error(`no implementation of ${name}`);
  return f;
}

export function call(name: string, args: readonly Value[], ctx: ImplContext): Out {
  const f = impl(name);
  if (f.effect === "source") throw new Error(`${name} is a source`);
  return f.call(args, ctx);
}

export function stream(name: string, args: readonly Value[], ctx: ImplContext): Observable<Out> {
  const f = impl(name);
  if (f.effect !== "source") throw new Error(`${name} is not a source`);
  return f.stream(args, ctx);
}

export interface Recorder {
  readonly values: Out[];
  /** performance.now() of each value */
  readonly times: number[];
  error: unknown;
  readonly sub: Subscription;
}

const live = new Set<Subscription>();

/**
 * Unsubscribe everything `record` subscribed that is still open. Call it from `afterEach`, so a
 * failing test doesn't leave a watch or a timer that keeps the test process alive.
 */
export function closeAll(): void {
  for (const s of live) s.unsubscribe();
  live.clear();
}

/** Subscribe and record every value with its arrival time. */
export function record(obs: Observable<Out>): Recorder {
  const r: { values: Out[]; times: number[]; error: unknown; sub?: Subscription } = { values: [], times: [], error: undefined };
  r.sub = obs.subscribe({
    next: (v) => {
      r.values.push(v);
      r.times.push(performance.now());
    },
    error: (e: unknown) => (r.error = e),
  });
  live.add(r.sub);
  return r as Recorder;
}

/** Poll `cond` every few ms until it holds; throws after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs: number, what = "condition"): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Is a process with this PID alive (and not a zombie)? */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // a zombie still answers kill(0); its /proc stat state is Z
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}
