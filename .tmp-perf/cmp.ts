// Compare parse() of the old dist vs the new source on many inputs.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse as newParse } from "/work/main/lang/parse.ts";
// @ts-ignore
const { parse: oldParse } = await import("/work/main/.tmp-perf/old-dist/lang/parse.js");
// @ts-ignore
const { tokenSoup } = await import("/work/main/test/property/arbitraries.ts");
const ser = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() + "n" : v));
let n = 0, bad = 0;
function cmp(text: string, name: string) {
  n++;
  const a = oldParse(text, "f.mcl"), b = newParse(text, "f.mcl");
  const sa = ser(a.prog), sb = ser(b.prog);
  const da = ser(a.diagnostics), db = ser(b.diagnostics);
  if ((sa !== sb && a.diagnostics.length === 0) || da !== db) {
    bad++;
    if (bad <= 8) {
      console.log("DIFF", name, sa === sb ? "(ast same)" : "(ast differs)", da === db ? "(diags same)" : "(diags differ)");
      console.log(JSON.stringify(text.slice(0, 300)));
      if (da !== db) { console.log(" old:", a.diagnostics.map((d: any) => `${d.span?.start.line}:${d.span?.start.col} ${d.code} ${d.message}`)); console.log(" new:", b.diagnostics.map((d: any) => `${d.span?.start.line}:${d.span?.start.col} ${d.code} ${d.message}`)); }
      if (sa !== sb) { let i = 0; while (sa[i] === sb[i]) i++; console.log(" old:", sa.slice(Math.max(0, i - 150), i + 150)); console.log(" new:", sb.slice(Math.max(0, i - 150), i + 150)); }
    }
  }
}
function walk(d: string): string[] { return readdirSync(d).flatMap((f) => { const p = join(d, f); return statSync(p).isDirectory() ? walk(p) : [p]; }); }
for (const f of [...walk("/work/main/examples"), ...walk("/work/main/bench/out")].filter((f) => f.endsWith(".mcl"))) cmp(readFileSync(f, "utf8"), f);
for (const f of walk("/work/main/test/lang").filter((f) => f.endsWith(".txtar"))) {
  const parts = readFileSync(f, "utf8").split(/^-- (.+) --$/m);
  for (let i = 1; i < parts.length; i += 2) if (parts[i]!.endsWith(".mcl")) cmp(parts[i + 1]!, f + ":" + parts[i]);
}
console.log("files", n, "bad", bad);
const runs = Number(process.env.RUNS ?? 3000);
fc.assert(fc.property(tokenSoup, (t: string) => { cmp(t, "soup"); return true; }), { numRuns: runs });
fc.assert(fc.property(fc.string({ maxLength: 80 }), (t: string) => { cmp(t, "str"); return true; }), { numRuns: runs });
console.log("total", n, "bad", bad);
