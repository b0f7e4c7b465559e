/**
 * The `json:edit` kind: the edit language (table tests), then real files — set, create
 * intermediates, delete, unchanged ⇒ untouched, the output format, mode kept — drift (the key
 * edited by hand → the watch fires → fixed), the World store, one-line errors, and that
 * `steward check` type-checks its fields.
 */
import { after, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { chmodSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { firstValueFrom } from "rxjs";
import { compileSource } from "../../lang/compile.js";
import "../../stdlib/resources/json-edit.js";
import { applyEdits, parseEdit } from "../../stdlib/resources/json-edit-path.js";
import { invalid, recordWatch, removeTempDirs, start, tempDir } from "./harness.js";

const never = new AbortController().signal;

after(removeTempDirs);

const edit = (doc: object, ...edits: string[]): unknown => applyEdits(doc as never, edits.map(parseEdit));

describe("json:edit edits", () => {
  test("paths and values", () => {
    assert.deepEqual(parseEdit(".a.b = 1"), { op: "set", path: ["a", "b"], value: 1, text: ".a.b = 1" });
    assert.deepEqual(parseEdit(' .["k"]["x y"]={"on":true} ').path, ["k", "x y"]);
    assert.deepEqual(parseEdit('.a["b.c"].d = null').path, ["a", "b.c", "d"]);
    assert.deepEqual(parseEdit('.a.["b"] = 2').path, ["a", "b"]);
    assert.deepEqual(parseEdit("del(.a.b)"), { op: "del", path: ["a", "b"], text: "del(.a.b)" });
    assert.deepEqual(parseEdit('. = {"x": 1}').path, []);
  });

  test("parse errors are one line and name the edit", () => {
    const fails = (t: string, why: RegExp): void => assert.throws(() => parseEdit(t), (e: Error) => why.test(e.message) && e.message.startsWith(`edit ${JSON.stringify(t)}: `));
    fails("a = 1", /a path starts with `\.`/);
    fails(".a = ", /the value is not JSON/);
    fails(".a = {x}", /the value is not JSON/);
    fails(".a == 1", /expected `= <json>`/);
    fails(".a[0] = 1", /objects only/);
    fails('.["a" = 1', /missing `\]`/);
    fails("del(.a", /expected `\)`/);
    fails("del(.)", /whole document/);
    fails(". = 1", /can only be set to an object/);
  });

  test("apply: set, intermediates, delete, unchanged ⇒ undefined, objects only", () => {
    assert.deepEqual(edit({ a: 1 }, ".b.c.d = [1]"), { a: 1, b: { c: { d: [1] } } });
    assert.equal(edit({ a: { b: 1 } }, ".a.b = 1"), undefined);
    assert.equal(edit({ b: 2, a: 1 }, ".a = 1", ".b = 2"), undefined, "key order does not count");
    assert.deepEqual(edit({ a: { b: 1, c: 2 } }, "del(.a.b)"), { a: { c: 2 } });
    assert.equal(edit({ a: 1 }, "del(.x.y)"), undefined, "deleting what is absent changes nothing");
    assert.equal(edit({ a: 1 }, "del(.a.y)"), undefined);
    assert.equal(edit({ a: 1 }, ".a = 2", ".a = 1"), undefined, "edits apply in order");
    assert.throws(() => edit({ a: [1] }, ".a.b = 1"), /\.a is an array, not an object/);
    assert.deepEqual(edit({}, '.["__proto__"].x = 1'), JSON.parse('{"__proto__": {"x": 1}}'));
    assert.equal(Object.getPrototypeOf({}).x, undefined, "no prototype pollution");
  });
});

describe("json:edit", { concurrency: false }, () => {
  test("validation", () => {
    assert.equal(invalid("json:edit", "/etc/x.json", { edits: [".a = 1"] }), undefined);
    assert.equal(invalid("json:edit", "x", { store: "file:///etc/x.json" }), undefined);
    assert.equal(invalid("json:edit", "x", { store: "etcd:///cfg" }), undefined);
    assert.match(invalid("json:edit", "rel.json", {})!, /must be an absolute path, file:\/\/\/path or etcd:\/\/\/key/);
    assert.match(invalid("json:edit", "x", { store: "etcd:///" })!, /names no key/);
    assert.match(invalid("json:edit", "/x.json", { edits: [".a = nope"] })!, /^edit "\.a = nope": the value is not JSON/);
  });

  test("a file: edited, kept when unchanged, drift by hand fixed", async () => {
    const dir = tempDir("steward-json-");
    const p = join(dir, "cfg.json");
    writeFileSync(p, '{"keep": "me",   "log": {"level": "debug"}, "debug": true}');
    chmodSync(p, 0o640);
    const { res, h } = await start("json:edit", p, { edits: ['.log.level = "info"', ".log.max = 3", "del(.debug)"] });
    const w = await recordWatch(res);
    try {
      await w.next(0);
      assert.equal(await res.checkApply(false, never), false);
      assert.match(readFileSync(p, "utf8"), /"debug"\}/, "noop writes nothing");
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(readFileSync(p, "utf8"), '{\n\t"keep": "me",\n\t"log": {\n\t\t"level": "info",\n\t\t"max": 3\n\t}\n}\n');
      assert.equal(statSync(p).mode & 0o777, 0o640, "mode kept");
      assert.equal(await res.checkApply(true, never), true);
      assert.ok(h.logs.includes(`info: edited ${p}`));

      // a reformatted but equal document is left alone
      writeFileSync(p, '{"log":{"max":3,"level":"info"},"keep":"me"}');
      assert.equal(await res.checkApply(true, never), true);
      assert.equal(readFileSync(p, "utf8"), '{"log":{"max":3,"level":"info"},"keep":"me"}');

      // drift: the key edited by hand
      const seen = w.times.length;
      writeFileSync(p, '{"log":{"max":3,"level":"trace"},"keep":"me","debug":1}');
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false);
      assert.deepEqual(JSON.parse(readFileSync(p, "utf8")), { log: { max: 3, level: "info" }, keep: "me" });
      assert.equal(await res.checkApply(true, never), true);
      assert.deepEqual(readdirSync(dir), ["cfg.json"], "no temp file left");
    } finally {
      w.stop();
    }
  });

  test("a missing file is created from {}; a deleted one is recreated", async () => {
    const dir = tempDir("steward-json-");
    const p = join(dir, "new.json");
    const { res } = await start("json:edit", "anything", { store: `file://${p}`, edits: [".a.b = true"] });
    const w = await recordWatch(res);
    try {
      await w.next(0);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(readFileSync(p, "utf8"), '{\n\t"a": {\n\t\t"b": true\n\t}\n}\n');
      const seen = w.times.length;
      writeFileSync(p, "");
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false, "an emptied file is {} and is edited again");
      assert.deepEqual(JSON.parse(readFileSync(p, "utf8")), { a: { b: true } });
      const seen2 = w.times.length;
      unlinkSync(p);
      await w.next(seen2);
      assert.equal(await res.checkApply(true, never), false);
      assert.deepEqual(JSON.parse(readFileSync(p, "utf8")), { a: { b: true } });
    } finally {
      w.stop();
    }
  });

  test("the World store (etcd:///key): edited, watched", async () => {
    const { res, h } = await start("json:edit", "w", { store: "etcd:///app/cfg", edits: [".port = 8080"] });
    await h.ctx.world.set("app/cfg", '{"name": "x"}');
    const w = await recordWatch(res);
    try {
      await w.next(0);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(await h.ctx.world.get("app/cfg"), '{\n\t"name": "x",\n\t"port": 8080\n}\n');
      assert.equal(await res.checkApply(true, never), true);
      const seen = w.times.length;
      await h.ctx.world.set("app/cfg", '{"port": 1}');
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false);
      assert.deepEqual(JSON.parse((await firstValueFrom(h.ctx.world.watch("app/cfg")))!), { port: 8080 });
    } finally {
      w.stop();
    }
  });

  test("one-line errors: not JSON, not an object, a non-object on the path, no directory", async () => {
    const dir = tempDir("steward-json-");
    const p = join(dir, "bad.json");
    const run = async (text: string, edits: string[]): Promise<boolean> => {
      writeFileSync(p, text);
      return (await start("json:edit", p, { edits })).res.checkApply(true, never);
    };
    await assert.rejects(run("{nope", [".a = 1"]), (e: Error) => e.message.startsWith(`${p} is not valid JSON: `) && !e.message.includes("\n"));
    await assert.rejects(run("[1]", [".a = 1"]), new RegExp(`${p} holds an array, not a JSON object`));
    await assert.rejects(run('{"a": "s"}', [".a.b = 1"]), /edit "\.a\.b = 1": \.a is a string, not an object/);
    const missing = await start("json:edit", join(dir, "no", "x.json"), { edits: [".a = 1"] });
    await assert.rejects(missing.res.checkApply(true, never), /can't write .*\/no\/x\.json: its directory does not exist/);
  });

  test("steward check type-checks the fields", () => {
    assert.deepEqual(compileSource(`json:edit "/etc/x.json" {\n\tedits => [".a = 1"],\n}\n`).diagnostics, []);
    assert.match(compileSource(`json:edit "/etc/x.json" {\n\tedits => ".a = 1",\n}\n`).diagnostics[0]!.message, /expected \[\]str, found str/);
    assert.match(compileSource(`json:edit "/etc/x.json" {\n\tstore => 1,\n}\n`).diagnostics[0]!.message, /expected str, found int/);
  });
});
