/**
 * Go's `time.Time.Format` for the `datetime` package: layouts are written with the reference time
 * `Mon Jan 2 15:04:05 MST 2006` (`2006-01-02`, `15:04`, `Jan _2`, `-07:00`, `.000` …), mirroring
 * the chunk rules of Go's `nextStdChunk` (src/time/format.go). Times are in the process's local
 * zone, as Go's `time.Unix(sec, 0)` is.
 *
 * Supported: every std chunk of Go 1.22 — January Jan Monday Mon MST 01 1 02 2 _2 002 __2 15 03
 * 3 04 4 05 5 2006 06 PM pm, the `-07…`/`Z07…` offsets, and `.000`/`.999`/`,000` fractions.
 */
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const zoneNames = new Map();
/** The short zone name Go would print; Intl's `GMT+3` style becomes Go/tzdata's `+03`. */
function zoneName(d, offset) {
    const key = `${offset}`;
    const have = zoneNames.get(key);
    if (have !== undefined)
        return have;
    let name = "";
    try {
        name = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? "";
    }
    catch {
        name = "";
    }
    if (name === "GMT" && offset === 0)
        name = "UTC";
    if (/^(GMT|UTC)[+-]/.test(name) || name === "") {
        const sign = offset < 0 ? "-" : "+";
        const a = Math.abs(offset);
        const h = String(Math.floor(a / 3600)).padStart(2, "0");
        const m = Math.floor((a % 3600) / 60);
        name = m === 0 ? `${sign}${h}` : `${sign}${h}${String(m).padStart(2, "0")}`;
    }
    zoneNames.set(key, name);
    return name;
}
/** Calendar fields of unix time `sec` (+ `nanos`) in the local zone. */
export function localTime(sec, nanos = 0) {
    const d = new Date(sec * 1000);
    const offset = -d.getTimezoneOffset() * 60;
    const start = Date.UTC(d.getFullYear(), 0, 1);
    const today = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
    return {
        year: d.getFullYear(),
        month: d.getMonth() + 1,
        day: d.getDate(),
        hour: d.getHours(),
        minute: d.getMinutes(),
        second: d.getSeconds(),
        nanos,
        weekday: d.getDay(),
        yearDay: Math.round((today - start) / 86_400_000) + 1,
        offset,
        zone: zoneName(d, offset),
    };
}
const isDigit = (c) => c !== undefined && c >= "0" && c <= "9";
/** Split a layout into literal text and std chunks (Go's nextStdChunk). */
export function layoutChunks(layout) {
    const out = [];
    let lit = "";
    const push = (c) => {
        if (lit)
            out.push({ k: "lit", s: lit });
        lit = "";
        out.push(c);
    };
    let i = 0;
    const at = (s) => layout.startsWith(s, i);
    while (i < layout.length) {
        const c = layout[i];
        let std;
        switch (c) {
            case "J":
                if (at("January"))
                    std = "January";
                else if (at("Jan"))
                    std = "Jan";
                break;
            case "M":
                if (at("Monday"))
                    std = "Monday";
                else if (at("Mon"))
                    std = "Mon";
                else if (at("MST"))
                    std = "MST";
                break;
            case "0": {
                const n = layout[i + 1];
                if (n !== undefined && n >= "1" && n <= "6")
                    std = `0${n}`;
                else if (at("002"))
                    std = "002";
                break;
            }
            case "1":
                std = at("15") ? "15" : "1";
                break;
            case "2":
                std = at("2006") ? "2006" : "2";
                break;
            case "_":
                if (at("_2")) {
                    if (at("_2006")) {
                        // `_2006` is a literal `_` followed by the year (Go special case)
                        lit += "_";
                        i += 1;
                        std = "2006";
                    }
                    else
                        std = "_2";
                }
                else if (at("__2"))
                    std = "__2";
                break;
            case "3":
            case "4":
            case "5":
                std = c;
                break;
            case "P":
                if (at("PM"))
                    std = "PM";
                break;
            case "p":
                if (at("pm"))
                    std = "pm";
                break;
            case "-":
            case "Z":
                for (const z of ["070000", "07:00:00", "0700", "07:00", "07"]) {
                    if (at(c + z)) {
                        std = c + z;
                        break;
                    }
                }
                break;
            case ".":
            case ",": {
                const d = layout[i + 1];
                if (d === "0" || d === "9") {
                    let j = i + 1;
                    while (layout[j] === d)
                        j++;
                    if (!isDigit(layout[j])) {
                        push({ k: "frac", digits: j - i - 1, trim: d === "9", sep: c });
                        i = j;
                        continue;
                    }
                }
                break;
            }
        }
        if (std !== undefined) {
            push({ k: "std", s: std });
            i += std.length;
        }
        else {
            lit += c;
            i++;
        }
    }
    if (lit)
        out.push({ k: "lit", s: lit });
    return out;
}
const pad = (n, w, ch = "0") => String(n).padStart(w, ch);
function offsetStr(t, std) {
    if (std.startsWith("Z") && t.offset === 0)
        return "Z";
    const sign = t.offset < 0 ? "-" : "+";
    const a = Math.abs(t.offset);
    const h = pad(Math.floor(a / 3600), 2);
    const m = pad(Math.floor((a % 3600) / 60), 2);
    const s = pad(a % 60, 2);
    switch (std.slice(1)) {
        case "070000":
            return `${sign}${h}${m}${s}`;
        case "07:00:00":
            return `${sign}${h}:${m}:${s}`;
        case "0700":
            return `${sign}${h}${m}`;
        case "07:00":
            return `${sign}${h}:${m}`;
        default:
            return `${sign}${h}`;
    }
}
function stdStr(t, std) {
    const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    switch (std) {
        case "January":
            return LONG_MONTHS[t.month - 1];
        case "Jan":
            return LONG_MONTHS[t.month - 1].slice(0, 3);
        case "Monday":
            return LONG_DAYS[t.weekday];
        case "Mon":
            return LONG_DAYS[t.weekday].slice(0, 3);
        case "MST":
            return t.zone || offsetStr(t, "-0700");
        case "01":
            return pad(t.month, 2);
        case "1":
            return String(t.month);
        case "02":
            return pad(t.day, 2);
        case "2":
            return String(t.day);
        case "_2":
            return pad(t.day, 2, " ");
        case "002":
            return pad(t.yearDay, 3);
        case "__2":
            return pad(t.yearDay, 3, " ");
        case "15":
            return pad(t.hour, 2);
        case "03":
            return pad(h12, 2);
        case "3":
            return String(h12);
        case "04":
            return pad(t.minute, 2);
        case "4":
            return String(t.minute);
        case "05":
            return pad(t.second, 2);
        case "5":
            return String(t.second);
        case "2006":
            return t.year < 0 ? `-${pad(-t.year, 4)}` : pad(t.year, 4);
        case "06":
            return pad(((t.year % 100) + 100) % 100, 2);
        case "PM":
            return t.hour >= 12 ? "PM" : "AM";
        case "pm":
            return t.hour >= 12 ? "pm" : "am";
        default:
            return offsetStr(t, std);
    }
}
/**
 * Go's `time.Unix(sec, nanos).Format(layout)` in the local zone.
 *
 * @example formatGoTime(0, "2006-01-02T15:04:05Z07:00") // "1970-01-01T00:00:00Z" with TZ=UTC
 */
export function formatGoTime(sec, layout, nanos = 0) {
    const t = localTime(sec, nanos);
    let out = "";
    for (const c of layoutChunks(layout)) {
        if (c.k === "lit")
            out += c.s;
        else if (c.k === "std")
            out += stdStr(t, c.s);
        else {
            let frac = pad(t.nanos, 9).slice(0, c.digits);
            if (c.trim)
                frac = frac.replace(/0+$/, "");
            if (frac !== "" || !c.trim)
                out += c.sep + frac;
        }
    }
    return out;
}
/** Go's `time.Time.String()` layout (without the monotonic clock reading). */
export const GO_TIME_STRING = "2006-01-02 15:04:05.999999999 -0700 MST";
