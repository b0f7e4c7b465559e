import { parseType } from "../../lang/type-parse.js";
import { MapValue, StructValue } from "../../lang/values.js";
import { err, table } from "./helpers.js";

const fn = (ret: string) => parseType(`func(data str) ${ret}`);

table("encoding", [
  ["encoding.base64_encode", ["hello"], "aGVsbG8="],
  ["encoding.base64_decode", ["aGVsbG8="], "hello"],
  ["encoding.base64_decode", ["aGVsbG8"], err("illegal base64 data at input byte")],
  ["encoding.base64_decode", ["a$=="], err("illegal base64 data at input byte 1")],
  ["encoding.decode_json", ['{"a": [1, 2]}'], new MapValue([["a", [1n, 2n]]]), fn("map{str: []int}")],
  ["encoding.decode_json", ['{"a": 1.5}'], new MapValue([["a", 1.5]]), fn("map{str: float}")],
  ["encoding.decode_json", ['{"Name": "x"}'], new StructValue([["name", "x"], ["age", 0n]]), fn("struct{name str; age int}")],
  ["encoding.decode_json", ['"s"'], err("cannot unmarshal string into type int"), fn("int")],
  ["encoding.decode_json", ["{"], err("json:"), fn("int")],
  ["encoding.decode_json_flexible", ["[true]"], [true], fn("[]bool")],
]);
