/**
 * The cost of a clean check and the drift reaction of the data kinds (issue 5 §4): `tar` over a
 * tree of 2,000 files, `gzip` of a 16 MiB file, `json:edit` of a 2,000-key document,
 * `ssh:authorized_key` in a 200-line file. Each resource runs through the Resource API with its
 * real watch (test/resources/harness.ts), on the default disk.
 *
 * - "clean check": checkApply when nothing changed (median of 50). For tar/gzip this is the
 *   recorded-digest check (archive-state.ts): one lstat per input entry, no read; compared with a
 *   full build to show what it saves.
 * - "drift → fixed": a change by hand (an input edited, a key removed) until the watch fired and
 *   checkApply has put it right (median of 30).
 *
 * Run: `node --import tsx bench/archive-check.bench.ts`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import "../stdlib/resources/index.js";
import type { Resource } from "../runtime/engine/resource.js";
import { recordWatch, removeTempDirs, start } from "../test/resources/harness.js";
import { cleanupTmp, endLoad, fsType, machine, r2, report, stats, tmp, type Row } from "./engine-util.js";

const never = new AbortController().signal;
const CLEAN = 50;
const DRIFT = 30;

async function clean(res: Resource): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < CLEAN; i++) {
    const t0 = performance.now();
    if (!(await res.checkApply(true, never))) throw new Error("a clean check changed something");
    xs.push(performance.now() - t0);
  }
  return stats(xs).median;
}

/** `mutate` by hand, then wait for the watch and run checkApply; median ms until fixed. */
async function drift(res: Resource, mutate: (i: number) => void): Promise<number> {
  const w = await recordWatch(res);
  try {
    await w.next(0);
    const xs: number[] = [];
    for (let i = 0; i < DRIFT; i++) {
      await new Promise((r) => setTimeout(r, 20)); // let the previous write's events settle
      const seen = w.times.length;
      const t0 = performance.now();
      mutate(i);
      await w.next(seen);
      if (await res.checkApply(true, never)) throw new Error("drift not seen by checkApply");
      xs.push(performance.now() - t0);
    }
    return stats(xs).median;
  } finally {
    w.stop();
  }
}

const m = machine();
const dir = tmp("steward-bench-archive-");
const rows: Row[] = [];
const data: Record<string, number> = {};
try {
  // tar: 2,000 files of 4 KiB in 20 directories
  const src = join(dir, "src");
  const block = "x".repeat(4096);
  for (let d = 0; d < 20; d++) {
    mkdirSync(join(src, `d${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(src, `d${d}`, `f${f}`), block);
  }
  const tar = (await start("tar", join(dir, "src.tar"), { inputs: [src] })).res;
  let t0 = performance.now();
  await tar.checkApply(true, never);
  data["tarBuild"] = r2(performance.now() - t0);
  data["tarClean"] = r2(await clean(tar));
  data["tarDrift"] = r2(await drift(tar, (i) => writeFileSync(join(src, "d7", "f7"), `${block}${i}`)));
  rows.push({ what: "tar, 2,000 files (8 MiB): full build", result: `${data["tarBuild"]} ms` });
  rows.push({ what: "tar: clean check", result: `${data["tarClean"]} ms (${r2(data["tarBuild"] / data["tarClean"])}× cheaper than a build)` });
  rows.push({ what: "tar: one input edited → watch → rebuilt", result: `${data["tarDrift"]} ms` });

  // gzip: 16 MiB of compressible text
  const input = join(dir, "big.txt");
  writeFileSync(input, "the quick brown fox jumps over the lazy dog\n".repeat(400_000));
  const gz = (await start("gzip", join(dir, "big.txt.gz"), { input })).res;
  t0 = performance.now();
  await gz.checkApply(true, never);
  data["gzipBuild"] = r2(performance.now() - t0);
  data["gzipClean"] = r2(await clean(gz));
  rows.push({ what: "gzip, 16 MiB input: full build", result: `${data["gzipBuild"]} ms` });
  rows.push({ what: "gzip: clean check", result: `${data["gzipClean"]} ms` });

  // json:edit: a 2,000-key document
  const doc: Record<string, unknown> = {};
  for (let i = 0; i < 2000; i++) doc[`key${i}`] = { n: i, s: `value ${i}`, on: i % 2 === 0 };
  const store = join(dir, "cfg.json");
  writeFileSync(store, JSON.stringify(doc));
  const je = (await start("json:edit", store, { edits: [".server.port = 8080", "del(.key7)"] })).res;
  await je.checkApply(true, never);
  data["jsonClean"] = r2(await clean(je));
  data["jsonDrift"] = r2(await drift(je, (i) => writeFileSync(store, JSON.stringify({ ...doc, server: { port: i } }))));
  rows.push({ what: "json:edit, 2,000-key document (140 KB): clean check", result: `${data["jsonClean"]} ms` });
  rows.push({ what: "json:edit: key edited by hand → watch → fixed", result: `${data["jsonDrift"]} ms` });

  // ssh:authorized_key: 200 other keys in the file
  const ed = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl bench@x";
  const others = Array.from({ length: 200 }, (_, i) => `# other key ${i}`).join("\n") + "\n";
  const keys = join(dir, "ssh", "authorized_keys");
  const ak = (await start("ssh:authorized_key", "bench", { file: keys, content: ed })).res;
  await ak.checkApply(true, never);
  writeFileSync(keys, others + ed + "\n");
  data["sshClean"] = r2(await clean(ak));
  data["sshDrift"] = r2(await drift(ak, () => writeFileSync(keys, others)));
  rows.push({ what: "ssh:authorized_key, 201-line file: clean check", result: `${data["sshClean"]} ms` });
  rows.push({ what: "ssh:authorized_key: key line removed by hand → watch → fixed", result: `${data["sshDrift"]} ms` });
} finally {
  removeTempDirs();
  cleanupTmp();
}
endLoad(m);
report(`archive-check (${fsType(tmp("steward-bench-fs-"))})`, m, rows, data);
cleanupTmp();
