import * as assert from "node:assert/strict";
import { test } from "node:test";
import { MapValue, StructValue } from "../../lang/values.js";
import { call, table } from "./helpers.js";

const m = new MapValue([["h1", "one"], ["", "default"]]);

test("util.hostname_mapper", () => {
  assert.equal(call("util.hostname_mapper", [m], undefined, "h1"), "one");
  assert.equal(call("util.hostname_mapper", [m], undefined, "h2"), "default");
  assert.equal(call("util.hostname_mapper", [new MapValue([["h1", "one"]])], undefined, "h2"), "");
});

const d = (distro: string, version: string, arch: string) => new StructValue([["distro", distro], ["version", version], ["arch", arch]]);

table("os", [
  ["os.parse_distro_uid", ["fedora-39-x86_64"], d("fedora", "39", "x86_64")],
  ["os.parse_distro_uid", ["debian-bookworm-amd64"], d("debian", "bookworm", "amd64")],
  ["os.parse_distro_uid", ["nonsense"], d("", "", "")],
  ["os.parse_distro_uid", ["a--b"], d("", "", "")],
]);
