/**
 * Packages `world` and `world/collect` (mcl-language.md §11.2), plus the internal `_collect` of
 * `collect` statements (§3.10): thin adapters from the World's watch Observables
 * (runtime/world/world.ts) to mcl values. Every World watch emits the current state on
 * subscribe, so these nodes load at once.
 */
import { map } from "rxjs";
import { MapValue, StructValue, isStruct, type Value } from "../../../lang/values.js";
import type { ExportedResource } from "../../../runtime/world/world.js";
import { registerImpls } from "../../impl.js";
import { argStr } from "./util.js";

/**
 * `collectMatches` for many resources at once: the names arg is indexed once, so collecting N
 * resources by a list of N names (`collect kind collect.res(kind)`) costs O(N), not O(N²).
 */
export function collectMatching(names: Value, rs: readonly ExportedResource[]): ExportedResource[] {
  if (!Array.isArray(names)) return rs.filter((r) => collectMatches(names, r));
  const any = new Set<string>();
  const byHost = new Set<string>();
  for (const n of names as readonly Value[]) {
    if (typeof n === "string") any.add(n);
    else if (isStruct(n)) {
      const name = n.get("name");
      const host = n.get("host");
      if (typeof name !== "string") continue;
      if (host === undefined || host === "") any.add(name);
      else byHost.add(`${name}\0${String(host)}`);
    }
  }
  return rs.filter((r) => any.has(r.name) || byHost.has(`${r.name}\0${r.host}`));
}

/** Does an exported resource match `_collect`'s names arg (str, []str or []struct{name; host})? */
export function collectMatches(names: Value, r: ExportedResource): boolean {
  if (typeof names === "string") return r.name === names;
  if (!Array.isArray(names)) return false;
  return names.some((n: Value) => {
    if (typeof n === "string") return r.name === n;
    if (!isStruct(n)) return false;
    const host = n.get("host");
    return n.get("name") === r.name && (host === undefined || host === "" || host === r.host);
  });
}

registerImpls({
  "world.getval": {
    effect: "source",
    stream: (args, ctx) =>
      ctx.world.watch(argStr(args, 0, "world.getval")).pipe(map((v): Value => new StructValue({ value: v ?? "", exists: v !== undefined }))),
  },
  "world.kvlookup": {
    effect: "source",
    stream: (args, ctx) => ctx.world.watchHostValues(argStr(args, 0, "world.kvlookup")).pipe(map((m): Value => new MapValue(m))),
  },
  "world.schedule": {
    effect: "source",
    // Read-only (engine-reference.md §6.6): the `schedule` resource volunteers, this only reads.
    stream: (args, ctx) => ctx.world.watchSchedule(argStr(args, 0, "world.schedule")).pipe(map((hosts): Value => [...hosts])),
  },
  "world/collect.res": {
    effect: "source",
    stream: (args, ctx) =>
      ctx.world
        .watchExported(argStr(args, 0, "world/collect.res"))
        .pipe(map((rs): Value => rs.map((r) => new StructValue({ name: r.name, host: r.host })))),
  },
  _collect: {
    effect: "source",
    stream: (args, ctx) => {
      const names = args[1] ?? [];
      return ctx.world
        .watchExported(argStr(args, 0, "_collect"))
        .pipe(map((rs): Value => collectMatching(names, rs).map((r) => new StructValue({ name: r.name, host: r.host, data: r.data }))));
    },
  },
});
