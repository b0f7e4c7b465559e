/**
 * `steward check [--json] [--verbose] [--hostname H] PATH…` (architecture.md "CLI contract"):
 * parse, scope and type-check every program; no side effects.
 *
 * Exit codes: 0 when every program is valid, 1 with diagnostics, 2 for usage errors (a path that
 * does not exist or cannot be read), reported on stderr as one line before anything is compiled.
 * Human diagnostics and `--json` go to stdout; `--verbose` timings go to stderr, so
 * `check --json --verbose` still prints exactly one JSON document on stdout.
 */
import { join } from "node:path";
import { compile } from "../../lang/compile.js";
import { sortDiagnostics, toJson } from "../../lang/diagnostics.js";
import { createNodeHost } from "./node-host.js";
import { renderDiagnostics } from "./render.js";
/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_DIAGNOSTICS = 1;
export const EXIT_USAGE = 2;
/** A usage problem with one path, or undefined when the path can be handed to the compiler. */
export function checkPathUsage(host, path) {
    const kind = host.stat(path);
    if (kind === undefined)
        return `no such file or directory: ${path}`;
    if (kind === "file") {
        if (host.readFile(path) === undefined)
            return `cannot read file: ${path}`;
        return undefined;
    }
    // A directory program names its entry in metadata.yaml, else it is main.mcl (mcl-language.md §0).
    if (host.stat(join(path, "metadata.yaml")) !== "file" && host.stat(join(path, "main.mcl")) !== "file") {
        return `not an mcl program: ${path} has neither metadata.yaml nor main.mcl`;
    }
    return undefined;
}
function ms(ns) {
    return (Number(ns) / 1e6).toFixed(1);
}
/** Runs `check` and returns the exit code. `host` is injectable for tests. */
export async function runCheck(paths, opts, io, host = createNodeHost()) {
    if (paths.length === 0) {
        io.err("steward: check: expected at least one PATH\n");
        return EXIT_USAGE;
    }
    for (const p of paths) {
        const problem = checkPathUsage(host, p);
        if (problem !== undefined) {
            io.err(`steward: check: ${problem}\n`);
            return EXIT_USAGE;
        }
    }
    const all = [];
    const started = process.hrtime.bigint();
    for (const p of paths) {
        const t0 = process.hrtime.bigint();
        const compileOpts = opts.hostname === undefined ? {} : { hostname: opts.hostname };
        const result = compile(p, host, compileOpts);
        const t1 = process.hrtime.bigint();
        all.push(...result.diagnostics);
        if (opts.verbose) {
            const files = result.program?.files.size;
            const detail = phaseTimings(result);
            const status = result.diagnostics.length === 0 ? "ok" : `${result.diagnostics.length} error(s)`;
            io.err(`steward: checked ${p}${files === undefined ? "" : ` (${files} file${files === 1 ? "" : "s"})`}: ${status} in ${ms(t1 - t0)} ms${detail}\n`);
        }
    }
    if (opts.verbose && paths.length > 1) {
        io.err(`steward: checked ${paths.length} programs in ${ms(process.hrtime.bigint() - started)} ms\n`);
    }
    const sorted = sortDiagnostics(all);
    if (opts.json) {
        io.out(JSON.stringify(sorted.map(toJson)) + "\n");
    }
    else if (sorted.length > 0) {
        io.out(renderDiagnostics(sorted, (f) => host.source(f), { color: opts.color ?? false }));
    }
    return sorted.length === 0 ? EXIT_OK : EXIT_DIAGNOSTICS;
}
/**
 * ` (parse 3.1 ms, scope 0.4 ms, …)` when the checker reports per-phase timings in a `timings`
 * record of milliseconds (on the result or on the program); empty otherwise.
 */
function phaseTimings(result) {
    const r = result;
    const t = r.timings ?? r.program?.timings;
    if (typeof t !== "object" || t === null)
        return "";
    const parts = Object.entries(t)
        .filter((e) => typeof e[1] === "number")
        .map(([k, v]) => `${k} ${v.toFixed(1)} ms`);
    return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}
