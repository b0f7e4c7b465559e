/**
 * The effectful global builtins (mcl-language.md §11.1): `history` (source), `random1`, `panic`
 * and `panic_debug` (impure; a panic is a fatal, non-catchable failure that stops the engine, §3.9).
 */
import { randomInt } from "node:crypto";
import { Observable } from "rxjs";
import { hashKey } from "../../../lang/values.js";
import { registerImpls } from "../../impl.js";
import { argBool, argInt } from "./util.js";
/**
 * Per call site: the values seen so far, oldest first. The stream is re-subscribed on every new
 * input value, so the buffer must outlive one subscription; it is keyed by the call site's
 * ImplContext object (one per call site, as it carries the site's solved type) and goes away with it.
 */
const histories = new WeakMap();
/**
 * `history(value, index)`: the value as it was `index` ms ago. Each new input is recorded with
 * its arrival time; the output switches to it `index` ms later. Until the first value is `index`
 * ms old there is no output (the value did not exist then). `index <= 0` is the value itself.
 */
export function history$(samples, value, index, now = () => performance.now()) {
    const t0 = now();
    const key = hashKey(value);
    if (samples.at(-1)?.key !== key)
        samples.push({ t: t0, v: value, key });
    return new Observable((sub) => {
        if (index <= 0) {
            sub.next(value);
            return;
        }
        let timer;
        const step = () => {
            const target = now() - index;
            // the newest sample at or before target is current; older ones are no longer needed
            let cur = -1;
            for (let i = 0; i < samples.length; i++)
                if (samples[i].t <= target)
                    cur = i;
            if (cur > 0)
                samples.splice(0, cur);
            if (cur >= 0)
                sub.next(samples[0].v);
            const next = samples[cur >= 0 ? 1 : 0];
            if (next)
                timer = setTimeout(step, Math.max(0, Math.ceil(next.t + index - now())));
        };
        step();
        return () => clearTimeout(timer);
    });
}
// ---------------------------------------------------------------------------------------------
// random1
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** `length` characters from [a-zA-Z0-9], from a cryptographic source. */
export function random1(length) {
    let s = "";
    for (let i = 0; i < length; i++)
        s += ALPHABET[randomInt(ALPHABET.length)];
    return s;
}
// ---------------------------------------------------------------------------------------------
registerImpls({
    history: {
        effect: "source",
        stream: (args, ctx) => {
            let samples = histories.get(ctx);
            if (!samples)
                histories.set(ctx, (samples = []));
            return history$(samples, args[0], Number(argInt(args, 1, "history")));
        },
    },
    random1: {
        effect: "impure",
        call: (args) => {
            const n = argInt(args, 0, "random1");
            if (n < 0n || n > 1000000n)
                throw new RangeError(`random1: length ${n} out of range`);
            return random1(Number(n));
        },
    },
    panic: {
        effect: "impure",
        call: (args) => {
            const x = args[0];
            if (x === true)
                throw new Error("bool panic occurred");
            if (typeof x === "string" && x !== "")
                throw new Error(`str panic occurred: ${x}`);
            if (x === false || x === "")
                return false;
            throw new TypeError("panic: arg must be a bool or a str");
        },
    },
    panic_debug: {
        effect: "impure",
        call: (args) => {
            if (argBool(args, 0, "panic_debug"))
                throw new Error(`bool panic occurred: ${args[1]}`);
            return false;
        },
    },
});
