/**
 * `test` (resource-kinds-test.md; mgmt engine/resources/test.go): a field of every type for
 * exercising the language, send/recv and the engine. Groupable (iff `alwaysgroup`), refreshable,
 * sendable, recvable.
 *
 * - validate fails iff `validatebool` (`the validate param was set to true`) or `validateerror`
 *   is non-empty (its text is the reason).
 * - checkApply logs one line per field, `GoName: value` in Go's `%v` style, filtered by
 *   `onlyshow` (Go or lang names; empty = all); logs a received refresh; sends
 *   `{hello: sendvalue, answer: 42}`; fails when `expectrecv` is set and differs from the set of
 *   fields received; with `waitforerror` N > 0 waits N ms and then fails (abortable). Otherwise it
 *   returns true: the test resource changes nothing.
 * - Any field can receive; received values replace the declared ones before logging.
 *
 * Not expressible through the Resource API: `comparefail` (forcing inequality on a graph swap is
 * the engine's `Cmp`; the field is accepted and logged) and mgmt's dummy Background ticker.
 */
import { MapValue, StructValue, isFunc, isList, type Value } from "../../lang/values.js";
import { registerKind, type GroupMember, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { boolField, intField, sleep, startupOnlyWatch, strField, strListField, withReceived, type Params } from "./param-fields.js";

/** lang name → Go field name, in the order mgmt logs them (resource-kinds-test.md table). */
export const TEST_FIELDS: readonly (readonly [lang: string, go: string])[] = [
  ["bool", "Bool"],
  ["str", "Str"],
  ["int", "Int"],
  ["int8", "Int8"],
  ["int16", "Int16"],
  ["int32", "Int32"],
  ["int64", "Int64"],
  ["uint", "Uint"],
  ["uint8", "Uint8"],
  ["uint16", "Uint16"],
  ["uint32", "Uint32"],
  ["uint64", "Uint64"],
  ["byte", "Byte"],
  ["rune", "Rune"],
  ["float32", "Float32"],
  ["float64", "Float64"],
  ["boolptr", "BoolPtr"],
  ["stringptr", "StringPtr"],
  ["int64ptr", "Int64Ptr"],
  ["int8ptr", "Int8Ptr"],
  ["uint8ptr", "Uint8Ptr"],
  ["int8ptrptrptr", "Int8PtrPtrPtr"],
  ["slicestring", "SliceString"],
  ["mapintfloat", "MapIntFloat"],
  ["mixedstruct", "MixedStruct"],
  ["interface", "Interface"],
  ["anotherstr", "AnotherStr"],
  ["func1", "Func1"],
  ["validatebool", "ValidateBool"],
  ["validateerror", "ValidateError"],
  ["alwaysgroup", "AlwaysGroup"],
  ["comparefail", "CompareFail"],
  ["sendvalue", "SendValue"],
  ["expectrecv", "ExpectRecv"],
  ["onlyshow", "OnlyShow"],
  ["waitforerror", "WaitForError"],
  ["comment", "Comment"],
];

/** Go's zero value printed with %v, for unset non-pointer fields. */
const GO_ZERO: Readonly<Record<string, string>> = {
  bool: "false",
  str: "",
  slicestring: "[]",
  mapintfloat: "map[]",
  mixedstruct: "{false  0 0}",
  anotherstr: "",
  validatebool: "false",
  validateerror: "",
  alwaysgroup: "false",
  comparefail: "false",
  sendvalue: "",
  onlyshow: "[]",
  comment: "",
};

/** A value printed like Go's `%v`: `[a b]`, `map[1:2.5]`, `{true x 1 2.5}`. */
export function goFormat(v: Value): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : String(v);
  if (isList(v)) return `[${v.map(goFormat).join(" ")}]`;
  if (v instanceof MapValue) return `map[${[...v].map(([k, x]) => `${goFormat(k)}:${goFormat(x)}`).join(" ")}]`;
  if (v instanceof StructValue) return `{${v.values.map(goFormat).join(" ")}}`;
  if (isFunc(v)) return "<func>";
  return String(v);
}

