/**
 * `pkg` (engine-reference.md §10 "pkg", §2.5–§2.7; issue 5 §1): a Debian package, through dpkg and
 * apt instead of the reference's PackageKit (which has known problems on Debian).
 *
 * - state: `installed` (default), `uninstalled`, `newest` (installed at apt's candidate version),
 *   or an exact version string (`2.10-3`, with the epoch if the package has one).
 * - allowdowngrade → `--allow-downgrades`, allowuntrusted → `--allow-unauthenticated`;
 *   allownonfree and allowunsupported have no apt meaning (apt's sources decide) and are accepted
 *   for compatibility.
 * - checkApply: read the shared dpkg snapshot (pkg-dpkg.ts: one `dpkg-query -W` for the whole
 *   graph), plus one `apt-cache policy` for `newest`; when something is wrong, ONE apt transaction
 *   for all the members of the vertex (pkg-apt.ts: serialised, lock-waiting, non-interactive).
 * - watch: the process-wide dpkg watch (inotify on /var/lib/dpkg/status, reported after the dpkg
 *   lock cycle), so a package removed by hand is reinstalled at once; `newest` and version states
 *   also watch apt's package cache (a new index after `apt-get update`).
 * - autogrouping: pkg vertices with the same state (not a version) and the same flags merge into one
 *   vertex doing one `apt-get install -y a b c` (§2.6); `Meta:autogroup => false` opts out.
 * - autoedges: a pkg provides `pkg` + `file` uids for the commands it ships (so an `exec` of
 *   `/usr/games/figlet` runs after pkg "figlet") and runs before the `file` resources for its
 *   other files, the `file` resources for its own directories and the `svc` resources for the
 *   systemd units it ships. The list is dpkg's (`dpkg -L`), so it exists only once the package is
 *   installed.
 * - compatible duplicates (§2.7) are merged in lang/interpret.ts (installed + newest → newest).
 *
 * @example pkg "figlet" { state => "installed", }
 */
import { registerKind, type AutoEdgeUid, type GroupMember, type KindImpl, type Resource, type ResourceContext, type WatchSink } from "../../runtime/engine/resource.js";
import { watchPath } from "../../runtime/watch/index.js";
import { aptTransaction, candidates, type AptFlags } from "./pkg-apt.js";
import { dpkgSnapshot, heldPackages, isInstalled, onDpkgChange, packageFiles, type DpkgSnapshot } from "./pkg-dpkg.js";
import { bool, str, type Params } from "./file-params.js";

export interface PkgSpec extends AptFlags {
  readonly name: string;
  /** `installed`, `uninstalled`, `newest` or a version */
  readonly state: string;
  readonly allownonfree: boolean;
  readonly allowunsupported: boolean;
}

const NAMED_STATES = new Set(["installed", "uninstalled", "newest"]);
// Debian policy §5.6.1 (Package) and §5.6.12 (Version); `name:arch` selects an architecture
const PKG_NAME = /^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?$/;
const VERSION = /^(\d+:)?[0-9][A-Za-z0-9.+~:-]*$/;

export function parsePkgSpec(name: string, p: Params): PkgSpec {
  return {
    name,
    state: str(p, "state", "installed"),
    allowdowngrade: bool(p, "allowdowngrade"),
    allowuntrusted: bool(p, "allowuntrusted"),
    allownonfree: bool(p, "allownonfree"),
    allowunsupported: bool(p, "allowunsupported"),
  };
}

const isVersion = (state: string): boolean => !NAMED_STATES.has(state);

function validateSpec(s: PkgSpec): string | undefined {
  if (!PKG_NAME.test(s.name)) return `${JSON.stringify(s.name)} is not a Debian package name`;
  if (isVersion(s.state) && !VERSION.test(s.state)) return `state must be installed, uninstalled, newest or a version, not ${JSON.stringify(s.state)}`;
  return undefined;
}

/** What one member needs: undefined when it is right. */
function problem(s: PkgSpec, snap: DpkgSnapshot, cand: ReadonlyMap<string, string>): string | undefined {
  const p = snap.packages.get(s.name);
  const installed = isInstalled(p);
  switch (s.state) {
    case "installed":
      return installed ? undefined : "not installed";
    case "uninstalled":
      return installed ? `installed (${p!.version})` : undefined;
    case "newest": {
      if (!installed) return "not installed";
      const c = cand.get(s.name);
      // a package apt has no candidate for (a local .deb) is as new as it gets
      return c === undefined || c === p!.version ? undefined : `${p!.version} installed, ${c} available`;
    }
    default:
      if (!installed) return "not installed";
      return p!.version === s.state ? undefined : `${p!.version} installed, not ${s.state}`;
  }
}

/** The resource of a pkg vertex: one package, or every member of a group (one transaction). */
export class PkgResource implements Resource {
  #ctx: ResourceContext | undefined;

  constructor(readonly members: readonly PkgSpec[]) {}

  validate(): string | undefined {
    for (const m of this.members) {
      const why = validateSpec(m);
      if (why) return this.members.length > 1 ? `${m.name}: ${why}` : why;
    }
    return undefined;
  }

  async init(ctx: ResourceContext): Promise<void> {
    this.#ctx = ctx;
  }

