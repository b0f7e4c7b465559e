/**
 * Package `local` (mcl-language.md §11.2): `pool` and `vardir` on the per-host state of
 * runtime/local. Failures (a bad path, an unwritable state dir) are catchable.
 */
import { CatchableError } from "../../../lang/values.js";
import { openLocal } from "../../../runtime/local/index.js";
import { registerImpls } from "../../impl.js";
import { argStr } from "./util.js";
function attempt(fn, f) {
    try {
        return f();
    }
    catch (e) {
        return new CatchableError(`${fn}: ${e.message}`);
    }
}
registerImpls({
    "local.pool": {
        effect: "impure",
        call: (args, ctx) => {
            const ns = argStr(args, 0, "local.pool");
            const uid = argStr(args, 1, "local.pool");
            return attempt("local.pool", () => BigInt(openLocal(ctx.stateDir).pool(ns, uid)));
        },
    },
    "local.vardir": {
        effect: "impure",
        call: (args, ctx) => {
            const path = argStr(args, 0, "local.vardir");
            return attempt("local.vardir", () => openLocal(ctx.stateDir).vardir(path));
        },
    },
});
