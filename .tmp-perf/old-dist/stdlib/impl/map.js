/**
 * Package `map` (mcl-language.md §11.2). Go maps are unordered; for deterministic graphs `keys`
 * and `values` follow the printing order (keys sorted by value order, §10).
 */
import { sortedEntries } from "../../lang/values.js";
import { registerImpls } from "../impl.js";
import { argMap } from "./args.js";
import { mapLookup } from "./core.js";
registerImpls({
    "map.keys": { effect: "pure", call: (args) => sortedEntries(argMap(args, 0)).map(([k]) => k) },
    "map.values": { effect: "pure", call: (args) => sortedEntries(argMap(args, 0)).map(([, v]) => v) },
    "map.lookup": { effect: "pure", call: (args) => mapLookup(argMap(args, 0), args[1]) },
});
