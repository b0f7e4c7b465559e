/**
 * Package `iter` (mcl-language.md §11.2). Function values are called synchronously
 * (`FuncValue.call`); the first catchable error returned by a call is the result.
 */
import { isCatchable } from "../../lang/values.js";
import { registerImpls } from "../impl.js";
import { argFunc, argInt, argList, fail } from "./args.js";
function mapList(inputs, f) {
    const out = [];
    for (const x of inputs) {
        const y = f(x);
        if (isCatchable(y))
            return y;
        out.push(y);
    }
    return out;
}
/** Python's range(start, stop, step); mgmt `iter.range`. */
export function pyRange(start, stop, step) {
    if (step === 0n)
        return fail("iter.range: step must not be zero");
    const out = [];
    const n = step > 0n ? (stop - start + step - 1n) / step : (start - stop - step - 1n) / -step;
    if (n > 10000000n)
        return fail(`iter.range: too many elements: ${n}`);
    for (let v = start; step > 0n ? v < stop : v > stop; v += step)
        out.push(v);
    return out;
}
registerImpls({
    "iter.map": {
        effect: "pure",
        call: (args) => {
            const f = argFunc(args, 1);
            return mapList(argList(args, 0), (x) => f.call([x]));
        },
    },
    "iter.filter": {
        effect: "pure",
        call: (args) => {
            const f = argFunc(args, 1);
            const out = [];
            for (const x of argList(args, 0)) {
                const keep = f.call([x]);
                if (isCatchable(keep))
                    return keep;
                if (keep === true)
                    out.push(x);
            }
            return out;
        },
    },
    "iter.reduce": {
        effect: "pure",
        call: (args) => {
            const three = args.length === 3;
            const inputs = argList(args, three ? 1 : 0);
            const f = argFunc(args, three ? 2 : 1);
            let acc = three ? args[0] : inputs[0];
            if (acc === undefined)
                return fail("iter.reduce: can't reduce an empty list without an initial value");
            for (const x of inputs.slice(three ? 0 : 1)) {
                const r = f.call([acc, x]);
                if (isCatchable(r))
                    return r;
                acc = r;
            }
            return acc;
        },
    },
    "iter.zip": {
        effect: "pure",
        call: (args) => {
            const a = argList(args, 0), b = argList(args, 1);
            const f = argFunc(args, 2);
            // Python semantics: stop at the shorter list
            const out = [];
            for (let i = 0; i < Math.min(a.length, b.length); i++) {
                const r = f.call([a[i], b[i]]);
                if (isCatchable(r))
                    return r;
                out.push(r);
            }
            return out;
        },
    },
    "iter.flatten": { effect: "pure", call: (args) => argList(args, 0).flatMap((l) => l) },
    "iter.range": {
        effect: "pure",
        call: (args) => {
            if (args.length === 1)
                return pyRange(0n, argInt(args, 0), 1n);
            return pyRange(argInt(args, 0), argInt(args, 1), args.length === 3 ? argInt(args, 2) : 1n);
        },
    },
});
