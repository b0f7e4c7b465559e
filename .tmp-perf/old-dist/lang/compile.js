import { sortDiagnostics } from "./diagnostics.js";
import { memoryHost } from "./host.js";
import { FileLoader, resolveEntry, resolveImport } from "./modules.js";
import { T } from "./types.js";
import { globalVars, packageFuncs } from "../stdlib/registry.js";
import { checkProg, forceScoped, walkUnused } from "./checker/check-stmt.js";
import { Ctx } from "./checker/context.js";
import { Scope } from "./checker/scope.js";
function eachImport(stmts, f) {
    for (const s of stmts) {
        switch (s.kind) {
            case "import":
                f(s.path, s.span.file);
                break;
            case "if":
                eachImport(s.then, f);
                if (s.else)
                    eachImport(s.else, f);
                break;
            case "for":
                eachImport(s.body, f);
                break;
            case "class":
                eachImport(s.body, f);
                break;
            default:
                break;
        }
    }
}
/** Parse the entry and every file reachable through imports (resolution errors are reported later, by scope). */
function preload(loader, entry, host) {
    const first = loader.load(entry);
    if (typeof first === "string")
        return undefined;
    const queue = [first];
    while (queue.length > 0) {
        const p = queue.pop();
        eachImport(p.stmts, (path, file) => {
            const r = resolveImport(path, file, host);
            if (!("kind" in r) || r.kind !== "file" || loader.files.has(r.file))
                return;
            const q = loader.load(r.file);
            if (typeof q !== "string")
                queue.push(q);
        });
    }
    return first;
}
function globalScope(hostname) {
    const g = new Scope(undefined);
    for (const v of globalVars())
        g.vars.set(v.name, { k: "global", v: v.name === "hostname" ? { ...v, value: hostname } : v });
    if (!g.vars.has("hostname"))
        g.vars.set("hostname", { k: "global", v: { name: "hostname", pkg: "", type: T.str, value: hostname } });
    for (const f of packageFuncs(""))
        g.funcs.set(f.name, { k: "builtin", fn: f });
    return g;
}
/** Compile with access to the typed expression instances (used by lowering). */
export function compileChecked(path, host, opts = {}) {
    try {
        const ent = resolveEntry(path, host);
        if ("phase" in ent)
            return { diagnostics: [ent] };
        const loader = new FileLoader(host);
        const prog = preload(loader, ent.entry, host);
        if (!prog)
            return { diagnostics: [{ phase: "parse", code: "E-INPUT-NOT-FOUND", message: `could not read \`${ent.entry}\`` }] };
        if (loader.diagnostics.length > 0)
            return { diagnostics: sortDiagnostics(loader.diagnostics) };
        const cx = new Ctx(host, loader, opts);
        cx.force = (e) => forceScoped(cx, e);
        cx.globals = globalScope(opts.hostname ?? "");
        cx.importStack.push({ file: ent.entry });
        const top = checkProg(cx, prog.stmts, cx.globals.child(), "file");
        walkUnused(cx);
        if (cx.scopeDiags.length > 0)
            return { diagnostics: sortDiagnostics(cx.scopeDiags) };
        cx.finish();
        if (cx.typeDiags.length > 0)
            return { diagnostics: cx.typeDiags };
        const bindTypes = new Map();
        for (const [name, v] of top.vars)
            if (v.k === "bind" && v.type)
                bindTypes.set(name, cx.u.resolve(v.type));
        const program = {
            entry: ent.entry,
            root: ent.root,
            files: loader.files,
            bindTypes,
            exprTypes: cx.records,
            resolve: (t) => cx.u.resolve(t),
            elab: cx.elab,
            main: { stmts: prog.stmts, scope: top },
        };
        return { program, diagnostics: [] };
    }
    catch (e) {
        // never throw: an internal error becomes a diagnostic
        const err = e;
        return { diagnostics: [{ phase: "type", code: "E-INTERNAL", message: `internal compiler error: ${err.message}`, hint: err.stack?.split("\n").slice(1, 4).join(" | ") }] };
    }
}
/** path: a .mcl file or a directory (metadata.yaml `main:` else main.mcl). Never throws. program is set iff there are no diagnostics. */
export function compile(path, host, opts = {}) {
    const r = compileChecked(path, host, opts);
    if (!r.program)
        return { diagnostics: r.diagnostics };
    const { entry, root, files, bindTypes } = r.program;
    return { program: { entry, root, files, bindTypes }, diagnostics: [] };
}
/** Convenience for tests and fuzzing: one in-memory file named `file` (default "main.mcl"). */
export function compileSource(text, opts = {}) {
    const file = opts.file ?? "main.mcl";
    return compile(file, memoryHost({ [file]: text }), opts);
}
