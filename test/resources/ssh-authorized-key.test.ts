/**
 * The `ssh:authorized_key` kind with a real temporary user (useradd/userdel, home in a temp
 * directory) and real keys from `ssh-keygen`: the entry parser, `.ssh/` 0700 and the file 0600
 * owned by the user, OpenSSH reading the result, drift (the key line removed, the file or the
 * directory chmod-ed or deleted by hand → the watch fires → fixed), a hand-edited copy of the key
 * replaced, `absent`, a user created after the resource started, and `steward check`. Accounts are
 * named `stwtestk…` and removed afterwards.
 */
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileSource } from "../../lang/compile.js";
import { getKindImpl } from "../../runtime/engine/resource.js";
import { getKind } from "../../stdlib/registry.js";
import "../../stdlib/resources/ssh-authorized-key.js";
import { editAuthorizedKeys, keyLine, parseKeyLine } from "../../stdlib/resources/ssh-authorized-key-entry.js";
import { invalid, recordWatch, removeTempDirs, start, tempDir } from "./harness.js";
import { passwdLine, removeTestAccounts, sh } from "./user-machine.js";

const P = "stwtestk";
const never = new AbortController().signal;
let keys: { ed: string; ec: string };
let root: string;

function keygen(type: string, comment: string): string {
  const f = join(root, `key-${type}`);
  sh("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", comment, "-f", f]);
  return readFileSync(`${f}.pub`, "utf8").trim();
}

/**
 * A user whose home is a fresh temp directory; returns uid, gid and home. The user and group tests
 * may run useradd at the same time (npm test runs two files at once): a lock failure is retried.
 */
function makeUser(name: string): { uid: number; gid: number; home: string } {
  const home = join(root, name);
  for (let tries = 0; ; tries++) {
    const r = spawnSync("useradd", ["-m", "-d", home, "-s", "/bin/sh", name], { encoding: "utf8" });
    if (r.status === 0) break;
    if (!/cannot lock|try again later/i.test(r.stderr) || tries >= 50) throw new Error(`useradd ${name}: ${r.stderr}`);
    spawnSync("sleep", ["0.1"]);
  }
  const f = passwdLine(name)!.split(":");
  return { uid: Number(f[2]), gid: Number(f[3]), home };
}

