/**
 * The pure parts of the `pkg` benchmark (bench/pkg-apt-bound.ts, bench/pkg-report.ts): which
 * package sets it runs, the no-new-dependency check on apt's simulated plan, and its ratios. The
 * installs themselves are the benchmark's (they take minutes; docs/benchmarks.md has its runs).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { DEFAULT_SETS, newDependencies, packageSets } from "../../bench/pkg-apt-bound.js";
import { phaseRow, phaseTable, ratio, share } from "../../bench/pkg-report.js";

test("package sets: BENCH_SETS splits on ';', BENCH_PKGS is one set, the default has two", () => {
  assert.deepEqual(packageSets({}), [["sl", "figlet", "hello"], ["hello", "pv", "tree"]]);
  assert.equal(DEFAULT_SETS, "sl figlet hello;hello pv tree");
  assert.deepEqual(packageSets({ BENCH_SETS: " a  b ; c ;; " }), [["a", "b"], ["c"]]);
  assert.deepEqual(packageSets({ BENCH_PKGS: "x y z" }), [["x", "y", "z"]]);
  assert.deepEqual(packageSets({ BENCH_SETS: "a", BENCH_PKGS: "x" }), [["a"]]);
});

test("new dependencies: the Inst lines of apt's plan that are not in the set", () => {
  // the shape of `LC_ALL=C apt-get install -s -q cowsay hello` (apt 2.6)
  const plan = [
    "Reading package lists...",
    "The following NEW packages will be installed:",
    "  cowsay hello libtext-charwidth-perl",
    "0 upgraded, 3 newly installed, 0 to remove and 128 not upgraded.",
    "Inst libtext-charwidth-perl (0.04-11 Debian:12.15/oldstable [amd64])",
    "Inst cowsay (3.03+dfsg2-8 Debian:12.15/oldstable [all])",
    "Inst hello (2.10-3 Debian:12.15/oldstable [amd64])",
    "Conf libtext-charwidth-perl (0.04-11 Debian:12.15/oldstable [amd64])",
  ].join("\n");
  assert.deepEqual(newDependencies(plan, ["cowsay", "hello"]), ["libtext-charwidth-perl"]);
  assert.deepEqual(newDependencies(plan, ["cowsay", "hello", "libtext-charwidth-perl"]), []);
  assert.deepEqual(newDependencies("0 upgraded, 0 newly installed, 0 to remove and 128 not upgraded.\n", ["hello"]), []);
});

test("ratios: slow/fast, and Steward's ratio as a share of apt's", () => {
  assert.equal(ratio(5000, 9350), "1.87×");
  assert.equal(ratio(undefined, 9350), "n/a");
  assert.equal(share(5000, 8400, 5000, 10000), "84%");
  assert.equal(share(5000, 8400, undefined, 10000), "n/a");
});

test("phase table: a row per phase, medians per cell, no 'outside apt-get' for bare apt-get", () => {
  const tx = (plan: number, finish: number) => ({ plan, unpack: 300, configure: 50, finish, total: plan + 350 + finish });
  const grouped = [phaseRow([tx(2000, 3000)], 5400), phaseRow([tx(2200, 3200)], 5800), phaseRow([tx(1800, 2800)], 5000)];
  const ungrouped = [phaseRow([tx(2000, 300), tx(2000, 300), tx(2000, 3000)], 10700)];
  const bare = [phaseRow([tx(2000, 3000)], 5360)];
  const bare3 = [phaseRow([tx(2000, 300), tx(2000, 300), tx(2000, 3000)], 10660)];
  assert.equal(grouped[0]!.steward, 50);
  const lines = phaseTable({ grouped, ungrouped, bareGrouped: bare, bareOnePerPackage: bare3 }, 3);
  assert.equal(lines.length, 2 + 6);
  assert.match(lines[0]!, /median of 3 per cell.*1 grouped, 3 with autogroup false.*\(1 \/ 3\)/);
  const plan = lines.find((l) => l.includes("apt plan"))!;
  assert.match(plan, /2\.00 s +6\.00 s +3\.00× +2\.00 s +6\.00 s +3\.00×/);
  const outside = lines.find((l) => l.includes("Steward outside apt-get"))!;
  assert.match(outside, /50 ms +50 ms +– +–/);
});