function fieldLine(params: Params, lang: string, go: string): string {
  const v = params[lang];
  if (v !== undefined) return `${go}: ${goFormat(v)}`;
  // unset pointers print as <nil> in Go; numbers as 0
  return `${go}: ${GO_ZERO[lang] ?? (lang.endsWith("ptr") || lang === "interface" || lang === "func1" || lang === "expectrecv" ? "<nil>" : "0")}`;
}

interface Member {
  readonly name: string;
  readonly base: Params;
  params: Params;
}

function validateParams(p: Params): string | undefined {
  if (boolField(p, "validatebool")) return "the validate param was set to true";
  const e = strField(p, "validateerror");
  return e !== "" ? e : undefined;
}

export class TestResource implements Resource {
  readonly #members: Member[];
  #ctx: ResourceContext | undefined;

  constructor(members: readonly GroupMember[]) {
    this.#members = members.map((m) => ({ name: m.name, base: m.params, params: m.params }));
  }

  /** The current params of the vertex's own member, received values included. */
  get params(): Params {
    return this.#members[0]?.params ?? {};
  }

  /** Also re-run by the engine after send/recv changed a field, so it reads the received values. */
  validate(): string | undefined {
    const own = this.#members[0];
    if (own) own.params = withReceived(own.base, this.#ctx);
    for (const m of this.#members) {
      const why = validateParams(m.params);
      if (why !== undefined) return this.#members.length > 1 ? `test[${m.name}]: ${why}` : why;
    }
    return undefined;
  }
  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }
  watch(sink: WatchSink): Promise<() => void> {
    return startupOnlyWatch(sink);
  }

  async checkApply(_apply: boolean, signal: AbortSignal): Promise<boolean> {
    const ctx = this.#ctx;
    const own = this.#members[0];
    if (!ctx || !own) throw new Error("test: checkApply before init");
    const why = this.validate();
    if (why !== undefined) throw new Error(why);

    if (ctx.refresh()) ctx.log.info("received a notification!");
    for (const m of this.#members) this.#logFields(m, m === own);

    const p = own.params;
    ctx.send({ hello: strField(p, "sendvalue"), answer: 42n });

    const expect = strListField(p, "expectrecv");
    if (expect !== undefined) {
      const got = [...ctx.recv().keys()].sort();
      const want = [...new Set(expect)].sort();
      if (got.length !== want.length || got.some((k, i) => k !== want[i])) {
        throw new Error(`the received keys differ from expected, got: [${got.join(" ")}], expected: [${want.join(" ")}]`);
      }
    }

    const wait = intField(p, "waitforerror", 0n);
    if (wait > 0n) {
      await sleep(Number(wait), signal);
      throw new Error(`the waitforerror timer expired after ${wait}ms`);
    }
    return true;
  }

  #logFields(m: Member, own: boolean): void {
    const only = new Set(strListField(m.params, "onlyshow") ?? []);
    const prefix = own ? "" : `test[${m.name}] `;
    for (const [lang, go] of TEST_FIELDS) {
      if (only.size > 0 && !only.has(go) && !only.has(lang)) continue;
      this.#ctx?.log.info(prefix + fieldLine(m.params, lang, go));
    }
  }

  async cleanup(): Promise<void> {}
}

export const testKind: KindImpl = {
  kind: "test",
  create: (name, params) => new TestResource([{ name, params }]),
  refreshable: true,
  recvable: true,
  sends: ["hello", "answer"],
  // §2.6: the parent decides; a test accepts any other test when it has `alwaysgroup`.
  groupCmp: (a, _b) => boolField(a.params, "alwaysgroup"),
  createGroup: (members) => new TestResource(members),
};

registerKind(testKind);
