import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { exitRequests$, type ExitRequest } from "../../stdlib/resources/exit.js";
import { invalid, recordWatch, removeTempDirs, start } from "./harness.js";

after(removeTempDirs);

test("exit: applying asks once on exitRequests$ with the code; noop asks nothing", async () => {
  const got: ExitRequest[] = [];
  const sub = exitRequests$.subscribe((r) => got.push(r));
  try {
    const { res, h } = await start("exit", "done", { code: 3n });
    const w = await recordWatch(res);
    assert.equal(w.times.length, 1);
    assert.equal(await res.checkApply(false, h.abort.signal), false);
    assert.deepEqual(got, []);
    assert.equal(await res.checkApply(true, h.abort.signal), false);
    assert.deepEqual(got, [{ code: 3, resource: "exit[done]", message: "exit[done]: exit requested with code 3" }]);
    assert.equal(await res.checkApply(true, h.abort.signal), true, "asks once per instance");
    assert.equal(got.length, 1);
    w.stop();
  } finally {
    sub.unsubscribe();
  }
});

test("exit: code defaults to 0 and must fit in a uint8", () => {
  assert.equal(invalid("exit", "e", {}), undefined);
  assert.match(invalid("exit", "e", { code: 256n })!, /code must be in 0\.\.255/);
  assert.match(invalid("exit", "e", { code: -1n })!, /code/);
});

test("_panic: a sink that is always in state", async () => {
  const { res, h } = await start("_panic", "p", {});
  assert.equal(await res.checkApply(true, h.abort.signal), true);
});
