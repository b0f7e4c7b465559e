/**
 * The program side of `steward run --seeds/--etcd`: run the newest deploy of the cluster and switch
 * to each new one live (engine-reference.md §6.4 "deploy watcher"; issue 6 §2).
 *
 * Each deploy is written below the state directory (deploy-files.ts `materializeDeploy`) and run by
 * its own ProgramLoop, exactly like a local program: the engine receives the new deploy's graphs
 * and swaps them in, so resources that did not change keep running (no restart). The running
 * deploy stays until the next one has compiled; a deploy that does not compile (`deploy` refuses
 * those, but an older Steward or a hand-written key may not) is reported and skipped.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Subscription } from "rxjs";
import type { Deploy, World } from "../world/world.js";
import { materializeDeploy } from "./deploy-files.js";
import { ProgramLoop, type ProgramLoopHandlers, type ProgramLoopOptions } from "./run-program-loop.js";

export interface DeployLoopHandlers extends ProgramLoopHandlers {
  /** a deploy arrived (`undefined`: the cluster has none yet) */
  deploy(d: { readonly id: number; readonly entry: string } | undefined): void;
  /** a deploy could not be written to disk */
  failed(id: number, message: string): void;
}

interface Running {
  readonly id: number;
  readonly loop: ProgramLoop;
  readonly dir: string;
}

export class DeployLoop {
  #sub: Subscription | undefined;
  #current: Running | undefined;
  #pending: Running | undefined;
  #stopped = false;

  constructor(
    private readonly world: World,
    /** `<prefix>/deploys`: one directory per deploy id */
    private readonly base: string,
    private readonly opts: ProgramLoopOptions,
    private readonly on: DeployLoopHandlers,
  ) {}

  start(): void {
    this.#sub = this.world.watchDeploy().subscribe((d) => this.#offer(d));
  }

  stop(): void {
    this.#stopped = true;
    this.#sub?.unsubscribe();
    this.#pending?.loop.stop();
    this.#current?.loop.stop();
    this.#pending = this.#current = undefined;
  }

  /** The id of the deploy whose graphs the engine receives (tests). */
  get running(): number | undefined {
    return this.#current?.id;
  }

  #offer(d: Deploy | undefined): void {
    if (this.#stopped) return;
    const newest = Math.max(this.#current?.id ?? 0, this.#pending?.id ?? 0);
    if (d !== undefined && d.id <= newest) return;
    this.on.deploy(d === undefined ? undefined : { id: d.id, entry: d.entry });
    if (d === undefined) return;
    let entry: string;
    try {
      entry = materializeDeploy(this.base, d);
    } catch (e) {
      this.on.failed(d.id, (e as Error).message);
      return;
    }
    this.#drop(this.#pending);
    let r: Running; // the handlers close over it; assigned once the loop exists
    const loop = new ProgramLoop(entry, this.opts, {
      compiled: (o) => {
        const cause = o.cause === "start" ? `deploy ${d.id}` : o.cause;
        if (o.ok && this.#pending === r) {
          // It compiled: it replaces the running deploy (whose sources stop now).
          this.#pending = undefined;
          this.#drop(this.#current);
          this.#current = r;
        } else if (!o.ok && this.#pending === r) {
          this.#pending = undefined;
          this.#drop(r);
        }
        this.on.compiled({ ...o, cause });
      },
      graph: (g) => {
        if (this.#current === r) this.on.graph(g);
      },
      problem: (ds, source, fatal) => {
        if (this.#current === r) this.on.problem(ds, source, fatal);
      },
    });
    r = { id: d.id, dir: join(this.base, String(d.id)), loop };
    this.#pending = r;
    loop.start();
  }

  /** Stop a deploy's program and remove its files. */
  #drop(r: Running | undefined): void {
    if (!r) return;
    r.loop.stop();
    rmSync(r.dir, { recursive: true, force: true });
  }
}
