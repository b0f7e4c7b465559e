/**
 * `fmt.printf` (mcl-language.md §10): `%t %s %q %d %f %v %T %%` with Go's flags, width and
 * precision. Unlike Go, `%f` without a precision prints the shortest exact form (`4`, `3.14`),
 * and `%v` prints floats the same way and composites with mcl's `printValue`. A non-literal
 * format is checked at run time; mismatches print Go's `%!d(MISSING)` / `%!d(str=x)` markers.
 */
import { isConcrete, printType } from "../../lang/types.js";
import { formatFloat, printValue, valueType, type Value } from "../../lang/values.js";
import { registerImpls, type ImplContext } from "../impl.js";
import { argStr, paramType } from "./args.js";
import { goCanBackquote, goQuote } from "./go-strconv.js";

interface Spec {
  readonly minus: boolean;
  readonly plus: boolean;
  readonly sharp: boolean;
  readonly space: boolean;
  readonly zero: boolean;
  readonly width: number | undefined;
  readonly prec: number | undefined;
}

const VERB_KIND: Readonly<Record<string, string>> = { t: "boolean", s: "string", q: "string", d: "bigint", f: "number" };

function typeName(v: Value, ctx: ImplContext, argIndex: number): string {
  const t = paramType(ctx, argIndex + 1);
  if (t !== undefined && isConcrete(t)) return printType(t);
  const vt = valueType(v);
  return vt ? printType(vt) : "?";
}

/** Go fmt's `%f` with a precision; beyond toFixed's range fall back to the exact shortest form. */
function fixed(f: number, prec: number): string {
  if (!Number.isFinite(f)) return formatFloat(f);
  if (Math.abs(f) >= 1e21 || prec > 100) return formatFloat(f);
  return f.toFixed(prec);
}

function signed(body: string, negative: boolean, s: Spec): string {
  return negative ? "-" + body : s.plus ? "+" + body : s.space ? " " + body : body;
}

function pad(str: string, s: Spec, zeroOk: boolean): string {
  if (s.width === undefined) return str; // before counting code points: most verbs have no width
  const n = [...str].length;
  if (n >= s.width) return str;
  const fill = s.width - n;
  if (s.minus) return str + " ".repeat(fill);
  if (s.zero && zeroOk) {
    const m = /^[+\- ]/.exec(str);
    const sign = m ? m[0] : "";
    return sign + "0".repeat(fill) + str.slice(sign.length);
  }
  return " ".repeat(fill) + str;
}

function formatOne(verb: string, v: Value, s: Spec, ctx: ImplContext, i: number): string {
  switch (verb) {
    case "t":
      return pad(v ? "true" : "false", s, false);
    case "s": {
      const str = v as string;
      return pad(s.prec === undefined ? str : [...str].slice(0, s.prec).join(""), s, false);
    }
    case "q": {
      const str = v as string;
      if (s.sharp && goCanBackquote(str)) return pad("`" + str + "`", s, false);
      return pad(goQuote(str, s.plus ? "ascii" : "print"), s, false);
    }
    case "d": {
      const n = v as bigint;
      let digits = (n < 0n ? -n : n).toString();
      if (s.prec !== undefined) digits = s.prec === 0 && n === 0n ? "" : digits.padStart(s.prec, "0");
      return pad(signed(digits, n < 0n, s), s, s.prec === undefined);
    }
    case "f": {
      const f = v as number;
      const neg = f < 0 || Object.is(f, -0);
      const body = s.prec === undefined ? formatFloat(Math.abs(f)) : fixed(Math.abs(f), s.prec);
      return pad(Number.isNaN(f) ? (s.plus ? "+NaN" : "NaN") : signed(body.replace(/^\+/, ""), neg, s), s, Number.isFinite(f));
    }
    case "v":
      switch (typeof v) {
        case "string":
          return pad(v, s, false);
        case "boolean":
          return pad(String(v), s, false);
        case "bigint":
          return pad(signed((v < 0n ? -v : v).toString(), v < 0n, s), s, true);
        case "number":
          return pad(formatFloat(v), s, Number.isFinite(v));
        default:
          return pad(printValue(v), s, false);
      }
    case "T":
      return pad(typeName(v, ctx, i), s, false);
  }
  return `%!${verb}(${printValue(v)})`;
}

const VERB_RE = /%([-+# 0]*)(\d*)(?:\.(\d*))?(.?)/gsu;

/** A parsed format: literal text, then one directive, …; `verb` "" is a bare `%` at the end. */
interface Directive {
  readonly text: string;
  readonly verb: string;
  readonly spec: Spec;
  /** `%%` */
  readonly percent: boolean;
}
interface Parsed {
  readonly directives: readonly Directive[];
  readonly tail: string;
}

/**
 * Parsed formats by text. A format is almost always a literal, so a program has a handful and
 * each `printf` node formats with the same one on every change: parsing it once saves the regexp
 * scan and the flag objects (¼ of a call). Bounded: cleared when it grows past 256 formats.
 */
const parsedFormats = new Map<string, Parsed>();

function parseFormat(format: string): Parsed {
  const hit = parsedFormats.get(format);
  if (hit) return hit;
  const directives: Directive[] = [];
  let last = 0;
  for (const m of format.matchAll(VERB_RE)) {
    const text = format.slice(last, m.index);
    last = m.index + m[0].length;
    const flags = m[1] ?? "";
    const verb = m[4] ?? "";
    const spec: Spec = {
      minus: flags.includes("-"),
      plus: flags.includes("+"),
      sharp: flags.includes("#"),
      space: flags.includes(" "),
      zero: flags.includes("0") && !flags.includes("-"),
      width: m[2] ? Number(m[2]) : undefined,
      prec: m[3] === undefined ? undefined : Number(m[3] || "0"),
    };
    directives.push({ text, verb, spec, percent: verb === "%" && flags === "" && m[2] === "" && m[3] === undefined });
  }
  const parsed: Parsed = { directives, tail: format.slice(last) };
  if (parsedFormats.size >= 256) parsedFormats.clear();
  parsedFormats.set(format, parsed);
  return parsed;
}

/** Go-compatible `Sprintf` over mcl values with the mcl verb set (§10). */
export function printf(format: string, vals: readonly Value[], ctx: ImplContext): string {
  let out = "";
  let argi = 0;
  const { directives, tail } = parseFormat(format);
  for (const d of directives) {
    out += d.text;
    const verb = d.verb;
    if (d.percent) {
      out += "%";
      continue;
    }
    if (verb === "") {
      out += "%!(NOVERB)";
      continue;
    }
    const v = vals[argi];
    if (v === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const want = VERB_KIND[verb];
    if ((want !== undefined && typeof v !== want) || !"tsqdfvT".includes(verb)) {
      out += `%!${verb}(${typeName(v, ctx, argi)}=${typeof v === "string" ? v : printValue(v)})`;
    } else {
      out += formatOne(verb, v, d.spec, ctx, argi);
    }
    argi++;
  }
  out += tail;
  if (argi < vals.length) {
    out += "%!(EXTRA " + vals.slice(argi).map((v, j) => `${typeName(v, ctx, argi + j)}=${typeof v === "string" ? v : printValue(v)}`).join(", ") + ")";
  }
  return out;
}

registerImpls({
  "fmt.printf": { effect: "pure", call: (args, ctx) => printf(argStr(args, 0), args.slice(1), ctx) },
});
