import { sortDiagnostics, toJson, diag } from "../../lang/diagnostics.js";
import { graphToJson, graphToText } from "../../lang/resource-graph.js";
import { runProgram } from "../funcs/run-program.js";
import { checkPathUsage, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE } from "./check.js";
import { createNodeHost } from "./node-host.js";
import { renderDiagnostics } from "./render.js";
/** Parse `--timeout`: a positive number of seconds, or undefined when invalid. */
export function parseTimeout(s) {
    if (s === undefined)
        return undefined;
    const n = Number(s);
    return Number.isFinite(n) && n > 0 ? n : "invalid";
}
function errorJson(ds) {
    const all = sortDiagnostics(ds).map(toJson);
    return JSON.stringify({ error: all[0], errors: all });
}
export async function runGraph(path, opts, io, host = createNodeHost()) {
    if (path === undefined) {
        io.err("steward: graph: expected a PATH\n");
        return EXIT_USAGE;
    }
    const problem = checkPathUsage(host, path);
    if (problem !== undefined) {
        io.err(`steward: graph: ${problem}\n`);
        return EXIT_USAGE;
    }
    const timeoutS = opts.timeout ?? 10;
    const events$ = runProgram(path, host, opts.hostname === undefined ? {} : { hostname: opts.hostname });
    const printDiags = (ds) => {
        if (opts.json || opts.watch)
            io.out(errorJson(ds) + "\n");
        else
            io.out(renderDiagnostics(sortDiagnostics(ds), (f) => host.source(f), { color: opts.color ?? false }));
    };
    const printGraph = (g) => {
        if (opts.json || opts.watch)
            io.out(JSON.stringify(graphToJson(g)) + "\n");
        else
            io.out(graphToText(g));
    };
    return new Promise((resolve) => {
        let done = false;
        let gotFirst = false;
        let count = 0;
        let last = "";
        let code = EXIT_OK;
        let sub;
        const finish = (c) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            sub?.unsubscribe();
            resolve(c);
        };
        const timer = setTimeout(() => {
            if (gotFirst)
                return;
            printDiags([diag("runtime", "E-RUNTIME-TIMEOUT", `timed out after ${timeoutS} s waiting for the first complete table (a source never produced a value)`)]);
            finish(EXIT_DIAGNOSTICS);
        }, timeoutS * 1000);
        void opts.until?.then(() => finish(code));
        const onEvent = (ev) => {
            if (done)
                return;
            gotFirst = true;
            const text = "graph" in ev ? JSON.stringify(graphToJson(ev.graph)) : errorJson(ev.diagnostics);
            if (!opts.watch) {
                if ("graph" in ev)
                    printGraph(ev.graph);
                else
                    printDiags(ev.diagnostics);
                finish("graph" in ev ? EXIT_OK : EXIT_DIAGNOSTICS);
                return;
            }
            code = "graph" in ev ? EXIT_OK : EXIT_DIAGNOSTICS;
            if (text !== last) {
                last = text;
                io.out(text + "\n");
                count++;
            }
            if ((opts.maxEvents !== undefined && count >= opts.maxEvents) || ("diagnostics" in ev && ev.fatal))
                finish(code);
        };
        sub = events$.subscribe({
            next: onEvent,
            complete: () => finish(gotFirst ? code : EXIT_DIAGNOSTICS),
        });
        if (done)
            sub.unsubscribe();
    });
}
