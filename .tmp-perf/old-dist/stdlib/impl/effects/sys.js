/**
 * Package `sys` (mcl-language.md §11.2): the environment (read when inputs change) and host
 * facts as sources: `cpu_count` (online CPUs, re-checked for hotplug), `hostname` (this agent's
 * name, fixed for the run), `load` and `uptime` (polled every second).
 */
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg, uptime } from "node:os";
import { Observable } from "rxjs";
import { CatchableError, MapValue, StructValue } from "../../../lang/values.js";
import { registerImpls } from "../../impl.js";
import { argStr, everySecond$, poll$ } from "./util.js";
export const CPU_POLL_MS = 5000;
export const LOAD_POLL_MS = 1000;
/** Count the CPUs in a kernel cpu list (`0-3,5,7-8` → 7). */
export function countCpuList(list) {
    let n = 0;
    for (const part of list.trim().split(",")) {
        if (part === "")
            continue;
        const [a, b] = part.split("-");
        n += b === undefined ? 1 : Number(b) - Number(a) + 1;
    }
    return n;
}
function onlineCpus() {
    try {
        const n = countCpuList(readFileSync("/sys/devices/system/cpu/online", "utf8"));
        if (n > 0)
            return n;
    }
    catch {
        // not Linux, or no sysfs
    }
    return availableParallelism();
}
function load() {
    const [x1, x5, x15] = loadavg();
    return new StructValue({ x1: x1 ?? 0, x5: x5 ?? 0, x15: x15 ?? 0 });
}
registerImpls({
    "sys.getenv": {
        effect: "impure",
        call: (args) => {
            const name = argStr(args, 0, "sys.getenv");
            const v = process.env[name];
            return v ?? new CatchableError(`environment variable ${name} is not set`);
        },
    },
    "sys.hasenv": { effect: "impure", call: (args) => process.env[argStr(args, 0, "sys.hasenv")] !== undefined },
    "sys.env": {
        effect: "impure",
        call: () => new MapValue(Object.entries(process.env)
            .filter((e) => e[1] !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    },
    "sys.cpu_count": { effect: "source", stream: () => poll$(CPU_POLL_MS, () => BigInt(onlineCpus())) },
    "sys.hostname": {
        effect: "source",
        stream: (_args, ctx) => new Observable((sub) => {
            sub.next(ctx.hostname); // the agent's name never changes during a run; stay subscribed
        }),
    },
    "sys.load": { effect: "source", stream: () => poll$(LOAD_POLL_MS, load) },
    "sys.uptime": { effect: "source", stream: () => everySecond$(() => BigInt(Math.floor(uptime()))) },
});
