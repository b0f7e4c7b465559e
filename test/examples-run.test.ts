/**
 * Every example in examples/ that changes the machine runs under `steward run --converged-timeout`
 * (issue 4 "Done when"). The examples name real system paths (/tmp, /etc, /srv, /opt, /home), so
 * each one is copied into a temp directory with those path literals redirected below it, and the
 * parent directories a real machine already has (/etc/nginx/, /srv/www/…) are created first. The
 * test checks the agent converges, exits 0 and wrote what the program's graph says.
 *
 * Examples that manage the system (packages, services, accounts: SYSTEM) run unchanged inside a
 * systemd container booted with systemd-nspawn (test/helpers/nspawn.ts): `steward run` is started
 * in the container's namespaces, so `pkg` drives the container's real apt and dpkg, `svc` the
 * container's systemd over its system bus, and `user`/`group` its /etc; the container's root is a
 * tmpfs overlay over the host's, so everything vanishes with it and the host is never changed.
 * Why not pkg on the host and only svc in the container: a unit file a package installs on the
 * host after the container booted stays invisible in it (the overlay keeps its negative lookups;
 * measured), and the host has no systemd of its own. The container has no network, so the test
 * downloads the packages' .deb files into the host's apt cache first (and deletes the ones it
 * added afterwards); it gets its own copy of the dpkg database, so host tests installing
 * packages at the same time don't show through.
 */
import * as assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { ROOT, startRun, steward } from "./cli-run-harness.js";
import { examplePrograms } from "./helpers/examples.js";
import { bootContainer, canBootContainer, type Container } from "./helpers/nspawn.js";
import { dpkgLockHolder } from "../stdlib/resources/pkg-dpkg.js";
import { sh, waitUnlocked } from "./resources/pkg-machine.js";

/** Examples that a test runs elsewhere, with the reason (none today). */
const SKIP: Readonly<Record<string, string>> = {};

/** Examples that manage packages, services or accounts: they run inside a systemd container. */
const SYSTEM = new Set(["examples/packages-services.mcl", "examples/users-groups.mcl", "examples/webapp"]);

/**
 * Examples that do not converge cleanly on a fresh machine, with the errors they log (none
 * today; file resources never create missing parent directories, so an example must manage
 * them). They still run; a listed example that starts working fails the test, so the list only
 * shrinks.
 */
const KNOWN: Readonly<Record<string, RegExp>> = {
};

/** Examples that change nothing on a host that is not `monitor` (they still run and converge). */
const NO_CHANGE = new Set(["examples/export-collect.mcl"]);

/** Examples whose file content changes with time (datetime.now, load): only existence is checked. */
const CONTENT_VARIES = new Set(["examples/facts.mcl"]);

const work = mkdtempSync(join(tmpdir(), "steward-examples-run-"));
after(() => rmSync(work, { recursive: true, force: true }));

const programs = (): string[] => examplePrograms(ROOT);

