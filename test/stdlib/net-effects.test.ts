import { afterEach, test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdirSync, writeFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { interfaceCidr, netPaths, wiredInterface } from "../../stdlib/impl/effects/net.js";
import { closeAll, makeCtx, record, stream, tempDir } from "./effects-helpers.js";

afterEach(closeAll);
const ctx = makeCtx({ stateDir: "/nonexistent" });

test("net.macs: the host's non-zero MACs, sorted and unique", () => {
  const r = record(stream("net.macs", [], ctx));
  const macs = r.values[0] as string[];
  assert.ok(Array.isArray(macs));
  for (const m of macs) assert.match(m, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  assert.ok(!macs.includes("00:00:00:00:00:00"));
  assert.deepEqual([...macs].sort(), macs);
  assert.equal(new Set(macs).size, macs.length);
});

test("net.wired_interface: the real host has eth0; fixtures prefer physical, up, ethernet, non-wireless", () => {
  assert.equal(record(stream("net.wired_interface", [], ctx)).values[0], wiredInterface());
  assert.equal(wiredInterface(), "eth0");
  const { dir, cleanup } = tempDir();
  const saved = netPaths.sysClassNet;
  try {
    const mk = (name: string, files: Record<string, string>, dirs: string[] = []) => {
      mkdirSync(join(dir, name));
      for (const [f, v] of Object.entries(files)) writeFileSync(join(dir, name, f), v);
      for (const d of dirs) mkdirSync(join(dir, name, d));
    };
    mk("lo", { type: "772\n" });
    mk("wlan0", { type: "1\n", operstate: "up\n" }, ["wireless"]);
    mk("veth1", { type: "1\n", operstate: "up\n" });
    mk("enp3s0", { type: "1\n", operstate: "down\n" });
    symlinkSync("/", join(dir, "enp3s0", "device"));
    netPaths.sysClassNet = dir;
    assert.equal(wiredInterface(), "enp3s0", "a physical device wins");
    netPaths.sysClassNet = join(dir, "lo"); // no interfaces here at all
  } finally {
    netPaths.sysClassNet = saved;
    cleanup();
  }
});

test("net.interface_cidr: lo is 127.0.0.1/8; unknown is empty", () => {
  assert.equal(record(stream("net.interface_cidr", ["lo"], ctx)).values[0], "127.0.0.1/8");
  assert.equal(interfaceCidr("no-such-if"), "");
  assert.match(interfaceCidr("eth0"), /^[0-9.]+\/\d+$/);
});