  async watch(sink: WatchSink): Promise<() => void> {
    const stops = [onDpkgChange(() => sink.event())];
    if (this.members.some((m) => m.state !== "installed" && m.state !== "uninstalled")) {
      stops.push(watchPath("/var/cache/apt/pkgcache.bin", () => sink.event()));
    }
    sink.event();
    return () => {
      for (const s of stops) s();
    };
  }

  /** Members not in their state, with what is wrong. */
  async #wrong(signal: AbortSignal): Promise<{ spec: PkgSpec; why: string }[]> {
    const snap = await dpkgSnapshot();
    const newest = this.members.filter((m) => m.state === "newest" && isInstalled(snap.packages.get(m.name))).map((m) => m.name);
    const cand = await candidates(newest, signal);
    const out: { spec: PkgSpec; why: string }[] = [];
    for (const m of this.members) {
      const why = problem(m, snap, cand);
      if (why !== undefined) out.push({ spec: m, why });
    }
    return out;
  }

  async checkApply(apply: boolean, signal: AbortSignal): Promise<boolean> {
    const ctx = this.#ctx!;
    const wrong = await this.#wrong(signal);
    if (wrong.length === 0) return true;
    const desc = wrong.map((w) => `${w.spec.name}: ${w.why}`).join(", ");
    if (!apply) {
      ctx.log.info(`would change ${desc}`);
      return false;
    }
    ctx.log.debug(desc);
    const first = this.members[0]!;
    const op = first.state === "uninstalled" ? "remove" : "install";
    const targets = wrong.map((w) => (isVersion(w.spec.state) ? `${w.spec.name}=${w.spec.state}` : w.spec.name));
    await aptTransaction(op, targets, first, {
      log: ctx.log,
      signal,
      held: () => heldPackages(wrong.map((w) => w.spec.name)),
    });
    const still = await this.#wrong(signal);
    if (still.length > 0) throw new Error(`apt-get ${op} succeeded but ${still.map((w) => `${w.spec.name} is ${w.why}`).join(", ")}`);
    return false;
  }

  async cleanup(): Promise<void> {}
}

// ---------------------------------------------------------------------------------------------
// autoedges

const UNIT_DIRS = ["/lib/systemd/system/", "/usr/lib/systemd/system/", "/etc/systemd/system/"];

/** A directory the package owns (`/etc/figlet/`, `/usr/share/doc/figlet/`), not a shared one like `/usr/share/`. */
function ownDir(pkg: string, dir: string): boolean {
  const base = pkg.split(":")[0]!;
  const last = dir.slice(0, -1).split("/").pop() ?? "";
  return last === base || (base.startsWith(`${last}-`) && last.length >= 3);
}

/** Where commands live: an `exec` seeks its program's path, so these are the files a pkg provides. */
const BIN_DIRS = new Set(["/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/games", "/usr/local/bin", "/usr/local/sbin"]);

/**
 * uids: `pkg` name and a `file` uid per command it ships (in a bin directory; `exec` seeks those).
 * seeks, pkg first: every other file it ships, each of its own directories, each systemd unit
 * (`svc` keyed by the unit name without `.service`). Provided and sought paths never overlap, so
 * two packages listing the same path (shared empty directories, Multi-Arch: same, diversions)
 * can't make a pkg ↔ pkg cycle.
 */
export function pkgAutoEdges(name: string, params: Params): ReturnType<NonNullable<KindImpl["autoedges"]>> {
  const uids: AutoEdgeUid[] = [{ kind: "pkg", key: name }];
  let state = "installed";
  try {
    state = parsePkgSpec(name, params).state;
  } catch {
    // invalid params: validate reports them
  }
  const seeks: AutoEdgeUid[][] = [];
  for (const f of packageFiles(name)) {
    if (f.endsWith("/")) {
      if (ownDir(name, f)) seeks.push([{ kind: "file", key: f }]);
      continue;
    }
    if (BIN_DIRS.has(f.slice(0, f.lastIndexOf("/")))) {
      uids.push({ kind: "file", key: f });
      continue;
    }
    seeks.push([{ kind: "file", key: f }]);
    const dir = UNIT_DIRS.find((d) => f.startsWith(d) && !f.slice(d.length).includes("/"));
    if (dir && f.endsWith(".service")) seeks.push([{ kind: "svc", key: f.slice(dir.length, -".service".length) }]);
  }
  return { uids, seeks: state === "uninstalled" ? [] : seeks, before: false };
}

const FLAGS = ["allowdowngrade", "allowuntrusted", "allownonfree", "allowunsupported"] as const;

/** §2.6: same state, neither a version string, and the same apt flags (one transaction has one set). */
export function pkgGroupCmp(a: GroupMember, b: GroupMember): boolean {
  let x: PkgSpec, y: PkgSpec;
  try {
    x = parsePkgSpec(a.name, a.params);
    y = parsePkgSpec(b.name, b.params);
  } catch {
    return false;
  }
  if (x.state !== y.state || isVersion(x.state)) return false;
  return FLAGS.every((f) => x[f] === y[f]);
}

export const pkgKind: KindImpl = {
  kind: "pkg",
  create: (name, params) => new PkgResource([parsePkgSpec(name, params)]),
  autoedges: pkgAutoEdges,
  groupCmp: pkgGroupCmp,
  createGroup: (members) => new PkgResource(members.map((m) => parsePkgSpec(m.name, m.params))),
};

registerKind(pkgKind);
