import { diag } from "../diagnostics.js";
import { printType } from "../types.js";
import { Unifier } from "../unify.js";
import { Elab } from "./elab.js";
export class Ctx {
    host;
    loader;
    opts;
    u = new Unifier();
    scopeDiags = [];
    typeDiags = [];
    /** AST nodes (or other keys) that already produced a scope error */
    reported = new Set();
    records = [];
    /** the elaborated program: what every expression/statement instance resolved to (for lowering) */
    elab = new Elab();
    deferred = [];
    /** roots already scope-walked (scope resolution is instance independent) */
    walked = new Set();
    /** binds and funcs created, to scope-check the never-used ones at the end */
    binds = [];
    funcs = [];
    classes = [];
    /** false while only resolving names (unused binds, uncalled funcs): no unification */
    typing = true;
    unit = { failed: false };
    /** instantiates `include … as alias` on demand (set by the statement checker) */
    force = () => undefined;
    /** extra end-of-check validations (e.g. map key hashability), run before ambiguity */
    post = [];
    hints = 0;
    /** the global scope (§6.2) */
    globals;
    /** files being imported, outermost first (cycle detection, §3.8) */
    importStack = [];
    /** module instances per (file, parent scope) and system package scopes */
    modules = new Map();
    systemScopes = new Map();
    /** orderings whose diagnostics were already reported */
    seenOrders = new Set();
    constructor(host, loader, opts) {
        this.host = host;
        this.loader = loader;
        this.opts = opts;
    }
    /** Report a scope error once per node. */
    scopeError(node, code, message, span, notes, hint) {
        if (this.reported.has(node))
            return;
        this.reported.add(node);
        this.scopeDiags.push(diag("scope", code, message, span, notes, hint));
    }
    /** Budget for "did you mean" searches (they walk whole scopes). */
    wantHint() {
        return this.hints++ < 50;
    }
    typeError(code, message, span, notes, hint) {
        if (!this.typing || this.unit.failed)
            return;
        this.unit.failed = true;
        this.typeDiags.push(diag("type", code, message, span, notes, hint));
    }
    /** Run `f` as its own error unit. */
    inUnit(f) {
        const saved = this.unit;
        this.unit = { failed: false };
        try {
            return f();
        }
        finally {
            this.unit = saved;
        }
    }
    /** Unify and report a mismatch at `span`; returns true on success. */
    unify(expected, actual, expectedFrom, actualFrom, span, hint) {
        if (!this.typing)
            return true;
        const f = this.u.unify(expected, actual, expectedFrom, actualFrom);
        if (!f)
            return true;
        this.mismatch(f, span, hint);
        return false;
    }
    /** A mismatch diagnostic naming both types and where each came from. */
    mismatch(f, span, hint) {
        const e = printType(f.expected);
        const a = printType(f.actual);
        const notes = [];
        if (f.expectedFrom)
            notes.push({ message: `expected ${e} because of ${f.expectedFrom.reason}`, span: f.expectedFrom.span });
        if (f.actualFrom)
            notes.push({ message: `found ${a} from ${f.actualFrom.reason}`, span: f.actualFrom.span });
        const code = f.message === "directly in the same set" ? "E-TYPE-RECURSIVE" : "E-TYPE-MISMATCH";
        // mgmt wording first (`type error: str != int`), then the full types
        this.typeError(code, `${f.message}: expected ${e}, found ${a}`, span, notes, hint);
    }
    /** Record the type of an expression instance (typing mode only). */
    record(expr, type, scope) {
        if (!this.typing)
            return;
        const r = { expr, type, scope };
        this.records.push(r);
        this.elab.setType(expr, scope, type);
        this.opts.onExpr?.(r);
    }
    defer(fn, type, args, span, expr) {
        if (this.typing && fn.check)
            this.deferred.push({ fn, type, args, span, expr, unit: this.unit });
    }
    /** Source text of a span (for `expr: … is ambiguous` and similar), shortened. */
    text(span) {
        const src = this.loader.texts.get(span.file);
        if (src === undefined)
            return "expression";
        let t = src.slice(span.start.offset, span.end.offset).replace(/\s+/g, " ");
        if (t.length > 60)
            t = `${t.slice(0, 57)}...`;
        return t;
    }
    /** End of check: builtin `check` hooks on solved types, then ambiguity (§5.3). */
    finish() {
        for (const p of this.post)
            p();
        for (const d of this.deferred) {
            const solved = this.u.resolve(d.type);
            const msg = d.fn.check(solved, d.args);
            if (msg !== undefined) {
                this.unit = d.unit;
                this.typeError("E-TYPE-BUILD", `error setting type: ${d.expr ? this.text(d.expr.span) : d.fn.name}, error: ${msg}`, d.span);
            }
        }
        const seen = new Set();
        for (const r of this.records) {
            const t = this.u.resolve(r.type);
            const vars = freeVars(t);
            if (vars.length === 0)
                continue;
            if (vars.every((v) => seen.has(v)))
                continue;
            for (const v of vars)
                seen.add(v);
            this.unit = { failed: false };
            this.typeError("E-TYPE-AMBIGUOUS", `expr: ${this.text(r.expr.span)} is ambiguous: ${printType(t)}`, r.expr.span, undefined, "add a type annotation, e.g. `$x []str = …`");
        }
    }
}
export function freeVars(t, out = []) {
    switch (t.k) {
        case "var":
            out.push(t.id);
            break;
        case "list":
            freeVars(t.elem, out);
            break;
        case "map":
            freeVars(t.key, out);
            freeVars(t.val, out);
            break;
        case "struct":
            for (const f of t.fields)
                freeVars(f.type, out);
            break;
        case "func":
            for (const p of t.params)
                freeVars(p.type, out);
            freeVars(t.ret, out);
            break;
        default:
            break;
    }
    return out;
}
