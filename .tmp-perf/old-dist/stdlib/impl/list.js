import { registerImpls } from "../impl.js";
import { argInt, argList } from "./args.js";
import { listLookup } from "./core.js";
registerImpls({
    "list.concat": { effect: "pure", call: (args) => args.flatMap((_, i) => argList(args, i)) },
    "list.lookup": { effect: "pure", call: (args) => listLookup(argList(args, 0), argInt(args, 1)) },
});
