/**
 * `fmt.printf` (mcl-language.md §10): the format literal decides the arg count and types.
 * Verbs: %t bool, %s str, %q str, %d int, %f float, %v any, %T any, %% literal. Go-style flags,
 * width and precision (`%-5.2f`) are accepted. A non-literal format gives one free var per arg.
 */
import { T, kindName, type Type } from "../../lang/types.js";
import type { BuiltinFunc } from "../registry.js";
import { argName, fn, funcType } from "./define.js";

/** The verb letters of a format string (without `%%`), or an error. */
export function parseFormatVerbs(format: string): readonly string[] | { readonly error: string } {
  // A program repeats its literal formats, and printf's signature is refined per call instance:
  // the parse is cached per format string (bounded, since a running agent recompiles on edits).
  let r = formatCache.get(format);
  if (r === undefined) {
    if (formatCache.size >= 10_000) formatCache.clear();
    r = parseVerbs(format);
    formatCache.set(format, r);
  }
  return r;
}

const formatCache = new Map<string, readonly string[] | { readonly error: string }>();

function parseVerbs(format: string): readonly string[] | { readonly error: string } {
  const verbs: string[] = [];
  const re = /%([-+# 0]*)(\d*)(?:\.(\d*))?(.?)/gsu;
  for (const m of format.matchAll(re)) {
    const verb = m[4] ?? "";
    if (verb === "%" && m[1] === "" && m[2] === "" && m[3] === undefined) continue;
    if (verb === "") return { error: "format string ends with a lone %" };
    if (!(verb in VERB_TYPES)) return { error: `unsupported format verb: %${verb}` };
    verbs.push(verb);
  }
  return verbs;
}

const VERB_TYPES: Readonly<Record<string, Type | undefined>> = {
  t: T.bool,
  s: T.str,
  q: T.str,
  d: T.int,
  f: T.float,
  v: undefined, // any
  T: undefined, // any
};

const printf = fn("fmt", "printf", undefined, "P", {
  infer: (args, fresh) => {
    if (args.length === 0) return { error: "printf: missing format string" };
    const format = args[0]!.value;
    const params: [string, Type][] = [["format", T.str]];
    if (typeof format !== "string") {
      for (let i = 1; i < args.length; i++) params.push([argName(i - 1), fresh()]);
      return funcType(params, T.str);
    }
    const verbs = parseFormatVerbs(format);
    if ("error" in verbs) return verbs;
    if (verbs.length !== args.length - 1) {
      return { error: `number of args (${args.length - 1}) doesn't match format string verb count (${verbs.length})` };
    }
    for (let i = 0; i < verbs.length; i++) {
      const want = VERB_TYPES[verbs[i]!] ?? fresh();
      const have = args[i + 1]!.type;
      if (have !== undefined && have.k !== "var" && want.k !== "var" && have.k !== want.k) {
        return { error: `inconsistent type at arg index ${i + 1}: type error: ${kindName(have)} != ${kindName(want)}` };
      }
      params.push([argName(i), want]);
    }
    return funcType(params, T.str);
  },
});

export const FMT: readonly BuiltinFunc[] = [printf];
