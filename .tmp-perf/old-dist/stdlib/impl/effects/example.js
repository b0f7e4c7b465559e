/**
 * Package `example`, the effectful ones (mcl-language.md §11.2; the pure ones live in
 * stdlib/impl/example.ts): `errorbool` (impure, catchable), `flipflop` and `vumeter` (sources).
 */
import { spawn } from "node:child_process";
import { Observable } from "rxjs";
import { CatchableError } from "../../../lang/values.js";
import { registerImpls } from "../../impl.js";
import { argBool, argFloat, argInt, argStr } from "./util.js";
export const FLIPFLOP_MS = 1000;
export const VUMETER_SAMPLE_S = 0.25;
/** `flipflop()`: false now, then the negation every `ms`. */
export function flipflop$(ms) {
    return new Observable((sub) => {
        let b = false;
        sub.next(b);
        const t = setInterval(() => sub.next((b = !b)), ms);
        return () => clearInterval(t);
    });
}
/**
 * One vu-meter line: `level` (0..1) scaled to `multiplier` symbols, padded with spaces to the full
 * width, then `|` — or `!` when `level` reached `peak`, the clipping mark.
 *
 * @example vumeterBar(0.5, "#", 10, 0.9) // "#####     |"
 */
export function vumeterBar(level, symbol, multiplier, peak) {
    const width = Math.max(0, multiplier);
    const n = Math.min(width, Math.max(0, Math.round(level * width)));
    return symbol.repeat(n) + " ".repeat(width - n) + (level >= peak ? "!" : "|");
}
/** The RMS amplitude in sox's `stat` report (it goes to stderr). */
export function parseSoxRms(report) {
    const m = /^RMS\s+amplitude:\s*([0-9.eE+-]+)/m.exec(report);
    return m ? Number(m[1]) : undefined;
}
/**
 * `vumeter(symbol, multiplier, peak)`: samples the default microphone with sox's `rec` for
 * {@link VUMETER_SAMPLE_S} s at a time and emits a bar per sample. Without `rec` (or a working
 * capture device) the stream fails: the function can't do its job on this host.
 */
function vumeter$(symbol, multiplier, peak) {
    return new Observable((sub) => {
        let stopped = false;
        let child;
        const sample = () => {
            if (stopped)
                return;
            let report = "";
            child = spawn("rec", ["-q", "-n", "stat", "trim", "0", String(VUMETER_SAMPLE_S)], { stdio: ["ignore", "ignore", "pipe"] });
            child.stderr?.setEncoding("utf8");
            child.stderr?.on("data", (s) => (report += s));
            child.on("error", (e) => {
                if (!stopped)
                    sub.error(new Error(`example.vumeter: can't run sox's rec: ${e.message}`));
            });
            child.on("close", (code) => {
                if (stopped)
                    return;
                const level = parseSoxRms(report);
                if (code !== 0 || level === undefined) {
                    sub.error(new Error(`example.vumeter: rec failed (exit ${code}): ${report.trim().split("\n")[0] ?? ""}`));
                    return;
                }
                sub.next(vumeterBar(level, symbol, multiplier, peak));
                sample();
            });
        };
        sample();
        return () => {
            stopped = true;
            child?.kill("SIGKILL");
        };
    });
}
registerImpls({
    "example.errorbool": {
        effect: "impure",
        call: (args) => (argBool(args, 0, "example.errorbool") ? new CatchableError("we errored on request") : "set true to error"),
    },
    "example.flipflop": { effect: "source", stream: () => flipflop$(FLIPFLOP_MS) },
    "example.vumeter": {
        effect: "source",
        stream: (args) => vumeter$(argStr(args, 0, "example.vumeter"), Number(argInt(args, 1, "example.vumeter")), argFloat(args, 2, "example.vumeter")),
    },
});
