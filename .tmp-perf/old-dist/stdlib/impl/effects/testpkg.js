/**
 * Package `test` (mcl-language.md §11.2): sources for exercising the reactive engine. mgmt does
 * not document their exact sequences; these are Steward's, chosen to hit the interesting engine
 * paths (constant churn, loop bodies appearing and disappearing, slow first values):
 *
 * - `fastcount()`: 0, 1, 2, … as fast as the event loop allows (one value per macrotask).
 * - `forloop()`: `["a"]`, `["a", "b"]`, … up to 5 elements, then again from `["a"]`; one step per
 *   {@link TEST_STEP_MS}. A for loop over it gains and loses body instances.
 * - `forkvloop()`: the same as a map: `{"a": "0"}`, `{"a": "1", "b": "1"}`, … (values are the step
 *   number, so existing keys also change).
 * - `one_stream(count)`: `"1"`, `"2"`, …, `"<count>"` one per {@link TEST_STEP_MS}, then stays
 *   silent; `count < 1` emits `"0"` once.
 * - `slow_string()`: `"slow"` after {@link SLOW_STRING_MS} (blocks the first table until then).
 */
import { Observable } from "rxjs";
import { MapValue } from "../../../lang/values.js";
import { registerImpls } from "../../impl.js";
import { argInt } from "./util.js";
export const TEST_STEP_MS = 1000;
export const SLOW_STRING_MS = 5000;
const LETTERS = "abcde";
/** Emit `f(0)` now and `f(i)` every `ms` until `f` returns undefined. */
export function steps$(ms, f) {
    return new Observable((sub) => {
        let i = 0;
        const first = f(0);
        if (first === undefined)
            return;
        sub.next(first);
        const t = setInterval(() => {
            const v = f(++i);
            if (v === undefined)
                clearInterval(t);
            else
                sub.next(v);
        }, ms);
        return () => clearInterval(t);
    });
}
export function fastcount$() {
    return new Observable((sub) => {
        let n = 0n;
        let h;
        const tick = () => {
            sub.next(n++);
            h = setImmediate(tick);
        };
        tick();
        return () => clearImmediate(h);
    });
}
export const forloopAt = (i) => [...LETTERS.slice(0, (i % LETTERS.length) + 1)];
export const forkvloopAt = (i) => new MapValue([...LETTERS.slice(0, (i % LETTERS.length) + 1)].map((k) => [k, String(i)]));
registerImpls({
    "test.fastcount": { effect: "source", stream: () => fastcount$() },
    "test.forloop": { effect: "source", stream: () => steps$(TEST_STEP_MS, forloopAt) },
    "test.forkvloop": { effect: "source", stream: () => steps$(TEST_STEP_MS, forkvloopAt) },
    "test.one_stream": {
        effect: "source",
        stream: (args) => {
            const count = Number(argInt(args, 0, "test.one_stream"));
            if (count < 1)
                return steps$(TEST_STEP_MS, (i) => (i === 0 ? "0" : undefined));
            return steps$(TEST_STEP_MS, (i) => (i < count ? String(i + 1) : undefined));
        },
    },
    "test.slow_string": {
        effect: "source",
        stream: () => new Observable((sub) => {
            const t = setTimeout(() => sub.next("slow"), SLOW_STRING_MS);
            return () => clearTimeout(t);
        }),
    },
});
