/**
 * compile → lower → evaluate → interpret, as one Observable (architecture.md "The one picture").
 *
 * Emits a `{graph}` for every new table the evaluator produces, or `{diagnostics}`: compile
 * errors (then completes), a catchable error that reached an output (`runtime`, the evaluator
 * keeps running and a later table may succeed again), an interpret error, or a fatal runtime
 * error (then completes). Unsubscribing stops the evaluator and unsubscribes every source.
 */
import { Observable } from "rxjs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileChecked } from "../../lang/compile.js";
import { diag } from "../../lang/diagnostics.js";
import { interpret } from "../../lang/interpret.js";
import { MemoryWorld } from "../world/memory.js";
import { Evaluator, FatalEvalError } from "./evaluator.js";
import { loadImpls } from "./load-impls.js";
import { lowerProgram } from "./lower.js";
/** Run a program (`path`: .mcl file or directory) and stream its resource graphs. */
export function runProgram(path, host, opts = {}) {
    return new Observable((sub) => {
        let ev;
        let closed = false;
        const start = async () => {
            await loadImpls();
            if (closed)
                return;
            const hostname = opts.hostname ?? "";
            const compiled = compileChecked(path, host, { hostname });
            if (!compiled.program) {
                sub.next({ diagnostics: compiled.diagnostics, fatal: true });
                sub.complete();
                return;
            }
            const program = compiled.program;
            const implCtx = {
                hostname,
                world: opts.world ?? new MemoryWorld(hostname),
                stateDir: opts.stateDir ?? join(tmpdir(), "steward-state"),
                moduleDir: program.root,
            };
            let lowered;
            try {
                lowered = lowerProgram(program, implCtx);
            }
            catch (e) {
                sub.next({ diagnostics: [diag("runtime", "E-RUNTIME-LOWER", e.message)], fatal: true });
                sub.complete();
                return;
            }
            const evaluator = new Evaluator(opts.schedule === undefined ? {} : { schedule: opts.schedule });
            ev = evaluator;
            evaluator.errors$.subscribe((d) => sub.next({ diagnostics: [d], fatal: false }));
            evaluator.tables$.subscribe({
                next: (table) => {
                    const r = interpret(lowered.output, table);
                    sub.next("graph" in r ? { graph: r.graph, table } : { diagnostics: r.diagnostics, fatal: false });
                },
                error: (e) => {
                    const d = e instanceof FatalEvalError ? e.diagnostic : diag("runtime", "E-RUNTIME-FATAL", String(e));
                    sub.next({ diagnostics: [d], fatal: true });
                    sub.complete();
                },
                complete: () => sub.complete(),
            });
            const t = evaluator.txn();
            for (const s of lowered.specs)
                t.add(s);
            try {
                t.commit();
            }
            catch (e) {
                sub.next({ diagnostics: [diag("runtime", "E-RUNTIME-LOWER", `internal: ${e.message}`)], fatal: true });
                sub.complete();
                return;
            }
            if (opts.schedule === "manual")
                evaluator.wave();
            else
                evaluator.wave(); // the first wave runs now: constants-only programs complete at once
        };
        start().catch((e) => {
            sub.next({ diagnostics: [diag("runtime", "E-RUNTIME-FATAL", `internal error: ${e.message ?? String(e)}`)], fatal: true });
            sub.complete();
        });
        return () => {
            closed = true;
            ev?.stop();
        };
    });
}
