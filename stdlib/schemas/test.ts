/** `test` (resource-kinds-test.md): a field of every type; Groupable, Refreshable, Sendable, Recvable. */
import type { ResParams } from "../registry.js";
import { kind } from "./define.js";

/** test's Validate (resource-kinds-test.md): fails iff `validatebool` is true or `validateerror` is non-empty. */
export function validateTest(_name: string, params: ResParams): string | undefined {
  if (params["validatebool"] === true) return "the validate param was set to true";
  const ve = params["validateerror"];
  if (typeof ve === "string" && ve !== "") return ve;
  return undefined;
}

/** test's Cmp beyond equal fields: `comparefail` on either side forces inequality. */
export function cmpTest(a: ResParams, b: ResParams): string | undefined {
  return a["comparefail"] === true || b["comparefail"] === true ? "the CompareFail is true" : undefined;
}

export const TEST = kind(
  "test",
  {
    bool: "bool",
    str: "str",
    int: "int",
    int8: "int",
    int16: "int",
    int32: "int",
    int64: "int",
    uint: "int",
    uint8: "int",
    uint16: "int",
    uint32: "int",
    uint64: "int",
    byte: "int",
    rune: "int",
    float32: "float",
    float64: "float",
    boolptr: "bool",
    stringptr: "str",
    int64ptr: "int",
    int8ptr: "int",
    uint8ptr: "int",
    int8ptrptrptr: "int",
    slicestring: "[]str",
    mapintfloat: "map{int: float}",
    mixedstruct: "struct{somebool bool; somestr str; someint int; somefloat float}",
    interface: "?1",
    anotherstr: "str",
    func1: "func(int) str",
    validatebool: "bool",
    validateerror: "str",
    alwaysgroup: "bool",
    comparefail: "bool",
    sendvalue: "str",
    expectrecv: "[]str",
    onlyshow: "[]str",
    waitforerror: "int",
    comment: "str",
  },
  { sends: { hello: "str", answer: "int" }, recvable: true, traits: { autogroup: true, refresh: true }, validate: validateTest, cmp: cmpTest },
);
