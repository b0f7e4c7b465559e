/**
 * The golden suite's index (test/lang/index.md) must cover every subsection of
 * mcl-language.md §1–§11 (§11.2: every package), and the parse/init/interpolate/scope/unify/
 * runtime/interpret rows of §12 with at least one valid (`pass:`) and one invalid (`fail:`) case,
 * and every case it names must exist (issue 2 §6, issue 3 §5). A valid case's OUTPUT is `ok`, or
 * for a `graph/` case (test/golden-graph.test.ts) a resource graph (not `error: …`); an invalid
 * case's OUTPUT is `error: …` lines.
 */
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTxtar, txtarFile } from "./txtar.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "lang");

/** The sections the index must cover (headings are `## <key> <free title>`). */
const REQUIRED: readonly string[] = [
  "§1.1", "§1.2", "§1.3", "§1.4",
  "§2", "§2.1", "§2.2",
  "§3.1", "§3.2", "§3.3", "§3.4", "§3.5", "§3.6", "§3.7", "§3.8", "§3.9", "§3.10",
  "§4",
  "§5.1", "§5.2", "§5.3", "§5.4", "§5.5",
  "§6.1", "§6.2", "§6.3", "§6.4",
  "§7", "§8", "§9", "§10",
  "§11.1",
  ...[
    "convert", "datetime", "deploy", "encoding", "example", "example/nested", "fmt", "golang", "golang/<pkg>",
    "iter", "list", "local", "map", "math", "net", "net/http", "os", "regexp", "strings", "sys", "sys/fwupd",
    "test", "util", "value", "world", "world/collect", "embedded/provisioner",
  ].map((pkg) => `§11.2 ${pkg}`),
  "§12 parse", "§12 init", "§12 interpolate", "§12 scope", "§12 unify", "§12 runtime", "§12 interpret",
];

interface Section {
  readonly pass: string[];
  readonly fail: string[];
}

function readIndex(): Map<string, Section> {
  const text = readFileSync(join(ROOT, "index.md"), "utf8");
  const sections = new Map<string, Section>();
  let cur: Section | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const h = /^## (§12 \w+|§11\.2 [\w/<>]+|§[\d.]+)/.exec(line);
    if (h) {
      const key = h[1]!;
      assert.ok(!sections.has(key), `index.md: section ${key} appears twice`);
      cur = { pass: [], fail: [] };
      sections.set(key, cur);
      continue;
    }
    const m = /^(pass|fail):(.*)$/.exec(line);
    if (m) {
      if (!cur) throw new Error(`index.md: "${line}" outside a section`);
      const names = m[2]!.split(",").map((s) => s.trim()).filter((s) => s !== "");
      cur[m[1] as "pass" | "fail"].push(...names);
    }
  }
  return sections;
}

function outputOf(name: string): string[] | undefined {
  const p = join(ROOT, name + ".txtar");
  if (!existsSync(p)) return undefined;
  const body = txtarFile(parseTxtar(readFileSync(p, "utf8")), "OUTPUT") ?? "";
  return body.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

const index = readIndex();

test("golden index covers every required section with a passing and a failing case", () => {
  const missing: string[] = [];
  for (const key of REQUIRED) {
    const s = index.get(key);
    if (!s) missing.push(`${key}: no section`);
    else {
      if (s.pass.length === 0) missing.push(`${key}: no passing case`);
      if (s.fail.length === 0) missing.push(`${key}: no failing case`);
    }
  }
  assert.deepEqual(missing, []);
});

test("every case named by the golden index exists and has the right kind of OUTPUT", () => {
  const problems: string[] = [];
  for (const [key, s] of index) {
    for (const kind of ["pass", "fail"] as const) {
      for (const name of s[kind]) {
        const out = outputOf(name);
        if (out === undefined) problems.push(`${key}: ${name} does not exist`);
        else if (out.length === 0) problems.push(`${key}: ${name} has no OUTPUT`);
        else if (kind === "pass" && (name.startsWith("graph/") ? out[0]!.startsWith("error: ") : out[0] !== "ok"))
          problems.push(`${key}: ${name} is listed as passing but expects an error`);
        else if (kind === "fail" && !out.every((l) => l.startsWith("error: "))) problems.push(`${key}: ${name} is listed as failing but expects ok`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
