/**
 * Package `datetime` (mcl-language.md §11.2): the clock sources and the Go-layout formatters.
 * `now`, `str_now` and `weekday_fast` tick right after each wall-clock second, so every agent
 * sees the same second change at about the same moment.
 */
import { distinctUntilChanged } from "rxjs";
import { registerImpls } from "../../impl.js";
import { GO_TIME_STRING, formatGoTime, localTime } from "./go-time.js";
import { argInt, argStr, everySecond$ } from "./util.js";
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
/** Unix seconds as a JS number; Date can't represent beyond ±8.64e12 s, which is fatal. */
function seconds(a, fn) {
    const s = Number(a);
    if (!Number.isFinite(s) || Math.abs(s) > 8.64e12)
        throw new RangeError(`${fn}: time ${a} is out of range`);
    return s;
}
/** `time.Unix(a, 0).Weekday()`, lower-cased as mgmt does (`"friday"`). */
export function weekdayOf(sec) {
    return WEEKDAYS[localTime(sec).weekday];
}
registerImpls({
    "datetime.now": { effect: "source", stream: () => everySecond$((s) => BigInt(s)) },
    "datetime.str_now": { effect: "source", stream: () => everySecond$((s) => formatGoTime(s, GO_TIME_STRING)) },
    // The weekday of the current time, checked every second (so it changes within a second of
    // local midnight); emits only when it changes.
    "datetime.weekday_fast": { effect: "source", stream: () => everySecond$((s) => weekdayOf(s)).pipe(distinctUntilChanged()) },
    "datetime.format": {
        effect: "pure",
        call: (args) => formatGoTime(seconds(argInt(args, 0, "datetime.format"), "datetime.format"), argStr(args, 1, "datetime.format")),
    },
    "datetime.hour": { effect: "pure", call: (args) => BigInt(localTime(seconds(argInt(args, 0, "datetime.hour"), "datetime.hour")).hour) },
    "datetime.print": { effect: "pure", call: (args) => formatGoTime(seconds(argInt(args, 0, "datetime.print"), "datetime.print"), GO_TIME_STRING) },
    "datetime.weekday": { effect: "pure", call: (args) => weekdayOf(seconds(argInt(args, 0, "datetime.weekday"), "datetime.weekday")) },
});
