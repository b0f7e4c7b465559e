/**
 * Cutting an apt transaction into phases from its status-fd lines (pkg-phases.ts). The lines are
 * the ones apt 2.6 printed for `apt-get install -o APT::Status-Fd=3 sl hello` and `apt-get remove
 * sl` on this machine; the times are made up so the expected phases are exact.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { aptPhases, formatPhases } from "../../stdlib/resources/pkg-phases.js";

const at = (pairs: readonly [number, string][]) => pairs.map(([t, line]) => ({ at: t, line }));

test("install: plan until the first dpkg run, unpack until the second, configure until the last package line, finish to exit", () => {
  const lines = at([
    [1800, "pmstatus:dpkg-exec:0.0000:Running dpkg"],
    [2100, "pmstatus:hello:0.0000:Preparing hello (amd64)"],
    [2150, "pmstatus:hello:11.1111:Unpacking hello (amd64)"],
    [2300, "pmstatus:sl:33.3333:Unpacking sl (amd64)"],
    [2500, "pmstatus:sl:44.4444:Installing sl (amd64)"],
    [2600, "pmstatus:dpkg-exec:44.4444:Running dpkg"],
    [2650, "pmstatus:sl:55.5556:Configuring sl (amd64)"],
    [2700, "pmstatus:hello:88.8889:Installed hello (amd64)"],
  ]);
  assert.deepEqual(aptPhases(0, 6000, lines), { plan: 1800, unpack: 800, configure: 100, finish: 3300, total: 6000 });
});

test("remove: one dpkg run, so no configure phase", () => {
  const lines = at([
    [1500, "pmstatus:dpkg-exec:0.0000:Running dpkg"],
    [1600, "pmstatus:sl:0.0000:Removing sl (amd64)"],
    [1900, "pmstatus:sl:50.0000:Removed sl (amd64)"],
  ]);
  assert.deepEqual(aptPhases(0, 2500, lines), { plan: 1500, unpack: 400, configure: 0, finish: 600, total: 2500 });
});

test("no dpkg run (apt failed, or download lines only): all plan", () => {
  const lines = at([[300, "dlstatus:1:0.0000:Retrieving file 1 of 1"]]);
  assert.deepEqual(aptPhases(100, 900, lines), { plan: 800, unpack: 0, configure: 0, finish: 0, total: 800 });
  assert.equal(formatPhases(aptPhases(0, 1234, [])), "plan 1.23 s, unpack 0.00 s, configure 0.00 s, finish (triggers, hooks) 0.00 s");
});
