/**
 * The converger (engine-reference.md §5), simplified to one notion per vertex: a vertex is *idle*
 * when its watch is up and it has no pending, running or retrying work and its state is known
 * clean (in noop mode: checked since its last event), or when it is dead or blocked behind a dead
 * parent. The whole graph is converged for T ms when every vertex is idle, no swap is in progress,
 * and nothing became idle (no activity) during the last T ms. Each idle/busy transition is
 * O(1); `convergedFor` subscribers re-evaluate on transitions and arm one timer.
 */
import { Observable, Subject } from "rxjs";

export class Converger {
  readonly #busy = new Set<object>();
  #lastActivity = performance.now();
  #running = false;
  #paused = false;
  readonly #changes = new Subject<void>();
  #queued = false;

  /** Record a vertex's idle state (call on transitions). */
  setIdle(who: object, idle: boolean): void {
    if (idle) {
      if (!this.#busy.delete(who)) return;
      this.#lastActivity = performance.now();
    } else {
      if (this.#busy.has(who)) return;
      this.#busy.add(who);
    }
    this.#notify();
  }

  /**
   * Subscribers re-evaluate once per microtask checkpoint, not once per transition: a wave over
   * 1,000 vertices makes thousands of transitions, and re-arming a timer for each was a fifth of
   * a no-change run's engine time. It also hides busy→idle→busy blips within one synchronous span.
   */
  #notify(): void {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#changes.next();
    });
  }

  /** A vertex left the graph. */
  remove(who: object): void {
    this.#busy.delete(who);
  }

  /** Around a swap: not converged while paused; activity is counted from resume. */
  pause(): void {
    this.#paused = true;
    this.#changes.next();
  }
  resume(activity: boolean): void {
    this.#paused = false;
    this.#running = true;
    if (activity) this.#lastActivity = performance.now();
    this.#changes.next();
  }
  stop(): void {
    this.#running = false;
    this.#changes.next();
    this.#changes.complete();
  }

  /** Emits `true` once everything has been idle for `timeoutMs`, `false` when that stops (transitions only; the implicit start is `false`). */
  convergedFor(timeoutMs: number): Observable<boolean> {
    return new Observable<boolean>((sub) => {
      let state = false;
      let timer: NodeJS.Timeout | undefined;
      const set = (b: boolean): void => {
        if (b !== state) {
          state = b;
          sub.next(b);
        }
      };
      const check = (): void => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (!this.#running || this.#paused || this.#busy.size > 0) return set(false);
        const due = this.#lastActivity + timeoutMs - performance.now();
        if (due <= 0) return set(true);
        set(false);
        timer = setTimeout(check, Math.ceil(due));
      };
      const s = this.#changes.subscribe({ next: check, complete: () => sub.complete() });
      check();
      return () => {
        s.unsubscribe();
        if (timer) clearTimeout(timer);
      };
    });
  }
}
