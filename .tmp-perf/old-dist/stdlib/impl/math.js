/**
 * Package `math` (mcl-language.md §11.2), after mgmt's `lang/core/math`: domain errors (NaN or
 * infinite results) are catchable.
 */
import { CatchableError } from "../../lang/values.js";
import { registerImpls } from "../impl.js";
import { argFloat, argInt, fail, retType } from "./args.js";
import { goPow } from "./go-math.js";
import { wrapInt } from "../../lang/values.js";
/** mgmt's checks on a float result. */
function checked(z, what) {
    if (Number.isNaN(z))
        return fail(`${what}: result is not a number`);
    if (z === Infinity)
        return fail(`${what}: result is positive infinity`);
    if (z === -Infinity)
        return fail(`${what}: result is negative infinity`);
    return z;
}
function mod(args) {
    const x = args[0], y = args[1];
    if (typeof x === "bigint" && typeof y === "bigint") {
        // Go's math.Mod semantics on ints: the result has the sign of x; y = 0 is NaN in Go
        return y === 0n ? fail("math.mod: result is not a number") : x % y;
    }
    return checked(argFloat(args, 0) % argFloat(args, 1), "math.mod");
}
registerImpls({
    "math.fortytwo": { effect: "pure", call: (_args, ctx) => (retType(ctx)?.k === "float" ? 42 : 42n) },
    "math.minus1": { effect: "pure", call: (args) => wrapInt(argInt(args, 0) - 1n) },
    "math.mod": { effect: "pure", call: mod },
    "math.pow": { effect: "pure", call: (args) => checked(goPow(argFloat(args, 0), argFloat(args, 1)), "math.pow") },
    "math.sqrt": {
        effect: "pure",
        call: (args) => {
            const x = argFloat(args, 0);
            return Number.isNaN(x) || x < 0 ? fail("math.sqrt: invalid input, square root of negative is nan") : Math.sqrt(x);
        },
    },
});
