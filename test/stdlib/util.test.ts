import * as assert from "node:assert/strict";
import { test } from "node:test";
import { MapValue } from "../../lang/values.js";
import { call } from "./helpers.js";

const m = new MapValue([["h1", "one"], ["", "default"]]);

test("util.hostname_mapper", () => {
  assert.equal(call("util.hostname_mapper", [m], undefined, "h1"), "one");
  assert.equal(call("util.hostname_mapper", [m], undefined, "h2"), "default");
  assert.equal(call("util.hostname_mapper", [new MapValue([["h1", "one"]])], undefined, "h2"), "");
});
