/**
 * Package `util` (mcl-language.md §11.2). `hostname_mapper` picks the value for this host from a
 * `hostname → value` map, falling back to the entry for the empty key `""`, then to `""`
 * (mgmt `lang/core/util/hostname_mapper`). Impure: it reads the host's name.
 */
import { registerImpls } from "../impl.js";
import { argMap } from "./args.js";
registerImpls({
    "util.hostname_mapper": {
        effect: "impure",
        call: (args, ctx) => {
            const m = argMap(args, 0);
            return m.get(ctx.hostname) ?? m.get("") ?? "";
        },
    },
});
