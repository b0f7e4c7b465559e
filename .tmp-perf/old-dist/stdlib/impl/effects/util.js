/**
 * Helpers shared by the effectful builtins: argument access, catchable and fatal failures, and
 * the source shapes they all use (poll, aligned tick). Every source emits its first value
 * synchronously on subscribe, so a node built mid-wave loads in that same wave (evaluator.ts
 * `subscribe`).
 */
import { Observable } from "rxjs";
import { CatchableError, hashKey } from "../../../lang/values.js";
/** A string argument; a wrong type means the lowering is broken, so it is fatal. */
export function argStr(args, i, fn) {
    const v = args[i];
    if (typeof v !== "string")
        throw new TypeError(`${fn}: arg ${i} must be a str`);
    return v;
}
export function argInt(args, i, fn) {
    const v = args[i];
    if (typeof v !== "bigint")
        throw new TypeError(`${fn}: arg ${i} must be an int`);
    return v;
}
export function argBool(args, i, fn) {
    const v = args[i];
    if (typeof v !== "boolean")
        throw new TypeError(`${fn}: arg ${i} must be a bool`);
    return v;
}
export function argFloat(args, i, fn) {
    const v = args[i];
    if (typeof v !== "number")
        throw new TypeError(`${fn}: arg ${i} must be a float`);
    return v;
}
/** Go-style text of a Node fs error: `open /x: no such file or directory`. */
export function errnoText(e, op, path) {
    const code = e.code;
    const why = {
        ENOENT: "no such file or directory",
        EACCES: "permission denied",
        EISDIR: "is a directory",
        ENOTDIR: "not a directory",
        ELOOP: "too many levels of symbolic links",
    };
    return `${op} ${path}: ${(code !== undefined && why[code]) || e.message}`;
}
function outKey(v) {
    return v instanceof CatchableError ? `err:${v.message}` : hashKey(v);
}
/**
 * Read `read()` now and every `ms`, emitting only when the result changes. `read` may return a
 * CatchableError (it flows as a value) or throw (fatal: the Observable errors).
 */
export function poll$(ms, read) {
    return new Observable((sub) => {
        let last;
        const step = () => {
            let v;
            try {
                v = read();
            }
            catch (e) {
                sub.error(e);
                return;
            }
            const k = outKey(v);
            if (k !== last) {
                last = k;
                sub.next(v);
            }
        };
        step();
        const t = setInterval(step, ms);
        return () => clearInterval(t);
    });
}
/**
 * Emit `f(unixSeconds)` now and right after every wall-clock second boundary. The timer is
 * re-armed from `Date.now()` each time, so it doesn't drift; an early wake-up (Node timers may
 * fire a millisecond early) re-arms instead of emitting the same second twice.
 */
export function everySecond$(f) {
    return new Observable((sub) => {
        let last = -1;
        let timer;
        const fire = () => {
            const now = Date.now();
            const sec = Math.floor(now / 1000);
            if (sec !== last) {
                last = sec;
                sub.next(f(sec));
            }
            timer = setTimeout(fire, 1000 - (Date.now() % 1000) + 1);
        };
        fire();
        return () => clearTimeout(timer);
    });
}
/** The fatal failure of a function that exists in the registry but not yet at run time. */
export function notImplemented(name) {
    return new Error(`${name}: not implemented yet`);
}