/** What OpenSSH itself makes of the file: one fingerprint line per key it accepts. */
function opensshFingerprints(file: string): string[] {
  const r = spawnSync("ssh-keygen", ["-l", "-f", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "");
}

before(() => {
  removeTestAccounts(P);
  root = tempDir("steward-ssh-");
  keys = { ed: keygen("ed25519", "alice@laptop"), ec: keygen("ecdsa", "bob@desk") };
});
after(() => {
  removeTestAccounts(P);
  removeTempDirs();
});

describe("ssh:authorized_key entries", () => {
  test("parse: type, key, comment, options with quoted spaces and commas", () => {
    const [type, key] = keys.ed.split(" ");
    assert.deepEqual(parseKeyLine(keys.ed), { options: "", type, key, comment: "alice@laptop" });
    const withOpts = `restrict,command="echo a, b",from="10.0.0.1" ${type} ${key} my key`;
    assert.deepEqual(parseKeyLine(withOpts), { options: 'restrict,command="echo a, b",from="10.0.0.1"', type, key, comment: "my key" });
    assert.equal(keyLine({ options: ["restrict", 'command="echo a b"'], type: type!, key: key!, comment: "c" }), `restrict,command="echo a b" ${type} ${key} c`);
  });

  test("invalid lines are one-line reasons", () => {
    const [type, key] = keys.ed.split(" ") as [string, string];
    const bad = (line: string, why: RegExp): void => assert.throws(() => parseKeyLine(line), why);
    bad("", /empty/);
    bad("# a comment", /is a comment/);
    bad(`${keys.ed}\n${keys.ec}`, /single line/);
    bad(`ssh-foo ${key}`, /unknown key type "ssh-foo"/);
    bad(`restrict`, /no key type after the options/);
    bad(`${type}`, /no key after the type/);
    bad(`${type} ${key.slice(0, -4)}`, /truncated/);
    bad(`${type} ${key}x`, /not valid base64/);
    bad(`ssh-rsa ${key}`, /is a "ssh-ed25519" key, not "ssh-rsa"/);
    bad(`command="oops ${type} ${key}`, /unterminated quote/);
  });

  test("edit: by key; a copy with other options is replaced; absent removes every copy", () => {
    const other = "# managed elsewhere\n" + keys.ec + "\n";
    assert.equal(editAuthorizedKeys(undefined, keys.ed, "exists"), keys.ed + "\n");
    assert.equal(editAuthorizedKeys(other, keys.ed, "exists"), other + keys.ed + "\n");
    assert.equal(editAuthorizedKeys(other + keys.ed + "\n", keys.ed, "exists"), undefined);
    assert.equal(editAuthorizedKeys(`no-pty ${keys.ed}\n${keys.ec}`, keys.ed, "exists"), `${keys.ec}\n${keys.ed}\n`);
    assert.equal(editAuthorizedKeys(`no-pty ${keys.ed} old\n${keys.ec}\n${keys.ed}\n`, keys.ed, "absent"), `${keys.ec}\n`);
    assert.equal(editAuthorizedKeys(other, keys.ed, "absent"), undefined);
    assert.equal(editAuthorizedKeys(undefined, keys.ed, "absent"), undefined);
  });
});

describe("ssh:authorized_key", { concurrency: false }, () => {
  test("validation", () => {
    assert.equal(invalid("ssh:authorized_key", keys.ed, { user: "root" }), undefined, "the name is the entry");
    assert.equal(invalid("ssh:authorized_key", "k", { file: "/etc/keys", content: keys.ed }), undefined);
    const [type, key] = keys.ed.split(" ");
    assert.equal(invalid("ssh:authorized_key", "k", { user: "root", type: type!, key: key!, options: ["restrict"] }), undefined);
    assert.match(invalid("ssh:authorized_key", "k", { user: "root", content: keys.ed, type: type! })!, /either content or options\/type\/key\/comment/);
    assert.match(invalid("ssh:authorized_key", "k", { content: keys.ed })!, /set user .* or file/);
    assert.match(invalid("ssh:authorized_key", "k", { user: "root", content: keys.ed, state: "present" })!, /state must be "exists" or "absent"/);
    assert.match(invalid("ssh:authorized_key", "k", { file: "keys", content: keys.ed })!, /must be absolute/);
    assert.match(invalid("ssh:authorized_key", "k", { user: "9x", content: keys.ed })!, /not a valid user name/);
    assert.match(invalid("ssh:authorized_key", "not a key", { user: "root" })!, /unknown key type "not"/);
  });

  test("autoedges: the user first", () => {
    assert.deepEqual(getKindImpl("ssh:authorized_key")!.autoedges!("k", { user: "alice", content: keys.ed }), {
      uids: [],
      seeks: [[{ kind: "user", key: "alice" }]],
      before: true,
    });
  });

  test("a real user: .ssh 0700 and the file 0600, theirs; OpenSSH reads it; drift is fixed", async () => {
    const u = makeUser(`${P}1`);
    const dir = join(u.home, ".ssh");
    const file = join(dir, "authorized_keys");
    rmSync(dir, { recursive: true, force: true }); // a skeleton may ship one
    const { res, h } = await start("ssh:authorized_key", "alice", { user: `${P}1`, content: keys.ed });
    const w = await recordWatch(res);
    try {
      await w.next(0);
      assert.equal(await res.checkApply(false, never), false);
      assert.equal(existsSync(dir), false, "noop creates nothing");
      assert.equal(await res.checkApply(true, never), false);
      const meta = (p: string): string => {
        const st = statSync(p);
        return `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
      };
      assert.equal(meta(dir), `700 ${u.uid}:${u.gid}`);
      assert.equal(meta(file), `600 ${u.uid}:${u.gid}`);
      assert.equal(readFileSync(file, "utf8"), keys.ed + "\n");
      assert.match(opensshFingerprints(file)[0]!, /^256 SHA256:\S+ alice@laptop \(ED25519\)$/);
      assert.equal(await res.checkApply(true, never), true);
      assert.ok(h.logs.includes(`info: added the key to ${file}`), h.logs.join("\n"));

      // drift: the key line removed by hand (another key stays)
      let seen = w.times.length;
      writeFileSync(file, keys.ec + "\n");
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(readFileSync(file, "utf8"), `${keys.ec}\n${keys.ed}\n`);
      assert.equal(meta(file), `600 ${u.uid}:${u.gid}`, "the rewrite kept mode and owner");
      assert.equal(opensshFingerprints(file).length, 2);

      // drift: modes and owner changed by hand
      seen = w.times.length;
      chmodSync(file, 0o644);
      await w.next(seen);
      seen = w.times.length;
      chmodSync(dir, 0o755);
      await w.next(seen);
      sh("chown", ["root:root", file]);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(meta(dir), `700 ${u.uid}:${u.gid}`);
      assert.equal(meta(file), `600 ${u.uid}:${u.gid}`);
      assert.equal(await res.checkApply(true, never), true);

      // drift: the key edited by hand to lose its options → replaced, not shadowed
      const restricted = await start("ssh:authorized_key", "alice-restricted", { user: `${P}1`, content: `restrict ${keys.ed}` });
      assert.equal(await restricted.res.checkApply(true, never), false);
      assert.equal(readFileSync(file, "utf8"), `${keys.ec}\nrestrict ${keys.ed}\n`);

      // drift: the whole directory deleted
      seen = w.times.length;
      rmSync(dir, { recursive: true });
      await w.next(seen);
      assert.equal(await restricted.res.checkApply(true, never), false);
      assert.equal(readFileSync(file, "utf8"), `restrict ${keys.ed}\n`);
      assert.equal(meta(dir), `700 ${u.uid}:${u.gid}`);
    } finally {
      w.stop();
    }
  });

  test("absent removes every copy of the key and creates nothing", async () => {
    const u = makeUser(`${P}2`);
    const file = join(u.home, "keys");
    const gone = await start("ssh:authorized_key", keys.ed, { user: `${P}2`, file, state: "absent" });
    assert.equal(await gone.res.checkApply(true, never), true, "no file: nothing to remove");
    assert.equal(existsSync(file), false);
    writeFileSync(file, `no-pty ${keys.ed}\n# note\n${keys.ec}\n${keys.ed} again\n`);
    assert.equal(await gone.res.checkApply(false, never), false);
    assert.equal(await gone.res.checkApply(true, never), false);
    assert.equal(readFileSync(file, "utf8"), `# note\n${keys.ec}\n`);
    assert.equal(await gone.res.checkApply(true, never), true);
  });

  test("a user that appears later: /etc/passwd is watched, then the key is written", async () => {
    const name = `${P}3`;
    const { res } = await start("ssh:authorized_key", "late", { user: name, content: keys.ec });
    const w = await recordWatch(res);
    try {
      await w.next(0);
      await assert.rejects(res.checkApply(true, never), /^Error: file "~stwtestk3\/\.ssh\/authorized_keys": no user "stwtestk3"$/);
      const seen = w.times.length;
      const u = makeUser(name);
      await w.next(seen);
      assert.equal(await res.checkApply(true, never), false);
      assert.equal(readFileSync(join(u.home, ".ssh", "authorized_keys"), "utf8"), keys.ec + "\n");
      // and the new path is watched now
      const seen2 = w.times.length;
      writeFileSync(join(u.home, ".ssh", "authorized_keys"), "");
      await w.next(seen2);
      assert.equal(await res.checkApply(true, never), false);
    } finally {
      w.stop();
    }
  });

  test("symlinks and hard links planted by the user are refused, and their targets left alone", async () => {
    const u = makeUser(`${P}5`);
    const dir = join(u.home, ".ssh");
    mkdirSync(dir, { recursive: true });
    const secret = join(root, "secret");
    writeFileSync(secret, "root only\n", { mode: 0o600 });
    const { res } = await start("ssh:authorized_key", "k", { user: `${P}5`, content: keys.ed });
    symlinkSync(secret, join(dir, "authorized_keys"));
    await assert.rejects(res.checkApply(true, never), /^Error: .*\/authorized_keys is a symlink: refusing to manage it$/);
    rmSync(join(dir, "authorized_keys"));
    linkSync(secret, join(dir, "authorized_keys"));
    await assert.rejects(res.checkApply(true, never), /has 1 other hard link\(s\): refusing to manage it$/);
    rmSync(dir, { recursive: true });
    symlinkSync(root, dir);
    await assert.rejects(res.checkApply(true, never), /\.ssh is a symlink: refusing to manage it$/);
    const st = statSync(secret);
    assert.equal(`${(st.mode & 0o777).toString(8)} ${st.uid} ${readFileSync(secret, "utf8")}`, "600 0 root only\n");
    assert.equal(statSync(root).uid, 0);
  });

  test("mkdir => false: a missing directory is a one-line error", async () => {
    const u = makeUser(`${P}4`);
    rmSync(join(u.home, ".ssh"), { recursive: true, force: true });
    const { res } = await start("ssh:authorized_key", "k", { user: `${P}4`, content: keys.ed, mkdir: false });
    await assert.rejects(res.checkApply(true, never), /^Error: directory .*\/\.ssh does not exist \(mkdir is false\)$/);
  });

  test("steward check type-checks the fields; the schema's traits match the kind", () => {
    const schema = getKind("ssh:authorized_key")!;
    assert.equal(schema.traits.autoedge, true);
    assert.equal(schema.recvable, getKindImpl("ssh:authorized_key")!.recvable ?? false);
    const ok = compileSource(`ssh:authorized_key "k" {\n\tuser => "alice",\n\tcontent => "ssh-ed25519 AAAA",\n\tmkdir => true,\n\toptions => ["restrict"],\n}\n`);
    assert.deepEqual(ok.diagnostics, []);
    assert.match(compileSource(`ssh:authorized_key "k" {\n\toptions => "restrict",\n}\n`).diagnostics[0]!.message, /expected \[\]str, found str/);
    assert.match(compileSource(`ssh:authorized_key "k" {\n\tkeys => ["a"],\n}\n`).diagnostics[0]!.message, /field `keys` does not exist in `ssh:authorized_key` resource/);
  });
});
