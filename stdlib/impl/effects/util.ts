/**
 * Helpers shared by the effectful builtins: argument access, catchable and fatal failures, and
 * the source shapes they all use (poll, aligned tick). Every source emits its first value
 * synchronously on subscribe, so a node built mid-wave loads in that same wave (evaluator.ts
 * `subscribe`).
 */
import { Observable } from "rxjs";
import { CatchableError, hashKey, type Value } from "../../../lang/values.js";

export type Out = Value | CatchableError;

/** A string argument; a wrong type means the lowering is broken, so it is fatal. */
export function argStr(args: readonly Value[], i: number, fn: string): string {
  const v = args[i];
  if (typeof v !== "string") throw new TypeError(`${fn}: arg ${i} must be a str`);
  return v;
}

export function argInt(args: readonly Value[], i: number, fn: string): bigint {
  const v = args[i];
  if (typeof v !== "bigint") throw new TypeError(`${fn}: arg ${i} must be an int`);
  return v;
}

export function argBool(args: readonly Value[], i: number, fn: string): boolean {
  const v = args[i];
  if (typeof v !== "boolean") throw new TypeError(`${fn}: arg ${i} must be a bool`);
  return v;
}

export function argFloat(args: readonly Value[], i: number, fn: string): number {
  const v = args[i];
  if (typeof v !== "number") throw new TypeError(`${fn}: arg ${i} must be a float`);
  return v;
}

/** Go-style text of a Node fs error: `open /x: no such file or directory`. */
export function errnoText(e: unknown, op: string, path: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EISDIR: "is a directory",
    ENOTDIR: "not a directory",
    ELOOP: "too many levels of symbolic links",
  };
  return `${op} ${path}: ${(code !== undefined && why[code]) || (e as Error).message}`;
}

function outKey(v: Out): string {
  return v instanceof CatchableError ? `err:${v.message}` : hashKey(v);
}

/**
 * Read `read()` now and every `ms`, emitting only when the result changes. `read` may return a
 * CatchableError (it flows as a value) or throw (fatal: the Observable errors).
 */
export function poll$(ms: number, read: () => Out): Observable<Out> {
  return new Observable<Out>((sub) => {
    let last: string | undefined;
    const step = (): void => {
      let v: Out;
      try {
        v = read();
      } catch (e) {
        sub.error(e);
        return;
      }
      const k = outKey(v);
      if (k !== last) {
        last = k;
        sub.next(v);
      }
    };
    step();
    const t = setInterval(step, ms);
    return () => clearInterval(t);
  });
}

/**
 * Emit `f(second)` now and right after every whole-second boundary of `clock` (seconds, default
 * the wall clock, so all agents tick together). The timer is re-armed from the clock each time, so
 * it doesn't drift; an early wake-up (Node timers may fire a millisecond early) re-arms instead of
 * emitting the same second twice.
 */
export function everySecond$<T>(f: (sec: number) => T, clock: () => number = () => Date.now() / 1000): Observable<T> {
  return new Observable<T>((sub) => {
    let last = -1;
    let timer: NodeJS.Timeout | undefined;
    const fire = (): void => {
      const now = clock();
      const sec = Math.floor(now);
      if (sec !== last) {
        last = sec;
        sub.next(f(sec));
      }
      timer = setTimeout(fire, Math.ceil((sec + 1 - clock()) * 1000) + 1);
    };
    fire();
    return () => clearTimeout(timer);
  });
}

/** The fatal failure of a function that exists in the registry but not yet at run time. */
export function notImplemented(name: string): Error {
  return new Error(`${name}: not implemented yet`);
}
