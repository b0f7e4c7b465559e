/** Table-test helpers for the builtin implementations (stdlib/impl/*). */
import * as assert from "node:assert/strict";
import { test } from "node:test";
import "../../stdlib/impl/pure.js";
import { getImpl, type ImplContext } from "../../stdlib/impl.js";
import type { Type } from "../../lang/types.js";
import { isCatchable, printValue, valueEquals, type CatchableError, type Value } from "../../lang/values.js";

export const ctx: ImplContext = { hostname: "", world: undefined as never, stateDir: "/tmp", moduleDir: "/tmp" };

export function call(name: string, args: readonly Value[], type?: Type, hostname = ""): Value | CatchableError {
  const impl = getImpl(name);
  if (!impl) throw new Error(`no implementation of ${name}`);
  if (impl.effect === "source") throw new Error(`${name} is a source`);
  return impl.call(args, { ...ctx, hostname, ...(type ? { type } : {}) });
}

/** Expected error: the catchable error's message must contain `err`. */
export interface Err {
  readonly err: string;
}

export type Case = readonly [name: string, args: readonly Value[], want: Value | Err, type?: Type];

function show(v: Value | CatchableError): string {
  return isCatchable(v) ? `CatchableError(${v.message})` : printValue(v);
}

export function check([name, args, want, type]: Case): void {
  const got = call(name, args, type);
  if (typeof want === "object" && want !== null && "err" in want && !Array.isArray(want)) {
    assert.ok(isCatchable(got), `${name}(${args.map(printValue).join(", ")}): want error ${want.err}, got ${show(got)}`);
    assert.ok(got.message.includes((want as Err).err), `${name}: error ${JSON.stringify(got.message)} lacks ${JSON.stringify((want as Err).err)}`);
    return;
  }
  assert.ok(!isCatchable(got), `${name}(${args.map(printValue).join(", ")}): unexpected error ${show(got)}`);
  assert.ok(valueEquals(got, want as Value) && (typeof got !== "number" || Object.is(got, want) || Number.isNaN(got)), `${name}(${args.map(printValue).join(", ")}): got ${show(got)}, want ${show(want as Value)}`);
}

/** One `node:test` per function name, each running its rows. */
export function table(title: string, cases: readonly Case[]): void {
  const byName = new Map<string, Case[]>();
  for (const c of cases) {
    const l = byName.get(c[0]) ?? [];
    l.push(c);
    byName.set(c[0], l);
  }
  for (const [name, rows] of byName) test(`${title}: ${name}`, () => rows.forEach(check));
}

export const err = (e: string): Err => ({ err: e });
