/**
 * Package `encoding` (mcl-language.md §11.2): base64 (Go's StdEncoding, strict padding) and JSON
 * decoding into the call site's solved result type (from `ctx.type`).
 */
import { printType, type Type } from "../../lang/types.js";
import { isCatchable, MapValue, StructValue, wrapInt, zeroValue, type CatchableError, type Value } from "../../lang/values.js";
import { registerImpls, type ImplContext } from "../impl.js";
import { argStr, fail, retType } from "./args.js";

const B64 = /^[A-Za-z0-9+/]*$/;

/** Go base64.StdEncoding.DecodeString: `\r`/`\n` ignored, padding required. */
export function base64Decode(s: string): string | CatchableError {
  const t = s.replace(/[\r\n]/g, "");
  const body = t.replace(/=+$/, "");
  const pad = t.length - body.length;
  if (!B64.test(body)) {
    const i = [...t].findIndex((c) => !/[A-Za-z0-9+/=]/.test(c));
    return fail(`illegal base64 data at input byte ${i < 0 ? body.length : i}`);
  }
  if (t.length % 4 !== 0 || pad > 2 || (pad > 0 && body.length % 4 === 1) || (body.length % 4 !== 0 && (body.length + pad) % 4 !== 0)) {
    return fail(`illegal base64 data at input byte ${Math.min(t.length, body.length - (body.length % 4))}`);
  }
  return Buffer.from(body, "base64").toString("utf8");
}

/** Decode a parsed JSON value into `t`; `path` is for error messages. */
function fromJson(j: unknown, t: Type | undefined, path: string): Value | CatchableError {
  const mismatch = (): CatchableError =>
    fail(`json: cannot unmarshal ${j === null ? "null" : Array.isArray(j) ? "array" : typeof j} into ${path === "" ? "" : `field ${path} of `}type ${t ? printType(t) : "?"}`);
  if (t === undefined || t.k === "var" || t.k === "variant") {
    // no usable type: take the JSON value's own shape
    if (typeof j === "boolean" || typeof j === "string") return j;
    if (typeof j === "number") return Number.isInteger(j) ? BigInt(j) : j;
    if (Array.isArray(j)) return collect(j.map((x) => fromJson(x, undefined, path)));
    if (j !== null && typeof j === "object") {
      const entries: [Value, Value][] = [];
      for (const [k, v] of Object.entries(j)) {
        const x = fromJson(v, undefined, path);
        if (isErr(x)) return x;
        entries.push([k, x]);
      }
      return new MapValue(entries);
    }
    return mismatch();
  }
  switch (t.k) {
    case "bool":
      return typeof j === "boolean" ? j : mismatch();
    case "str":
      return typeof j === "string" ? j : mismatch();
    case "int":
      if (typeof j !== "number" || !Number.isInteger(j)) return mismatch();
      return wrapInt(BigInt(j));
    case "float":
      return typeof j === "number" ? j : mismatch();
    case "list": {
      if (j === null) return [];
      if (!Array.isArray(j)) return mismatch();
      return collect(j.map((x) => fromJson(x, t.elem, path)));
    }
    case "map": {
      if (j === null) return new MapValue();
      if (typeof j !== "object" || Array.isArray(j)) return mismatch();
      const entries: [Value, Value][] = [];
      for (const [k, v] of Object.entries(j as object)) {
        let key: Value | CatchableError = k;
        if (t.key.k === "int") key = /^-?\d+$/.test(k) ? BigInt(k) : mismatch();
        else if (t.key.k !== "str") return fail(`json: unsupported map key type ${printType(t.key)}`);
        const val = fromJson(v, t.val, path);
        if (isErr(key)) return key;
        if (isErr(val)) return val;
        entries.push([key, val]);
      }
      return new MapValue(entries);
    }
    case "struct": {
      if (typeof j !== "object" || j === null || Array.isArray(j)) return mismatch();
      const o = j as Record<string, unknown>;
      const fields: [string, Value][] = [];
      for (const f of t.fields) {
        // encoding/json matches field names case-insensitively
        const key = Object.keys(o).find((k) => k === f.name) ?? Object.keys(o).find((k) => k.toLowerCase() === f.name.toLowerCase());
        const v = key === undefined ? zero(f.type) : fromJson(o[key], f.type, path === "" ? f.name : `${path}.${f.name}`);
        if (isErr(v)) return v;
        fields.push([f.name, v]);
      }
      return new StructValue(fields);
    }
    default:
      return fail(`json: cannot decode into type ${printType(t)}`);
  }
}

function isErr(v: Value | CatchableError): v is CatchableError {
  return isCatchable(v);
}

function collect(xs: (Value | CatchableError)[]): Value | CatchableError {
  for (const x of xs) if (isErr(x)) return x;
  return xs as Value[];
}

/** The zero value of a type (a missing JSON struct field); "" where the type has none. */
export function zero(t: Type): Value {
  return zeroValue(t) ?? "";
}

function decodeJson(args: readonly Value[], ctx: ImplContext): Value | CatchableError {
  const data = argStr(args, 0);
  let j: unknown;
  try {
    j = JSON.parse(data);
  } catch (e) {
    return fail(`json: ${(e as Error).message}`);
  }
  return fromJson(j, retType(ctx), "");
}

registerImpls({
  "encoding.base64_encode": { effect: "pure", call: (args) => Buffer.from(argStr(args, 0), "utf8").toString("base64") },
  "encoding.base64_decode": { effect: "pure", call: (args) => base64Decode(argStr(args, 0)) },
  "encoding.decode_json": { effect: "pure", call: decodeJson },
  "encoding.decode_json_flexible": { effect: "pure", call: decodeJson },
});
