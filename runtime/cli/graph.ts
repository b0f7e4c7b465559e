/**
 * `steward graph [--json] [--watch] [--hostname H] [--timeout S] PATH` (architecture.md "CLI
 * contract"): compile, wait for the first complete table, interpret and print the resource graph.
 *
 * Text: one `kind[name]` line per vertex with its params and non-default metaparams, one `a -> b`
 * line per edge (`(notify)` where it notifies). `--json`: `{"vertices": […], "edges": […]}`, or
 * `{"error": <first diagnostic>, "errors": […]}`. `--watch`: every new graph (or diagnostic) as one
 * JSON document per line until interrupted or the program can no longer change.
 * Exit: 0 graph printed, 1 diagnostics or timeout, 2 usage.
 */
import type { Subscription } from "rxjs";
import { sortDiagnostics, toJson, diag, type Diagnostic } from "../../lang/diagnostics.js";
import { graphToJson, graphToText, type ResourceGraph } from "../../lang/resource-graph.js";
import { runProgram, type ProgramEvent } from "../funcs/run-program.js";
import { checkPathUsage, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE, type CliIo } from "./check.js";
import { createNodeHost, type NodeHost } from "./node-host.js";
import { renderDiagnostics } from "./render.js";

export interface GraphOptions {
  readonly json?: boolean;
  readonly watch?: boolean;
  /** `$hostname`; `""` allowed */
  readonly hostname?: string;
  /** seconds to wait for the first complete table (default 10) */
  readonly timeout?: number;
  readonly color?: boolean;
  /** `--watch` only: stop after this many documents (tests) */
  readonly maxEvents?: number;
  /** `--watch` only: resolves to stop watching (tests; the CLI stops on SIGINT/SIGTERM) */
  readonly until?: Promise<void>;
}

/** Parse `--timeout`: a positive number of seconds, or undefined when invalid. */
export function parseTimeout(s: string | undefined): number | undefined | "invalid" {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n > 0 ? n : "invalid";
}

function errorJson(ds: readonly Diagnostic[]): string {
  const all = sortDiagnostics(ds).map(toJson);
  return JSON.stringify({ error: all[0], errors: all });
}

export async function runGraph(path: string | undefined, opts: GraphOptions, io: CliIo, host: NodeHost = createNodeHost()): Promise<number> {
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

  const printDiags = (ds: readonly Diagnostic[]): void => {
    if (opts.json || opts.watch) io.out(errorJson(ds) + "\n");
    else io.out(renderDiagnostics(sortDiagnostics(ds), (f) => host.source(f), { color: opts.color ?? false }));
  };
  const printGraph = (g: ResourceGraph): void => {
    if (opts.json || opts.watch) io.out(JSON.stringify(graphToJson(g)) + "\n");
    else io.out(graphToText(g));
  };

  return new Promise<number>((resolve) => {
    let done = false;
    let gotFirst = false;
    let count = 0;
    let last = "";
    let code = EXIT_OK;
    let sub: Subscription | undefined;
    const finish = (c: number): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sub?.unsubscribe();
      resolve(c);
    };
    const timer = setTimeout(() => {
      if (gotFirst) return;
      printDiags([diag("runtime", "E-RUNTIME-TIMEOUT", `timed out after ${timeoutS} s waiting for the first complete table (a source never produced a value)`)]);
      finish(EXIT_DIAGNOSTICS);
    }, timeoutS * 1000);
    void opts.until?.then(() => finish(code));
    const onEvent = (ev: ProgramEvent): void => {
      if (done) return;
      gotFirst = true;
      const text = "graph" in ev ? JSON.stringify(graphToJson(ev.graph)) : errorJson(ev.diagnostics);
      if (!opts.watch) {
        if ("graph" in ev) printGraph(ev.graph);
        else printDiags(ev.diagnostics);
        finish("graph" in ev ? EXIT_OK : EXIT_DIAGNOSTICS);
        return;
      }
      code = "graph" in ev ? EXIT_OK : EXIT_DIAGNOSTICS;
      if (text !== last) {
        last = text;
        io.out(text + "\n");
        count++;
      }
      if ((opts.maxEvents !== undefined && count >= opts.maxEvents) || ("diagnostics" in ev && ev.fatal)) finish(code);
    };
    sub = events$.subscribe({
      next: onEvent,
      complete: () => finish(gotFirst ? code : EXIT_DIAGNOSTICS),
    });
    if (done) sub.unsubscribe();
  });
}
