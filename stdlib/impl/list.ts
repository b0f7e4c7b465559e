/** Package `list` (mcl-language.md §11.2). */
import type { Value } from "../../lang/values.js";
import { registerImpls } from "../impl.js";
import { argInt, argList } from "./args.js";
import { listLookup } from "./core.js";

registerImpls({
  "list.concat": { effect: "pure", call: (args) => args.flatMap((_, i) => argList(args, i) as Value[]) },
  "list.lookup": { effect: "pure", call: (args) => listLookup(argList(args, 0), argInt(args, 1)) },
});
