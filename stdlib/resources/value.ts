/**
 * `value` (engine-reference.md §10, resource-kinds-test.md): holds `any` and writes it into the
 * per-host value store (runtime/local) under the resource's name, which is what the mcl
 * `value.get*` functions read: the way to feed a value produced at run time (usually received
 * along a send/recv edge) back into the language. Sendable and recvable on `any`.
 *
 * CheckApply: the latest received value, else the declared one, is compared with the store entry
 * `name`; written when different (`false`); always sent as `any` (in noop mode too). With neither a declared nor a
 * received value the store is left alone and nothing is sent. Watch follows the store entry, so
 * another writer in this process is noticed and corrected.
 *
 * @example value "answer" { any => 42, }   # value.get_int("answer") → struct{value => 42, ready => true}
 */
import { isFunc, isList, isMap, isStruct, printValue, valueEquals, type Value } from "../../lang/values.js";
import { registerKind, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { openLocal, type ValueStore } from "../../runtime/local/index.js";
import { withReceived, type Params } from "./param-fields.js";

function containsFunc(v: Value): boolean {
  if (isFunc(v)) return true;
  if (isList(v)) return v.some(containsFunc);
  if (isMap(v)) return [...v].some(([k, x]) => containsFunc(k) || containsFunc(x));
  if (isStruct(v)) return v.values.some(containsFunc);
  return false;
}

export class ValueResource implements Resource {
  readonly #base: Params;
  #any: Value | undefined;
  #ctx: ResourceContext | undefined;

  constructor(
    readonly name: string,
    params: Params,
  ) {
    this.#base = params;
    this.#any = params.any;
  }

  /** The value this resource currently holds (received or declared). */
  get any(): Value | undefined {
    return this.#any;
  }

  /** Also re-run by the engine after send/recv changed a field, so it reads the received values. */
  validate(): string | undefined {
    this.#any = withReceived(this.#base, this.#ctx).any;
    if (this.#any !== undefined && containsFunc(this.#any)) return "a func value can't be stored";
    return undefined;
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  #store(): ValueStore {
    if (!this.#ctx) throw new Error("value: used before init");
    return openLocal(this.#ctx.stateDir).values;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    // The store's watch emits the current entry on subscribe: that is the startup event.
    const sub = this.#store()
      .watch(this.name)
      .subscribe({ next: () => sink.event(), error: (e: unknown) => sink.error(e instanceof Error ? e : new Error(String(e))) });
    return () => sub.unsubscribe();
  }

  async checkApply(apply: boolean, _signal?: AbortSignal): Promise<boolean> {
    const ctx = this.#ctx;
    if (!ctx) throw new Error("value: checkApply before init");
    const bad = this.validate();
    if (bad !== undefined) throw new Error(bad);
    const v = this.#any;
    if (v === undefined) return true;
    const store = this.#store();
    const stored = store.get(this.name);
    let ok = true;
    if (stored === undefined || !valueEquals(stored, v)) {
      if (!apply) {
        ctx.send({ any: v }); // receivers plan with the value this resource would store
        return false;
      }
      store.set(this.name, v);
      ctx.log.info(`stored ${printValue(v)}`);
      ok = false;
    }
    ctx.send({ any: v });
    return ok;
  }

  async cleanup(): Promise<void> {}
}

export const valueKind: KindImpl = {
  kind: "value",
  create: (name, params) => new ValueResource(name, params),
  sends: ["any"],
  recvable: true,
};

registerKind(valueKind);
