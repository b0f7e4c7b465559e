/**
 * Drives one resource kind directly through the Resource API (runtime/engine/resource.ts), without
 * the engine: create → validate → init with a hand-made ResourceContext → watch → checkApply →
 * cleanup. The context records log lines and sent values, lets a test set received values and
 * the refresh flag, and owns a temp state directory and an AbortController.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Value } from "../../lang/values.js";
import { getKindImpl, type Resource, type ResourceContext } from "../../runtime/engine/resource.js";
import { MemoryWorld } from "../../runtime/world/memory.js";

export interface Harness {
  readonly ctx: ResourceContext;
  readonly stateDir: string;
  /** `level: message` lines, in order. */
  readonly logs: string[];
  /** Every `ctx.send` call, in order. */
  readonly sent: Readonly<Record<string, Value>>[];
  readonly abort: AbortController;
  setRecv(field: string, value: Value, changed?: boolean): void;
  setRefresh(on: boolean): void;
}

const tempDirs: string[] = [];

/** A fresh temp directory, removed by {@link removeTempDirs}. */
export function tempDir(prefix = "steward-res-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function makeContext(kind: string, name: string, stateDir = tempDir("steward-state-")): Harness {
  const logs: string[] = [];
  const sent: Record<string, Value>[] = [];
  const recv = new Map<string, { value: Value; changed: boolean }>();
  const abort = new AbortController();
  let refresh = false;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 16);
  const ctx: ResourceContext = {
    kind,
    name,
    hostname: "test-host",
    log: {
      debug: (m) => logs.push(`debug: ${m}`),
      info: (m) => logs.push(`info: ${m}`),
      warn: (m) => logs.push(`warn: ${m}`),
    },
    world: new MemoryWorld("test-host"),
    stateDir,
    async varDir(extra?: string) {
      const d = join(stateDir, "engine", "state", kind, hash, extra ?? "");
      mkdirSync(d, { recursive: true, mode: 0o700 });
      return d.endsWith("/") ? d : d + "/";
    },
    signal: abort.signal,
    refresh: () => refresh,
    send: (values) => sent.push({ ...values }),
    recv: () => recv,
  };
  return {
    ctx,
    stateDir,
    logs,
    sent,
    abort,
    setRecv: (field, value, changed = true) => recv.set(field, { value, changed }),
    setRefresh: (on) => (refresh = on),
  };
}

/** create → validate → init. Throws with the validation reason when params are invalid. */
export async function start(kind: string, name: string, params: Readonly<Record<string, Value>>, h = makeContext(kind, name)): Promise<{ res: Resource; h: Harness }> {
  const impl = getKindImpl(kind);
  if (!impl) throw new Error(`kind ${kind} is not registered`);
  const res = impl.create(name, params);
  const why = res.validate();
  if (why) throw new Error(`invalid: ${why}`);
  await res.init(h.ctx);
  return { res, h };
}

/** The validation reason, or undefined when the params are valid. */
export function invalid(kind: string, name: string, params: Readonly<Record<string, Value>>): string | undefined {
  const impl = getKindImpl(kind);
  if (!impl) throw new Error(`kind ${kind} is not registered`);
  return impl.create(name, params).validate();
}

export interface WatchRecorder {
  /** performance.now() of each event; the first is the startup event. */
  readonly times: number[];
  readonly errors: Error[];
  stop(): void;
  /** Wait until more than `n` events have arrived; returns the time of event number `n` (0-based). */
  next(n: number, ms?: number): Promise<number>;
}

export async function recordWatch(res: Resource): Promise<WatchRecorder> {
  const times: number[] = [];
  const errors: Error[] = [];
  let wake: (() => void) | undefined;
  const stop = await res.watch({
    event: () => {
      times.push(performance.now());
      wake?.();
    },
    error: (e) => {
      errors.push(e);
      wake?.();
    },
  });
  return {
    times,
    errors,
    stop,
    // resolved straight from the event callback (no polling), so latencies measured with it are real
    async next(n, ms = 3000) {
      if (times.length <= n) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`timed out waiting for watch event #${n}`)), ms);
          wake = () => {
            if (times.length > n || errors.length > 0) {
              clearTimeout(timer);
              wake = undefined;
              resolve();
            }
          };
        });
      }
      if (times.length <= n) throw errors[0] ?? new Error("watch failed");
      return times[n]!;
    },
  };
}

/** Poll until `cond()` holds; fail after `ms`. No blind sleeps. */
export async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Whether process `pid` is gone (or a zombie waiting for a late reaper, which counts as gone). */
export function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return /^State:\s+Z/m.test(status);
  } catch {
    return true;
  }
}
