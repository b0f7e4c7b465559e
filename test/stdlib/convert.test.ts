import { err, table } from "./helpers.js";

table("convert", [
  ["convert.format_bool", [true], "true"],
  ["convert.parse_bool", ["T"], true],
  ["convert.parse_bool", ["0"], false],
  ["convert.parse_bool", ["yes"], err('strconv.ParseBool: parsing "yes": invalid syntax')],
  ["convert.str_to_float", ["3.25"], 3.25],
  ["convert.str_to_float", ["1e400"], err('strconv.ParseFloat: parsing "1e400": value out of range')],
  ["convert.str_to_float", ["-Inf"], -Infinity],
  ["convert.str_to_float", ["x"], err("invalid syntax")],
  ["convert.str_to_int", ["-42"], -42n],
  ["convert.str_to_int", ["9223372036854775808"], err("value out of range")],
  ["convert.str_to_int", ["0x10"], err('strconv.ParseInt: parsing "0x10": invalid syntax')],
  ["convert.to_float", [3n], 3],
  ["convert.to_int", [-3.9], -3n],
  ["convert.to_int", [NaN], -(2n ** 63n)],
  ["convert.int_to_str", [-7n], "-7"],
]);
