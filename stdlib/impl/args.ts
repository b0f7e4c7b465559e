/**
 * Helpers shared by the pure builtin implementations: typed access to call arguments (the checker
 * guarantees the kinds, so a mismatch is an internal error and throws), catchable-error
 * construction, and the Go string facts the wrappers need (Go strings are UTF-8 bytes, so lengths
 * and indices are byte counts — mcl-language.md §13 "Semantics are those of the Go function").
 */
import { CatchableError, isFunc, isMap, isStruct, type FuncValue, type MapValue, type StructValue, type Value } from "../../lang/values.js";
import type { Type } from "../../lang/types.js";
import type { ImplContext } from "../impl.js";

function bad(args: readonly Value[], i: number, want: string): never {
  throw new Error(`internal error: arg ${i} is not a ${want}: ${String(args[i])}`);
}

export function argStr(args: readonly Value[], i: number): string {
  const v = args[i];
  return typeof v === "string" ? v : bad(args, i, "str");
}
export function argInt(args: readonly Value[], i: number): bigint {
  const v = args[i];
  return typeof v === "bigint" ? v : bad(args, i, "int");
}
export function argFloat(args: readonly Value[], i: number): number {
  const v = args[i];
  return typeof v === "number" ? v : bad(args, i, "float");
}
export function argBool(args: readonly Value[], i: number): boolean {
  const v = args[i];
  return typeof v === "boolean" ? v : bad(args, i, "bool");
}
export function argList(args: readonly Value[], i: number): readonly Value[] {
  const v = args[i];
  return Array.isArray(v) ? (v as readonly Value[]) : bad(args, i, "list");
}
export function argStrList(args: readonly Value[], i: number): readonly string[] {
  const l = argList(args, i);
  for (const x of l) if (typeof x !== "string") bad(args, i, "[]str");
  return l as readonly string[];
}
export function argMap(args: readonly Value[], i: number): MapValue {
  const v = args[i];
  return v !== undefined && isMap(v) ? v : bad(args, i, "map");
}
export function argStruct(args: readonly Value[], i: number): StructValue {
  const v = args[i];
  return v !== undefined && isStruct(v) ? v : bad(args, i, "struct");
}
export function argFunc(args: readonly Value[], i: number): FuncValue {
  const v = args[i];
  return v !== undefined && isFunc(v) ? v : bad(args, i, "func");
}

/** A catchable runtime error (§8). */
export function fail(message: string): CatchableError {
  return new CatchableError(message);
}

/** Clamp a bigint to a JS number (for counts/indices that are meaningless beyond 2^53). */
export function toNum(n: bigint): number {
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : n < BigInt(Number.MIN_SAFE_INTEGER) ? Number.MIN_SAFE_INTEGER : Number(n);
}

/** The solved return type of the call site; `ctx.type` is the solved func type (or, tolerated, the return type itself). */
export function retType(ctx: ImplContext): Type | undefined {
  const t = ctx.type;
  return t?.k === "func" ? t.ret : t;
}

/** The solved type of param `i` of the call site, when ctx.type is a func type. */
export function paramType(ctx: ImplContext, i: number): Type | undefined {
  const t = ctx.type;
  return t?.k === "func" ? t.params[i]?.type : undefined;
}

// ---------------------------------------------------------------------------------------------
// Go string facts

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Go `len(s)`: the UTF-8 byte length. */
export function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Go `s[lo:hi]` on the UTF-8 bytes; a cut through a multi-byte rune decodes as U+FFFD. */
export function byteSlice(s: string, lo: number, hi?: number): string {
  const b = enc.encode(s);
  return dec.decode(b.subarray(lo, hi));
}

/** Convert a UTF-16 index into `s` to a Go byte index (-1 stays -1). */
export function byteIndex(s: string, jsIndex: number): number {
  return jsIndex < 0 ? -1 : utf8Len(s.slice(0, jsIndex));
}

/** Go's unicode.IsSpace. */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

/** Go's strings.TrimSpace (Unicode white space; unlike JS trim(), U+FEFF is kept and U+0085 trimmed). */
export function goTrimSpace(s: string): string {
  const cps = [...s];
  let i = 0, j = cps.length;
  while (i < j && isGoSpace(cps[i]!.codePointAt(0)!)) i++;
  while (j > i && isGoSpace(cps[j - 1]!.codePointAt(0)!)) j--;
  return cps.slice(i, j).join("");
}

/** Go's strings.Split / SplitN / SplitAfter(N): `n < 0` all, `n == 0` none, `sep == ""` splits runes. */
export function goSplit(s: string, sep: string, n: number, after = false): string[] {
  if (n === 0) return [];
  if (sep === "") {
    const runes = [...s];
    if (n < 0 || n > runes.length) n = runes.length;
    const out = runes.slice(0, n - 1);
    out.push(runes.slice(n - 1).join(""));
    return runes.length === 0 ? [] : out;
  }
  const out: string[] = [];
  let start = 0;
  while (n < 0 || out.length < n - 1) {
    const i = s.indexOf(sep, start);
    if (i < 0) break;
    out.push(s.slice(start, after ? i + sep.length : i));
    start = i + sep.length;
  }
  out.push(s.slice(start));
  return out;
}

/** Go's per-rune simple case mapping (JS's full mapping would turn `ß` into `SS`). */
function mapRunes(s: string, f: (ch: string) => string): string {
  let out = "";
  for (const ch of s) {
    const m = f(ch);
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}
export function goToUpper(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s.toUpperCase() : mapRunes(s, (c) => c.toUpperCase());
}
export function goToLower(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : mapRunes(s, (c) => (c === "\u0130" ? "i" : c.toLowerCase()));
}