/** Redirect absolute system paths in string literals ("/tmp/…" → "<base>/tmp/…") in every .mcl file below `p`. */
function redirect(p: string, base: string): void {
  if (statSync(p).isDirectory()) {
    for (const f of readdirSync(p)) redirect(join(p, f), base);
    return;
  }
  if (!p.endsWith(".mcl")) return;
  const text = readFileSync(p, "utf8");
  writeFileSync(p, text.replace(/"(\/(?:tmp|etc|srv|opt|home|var)\/)/g, `"${base}$1`));
}

interface GraphDoc {
  readonly vertices: readonly { kind: string; name: string; params: Record<string, unknown>; meta: Record<string, unknown> }[];
}

async function graphOf(path: string, env: NodeJS.ProcessEnv): Promise<GraphDoc> {
  const r = await steward(["graph", "--json", "--hostname", "example-host", path], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return JSON.parse(r.stdout) as GraphDoc;
}

describe("examples run to convergence", { concurrency: 3 }, () => {
  test("SKIP and KNOWN list only examples that exist", () => {
    const all = new Set(programs());
    for (const p of [...Object.keys(SKIP), ...Object.keys(KNOWN), ...SYSTEM]) assert.ok(all.has(p), `${p} is listed but is not an example`);
  });

  for (const p of programs()) {
    if (SYSTEM.has(p)) continue;
    const reason = SKIP[p];
    test(p, reason === undefined ? {} : { skip: reason }, async () => {
      const base = join(work, p.replace(/[/.]/g, "_"));
      mkdirSync(base, { recursive: true });
      const copy = join(base, "program", p.split("/").at(-1)!);
      mkdirSync(dirname(copy), { recursive: true });
      cpSync(join(ROOT, p), copy, { recursive: true });
      redirect(copy, base);
      // defaults.mcl writes to $STEWARD_HOME (else $HOME)
      const env = { ...process.env, STEWARD_HOME: join(base, "home") };

      // What the program manages; and the parent directories this machine has (/etc/, /tmp/…),
      // mirrored below `base`. Directories the program forgot to manage are *not* created.
      const files = (await graphOf(copy, env)).vertices.filter((v) => v.kind === "file" && !v.meta["hidden"] && v.name.startsWith(base));
      for (const v of files) {
        const parent = dirname(v.name.endsWith("/") ? v.name.slice(0, -1) : v.name);
        const real = parent.slice(base.length) || "/";
        if (real.startsWith("/") && existsSync(real) && statSync(real).isDirectory()) mkdirSync(parent, { recursive: true });
      }

      const run = startRun(["--converged-timeout", "0", "--hostname", "example-host", copy], { env });
      try {
        const { code } = await run.exited;
        const known = KNOWN[p];
        if (known !== undefined) {
          const errs = run.events.filter((e) => e.event === "error").map((e) => String(e["message"]));
          assert.ok(errs.length > 0, `${p} converges cleanly now: remove it from KNOWN`);
          assert.ok(errs.every((m) => known.test(m)), `${p}: other errors too: ${errs.join("; ")}`);
          return;
        }
        assert.equal(code, 0, `${p}: ${run.text()}\n${run.events.filter((e) => e.level !== "info").map((e) => JSON.stringify(e)).join("\n")}`);
        const errors = run.events.filter((e) => e.event === "error");
        assert.deepEqual(errors, [], `${p}: errors while running`);
        if (NO_CHANGE.has(p)) {
          assert.equal(run.events.filter((e) => e.event === "checkapply" && e["changed"] === true).length, 0);
          return;
        }
        assert.ok(files.length > 0, `${p}: manages no file below ${base}`);
        for (const v of files) {
          const want = v.params["state"] ?? "exists";
          const target = v.name;
          if (v.meta["noop"] === true) {
            // checked, never changed: it was not there before the run, so it still is not
            assert.equal(existsSync(target), false, `${target} is Meta:noop but was changed`);
            assert.ok(run.events.some((e) => e.event === "checkapply" && e.vertex === `file[${target}]` && e["noop"] === true), `${target} was not checked`);
            continue;
          }
          if (want === "absent") assert.equal(existsSync(target), false, `${target} should be absent`);
          else assert.ok(existsSync(target), `${target} was not created`);
          const content = v.params["content"];
          if (typeof content === "string" && want !== "absent" && !CONTENT_VARIES.has(p)) assert.equal(readFileSync(target, "utf8"), content, target);
        }
      } finally {
        run.stop();
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// examples that manage the system, in a systemd container

const ARCHIVES = "/var/cache/apt/archives";

/** Download the .deb files of `names` (and what they pull in) into the host's apt cache, recording them in {@link debsAdded}. */
function downloadDebs(names: readonly string[]): void {
  if (names.length === 0) return;
  const before = new Set(readdirSync(ARCHIVES));
  try {
    // --download-only installs nothing; `sh` waits out another test's apt run holding a lock
    sh("apt-get", ["install", "--download-only", "-q", "-y", "-o", "DPkg::Lock::Timeout=300", ...names]);
  } finally {
    debsAdded.push(...readdirSync(ARCHIVES).filter((f) => f.endsWith(".deb") && !before.has(f)));
  }
}
/** .deb files this test put in the host's apt cache (deleted at the end). */
const debsAdded: string[] = [];

/**
 * A private copy of the host's dpkg database for a container, taken while no dpkg runs on the
 * host: through the overlay the container would otherwise see the host's live database, and a
 * host test's apt run in the middle of a transaction reads there as "dpkg was interrupted".
 */
function snapshotDpkg(dest: string): void {
  for (let i = 0; i < 50; i++) {
    waitUnlocked();
    rmSync(dest, { recursive: true, force: true });
    const cp = spawnSync("cp", ["-a", "/var/lib/dpkg", dest], { encoding: "utf8" });
    // a failed copy (files vanishing), a non-empty journal or a lock now held: a transaction
    // started while we copied; try again once it is over
    if (cp.status === 0 && readdirSync(join(dest, "updates")).length === 0 && dpkgLockHolder() === undefined) return;
  }
  throw new Error("could not copy /var/lib/dpkg between two dpkg runs of other tests");
}

/**
 * Make the container's apt a stock Debian's: this machine's image (a Docker one) switches apt's
 * binary package cache off, so every apt run parses all the package lists again, and the test
 * machine has no use for man-db's index rebuild after each transaction (seconds each on a loaded
 * machine). Only the container's overlay changes; what Steward runs is the same.
 */
function tuneApt(c: Container): void {
  writeFileSync(`${c.root}/etc/apt/apt.conf.d/99steward-test`, 'Dir::Cache::pkgcache "/var/cache/apt/pkgcache.bin";\nDir::Cache::srcpkgcache "/var/cache/apt/srcpkgcache.bin";\n');
  rmSync(`${c.root}/var/lib/man-db/auto-update`, { force: true });
}

/** The state the container is in for one vertex of the graph, or undefined when it is as the program says. */
async function mismatch(c: Container, v: GraphDoc["vertices"][number]): Promise<string | undefined> {
  const id = `${v.kind}[${v.name}]`;
  const param = (k: string): unknown => v.params[k];
  switch (v.kind) {
    case "file": {
      const path = `${c.root}${v.name}`;
      if (param("state") === "absent") return existsSync(path) ? `${id} exists` : undefined;
      if (!existsSync(path)) return `${id} was not created`;
      const content = param("content");
      if (typeof content === "string" && readFileSync(path, "utf8") !== content) return `${id} has other content`;
      return undefined;
    }
    case "pkg": {
      const q = await c.exec(["dpkg-query", "-W", "-f=${Status}", v.name]);
      const installed = q.code === 0 && q.stdout.endsWith(" installed");
      return installed === (param("state") !== "uninstalled") ? undefined : `${id}: dpkg says ${q.stdout || q.stderr.trim()}`;
    }
    case "svc": {
      const active = (await c.exec(["systemctl", "is-active", v.name])).stdout.trim();
      const enabled = (await c.exec(["systemctl", "is-enabled", v.name])).stdout.trim();
      if (param("state") === "running" && active !== "active") return `${id} is ${active}`;
      if (param("state") === "stopped" && active === "active") return `${id} is active`;
      if (param("startup") === "enabled" && enabled !== "enabled") return `${id} is ${enabled}`;
      return undefined;
    }
    case "user":
    case "group": {
      const db = v.kind === "user" ? "passwd" : "group";
      const e = await c.exec(["getent", db, v.name]);
      if (param("state") === "absent") return e.code === 0 ? `${id} exists` : undefined;
      if (e.code !== 0) return `${id} does not exist`;
      const id3 = param(v.kind === "user" ? "uid" : "gid");
      const fields = e.stdout.trim().split(":");
      if (id3 !== undefined && fields[2] !== String(id3)) return `${id} has id ${fields[2]}, not ${String(id3)}`;
      if (v.kind === "user" && typeof param("homedir") === "string" && fields[5] !== param("homedir")) return `${id} has home ${fields[5]}`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** What the host has of the names a program manages: packages (dpkg) and accounts (getent). */
function hostState(vertices: GraphDoc["vertices"]): string {
  return vertices
    .map((v) => {
      if (v.kind === "pkg") return `${v.name}: ${spawnSync("dpkg-query", ["-W", "-f=${Status}", v.name], { encoding: "utf8" }).stdout}`;
      if (v.kind === "user" || v.kind === "group") return `${v.kind} ${v.name}: ${spawnSync("getent", [v.kind === "user" ? "passwd" : "group", v.name], { encoding: "utf8" }).stdout}`;
      return "";
    })
    .join("\n");
}

describe("system examples run to convergence in a systemd container", { concurrency: 3, skip: canBootContainer() }, () => {
  const graphs = new Map<string, GraphDoc>();

  before(async () => {
    await Promise.all([...SYSTEM].map(async (p) => graphs.set(p, await graphOf(join(ROOT, p), process.env))));
    const pkgs = [...graphs.values()].flatMap((g) => g.vertices.filter((v) => v.kind === "pkg").map((v) => v.name));
    downloadDebs([...new Set(pkgs)]);
  });
  after(() => {
    for (const f of debsAdded) rmSync(join(ARCHIVES, f), { force: true });
  });

  for (const p of SYSTEM) {
    test(p, async () => {
      const g = graphs.get(p)!;
      const hostBefore = hostState(g.vertices);
      const dpkgDir = join(work, `${p.replace(/[/.]/g, "_")}-dpkg`);
      snapshotDpkg(dpkgDir);
      const c = await bootContainer({ bindRo: [ROOT], bind: [`${dpkgDir}:/var/lib/dpkg`] });
      tuneApt(c);
      const run = startRun(["--converged-timeout", "0", "--hostname", "example-host", join(ROOT, p)], {
        wrap: ["nsenter", "-t", String(c.leader), "-a", `--wdns=${ROOT}`],
      });
      try {
        // generous: apt in the container on a loaded machine; a hang must fail, not block the suite
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${p} did not converge in 240 s: ${run.text()}`)), 240_000)));
        const { code } = await Promise.race([run.exited, limit]).finally(() => clearTimeout(timer));
        const log = `${run.text()}\n${run.events.filter((e) => e.level !== "info").map((e) => JSON.stringify(e)).join("\n")}`;
        assert.equal(code, 0, `${p}: ${log}`);
        assert.deepEqual(run.events.filter((e) => e.event === "error"), [], `${p}: errors while running`);
        const kinds = new Set(g.vertices.map((v) => v.kind));
        assert.ok(["pkg", "svc", "user", "group"].some((k) => kinds.has(k)), `${p} manages no package, service or account`);
        const wrong = (await Promise.all(g.vertices.map((v) => mismatch(c, v)))).filter((m) => m !== undefined);
        assert.deepEqual(wrong, [], `${p}: not in the state the program says`);
        assert.equal(hostState(g.vertices), hostBefore, "the host was changed");
      } finally {
        run.stop();
        await c.stop();
        rmSync(dpkgDir, { recursive: true, force: true });
      }
    });
  }
});
