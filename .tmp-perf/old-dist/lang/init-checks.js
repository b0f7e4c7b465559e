import { diag } from "./diagnostics.js";
import { quoteString } from "./strings.js";
/** Valid `Meta:prop` names (§3.2), in the order of the `Meta =>` struct. */
export const META_PROPS = [
    "noop", "retry", "retryreset", "delay", "timeout", "poll", "limit", "burst", "reset", "sema", "rewatch", "realize",
    "dollar", "hidden", "export", "reverse", "autoedge", "autogroup",
];
const META_SET = new Set(META_PROPS);
/** Run every Init/Interpolate structure check over a parsed program. */
export function initChecks(prog) {
    const c = new Checker();
    c.stmts(prog.stmts, false);
    return c.out;
}
class Checker {
    out = [];
    err(code, message, span, other) {
        this.out.push(diag("parse", code, message, span, other ? [{ message: "first defined here", span: other }] : undefined));
    }
    stmts(ss, inFor) {
        const classes = new Map();
        for (const s of ss) {
            if (s.kind === "class") {
                const prev = classes.get(s.name);
                if (prev)
                    this.err("E-PARSE-DUP-CLASS", `duplicate class name of: \`${s.name}\``, s.nameSpan, prev);
                else
                    classes.set(s.name, s.nameSpan);
            }
            this.stmt(s, inFor);
        }
    }
    stmt(s, inFor) {
        switch (s.kind) {
            case "bind":
                if (s.type) {
                    this.type(s.type);
                    this.bindType(s.type, s.value);
                }
                this.expr(s.value);
                return;
            case "res":
                this.resource(s.kindName, s.kindSpan, s.items);
                this.expr(s.name);
                return;
            case "edge":
                this.edge(s.halves, s.span);
                return;
            case "if":
                this.expr(s.cond);
                this.stmts(s.then, inFor);
                if (s.else)
                    this.stmts(s.else, inFor);
                return;
            case "for":
                this.expr(s.expr);
                this.stmts(s.body, true);
                return;
            case "func":
                for (const p of s.params)
                    if (p.type)
                        this.type(p.type);
                if (s.ret)
                    this.type(s.ret);
                this.expr(s.body);
                return;
            case "class":
                for (const p of s.params ?? [])
                    if (p.type)
                        this.type(p.type);
                this.stmts(s.body, inFor);
                return;
            case "include":
                for (const a of s.args ?? [])
                    this.expr(a);
                return;
            case "import":
                if (inFor)
                    this.err("E-PARSE-IMPORT-IN-FOR", "a StmtImport can't be contained inside a StmtFor", s.span);
                return;
            case "panic":
                if (s.args.length < 1 || s.args.length > 2) {
                    this.err("E-PARSE-PANIC-ARGS", `panic expects 1 or 2 args, got ${s.args.length}`, s.span);
                }
                for (const a of s.args)
                    this.expr(a);
                return;
        }
    }
    /** §2: `$x T = literal` sets the type at parse time; a literal of another type fails (mgmt: errLexParse). */
    bindType(t, value) {
        const want = typeString(t);
        if (want.includes("variant"))
            return;
        const got = literalType(value);
        if (got === undefined || got.includes("?") || got === "func")
            return;
        if (got !== want) {
            this.err("E-PARSE-BIND-TYPE", `can't set return type in parser: type error: ${got} != ${want}`, unparen(value).span);
        }
    }
    resource(kindName, kindSpan, items) {
        if (kindName.startsWith("_"))
            this.err("E-PARSE-RES-KIND", `invalid resource kind: ${kindName}`, kindSpan);
        const fields = new Map();
        const metas = new Map();
        for (const it of items) {
            if (it.cond)
                this.expr(it.cond);
            switch (it.kind) {
                case "field": {
                    const prev = fields.get(it.name);
                    if (prev)
                        this.err("E-PARSE-DUP-FIELD", `resource has duplicate field of: ${it.name}`, it.nameSpan, prev);
                    else
                        fields.set(it.name, it.nameSpan);
                    this.expr(it.value);
                    break;
                }
                case "meta": {
                    if (!META_SET.has(it.prop)) {
                        this.err("E-PARSE-UNKNOWN-META", `unknown meta param: ${it.prop} (valid: ${META_PROPS.join(", ")})`, it.propSpan);
                    }
                    else {
                        const prev = metas.get(it.prop);
                        if (prev)
                            this.err("E-PARSE-DUP-META", `resource has duplicate meta entry of: ${it.prop}`, it.propSpan, prev);
                        else
                            metas.set(it.prop, it.propSpan);
                    }
                    this.expr(it.value);
                    break;
                }
                case "metastruct":
                    this.expr(it.value);
                    break;
                case "edge":
                    this.expr(it.target.name);
                    break;
            }
        }
    }
    edge(halves, span) {
        for (const h of halves)
            this.expr(h.name);
        const withField = halves.filter((h) => h.field !== undefined).length;
        if (withField === 0)
            return;
        if (halves.length !== 2) {
            this.err("E-PARSE-SENDRECV", "a send/recv edge must have exactly two halves, both with a field (A[n].f -> B[m].g)", span);
        }
        else if (withField !== 2) {
            const bad = halves.find((h) => h.field === undefined);
            this.err("E-PARSE-SENDRECV", "a send/recv edge needs a field on both halves (A[n].f -> B[m].g)", bad?.span ?? span);
        }
    }
    type(t) {
        switch (t.kind) {
            case "tprim":
                return;
            case "tlist":
                this.type(t.elem);
                return;
            case "tmap":
                this.type(t.key);
                this.type(t.val);
                return;
            case "tstruct": {
                const seen = new Map();
                for (const f of t.fields) {
                    const prev = seen.get(f.name);
                    if (prev)
                        this.err("E-PARSE-DUP-TYPE-FIELD", `duplicate struct field of \`${f.name} ${typeString(f.type)}\``, f.span, prev);
                    else
                        seen.set(f.name, f.span);
                    this.type(f.type);
                }
                return;
            }
            case "tfunc": {
                const seen = new Map();
                for (const p of t.params) {
                    if (p.name !== undefined) {
                        const prev = seen.get(p.name);
                        if (prev)
                            this.err("E-PARSE-DUP-TYPE-ARG", `duplicate func arg name of \`$${p.name}\``, p.span, prev);
                        else
                            seen.set(p.name, p.span);
                    }
                    this.type(p.type);
                }
                this.type(t.ret);
                return;
            }
        }
    }
    expr(e) {
        switch (e.kind) {
            case "bool":
            case "int":
            case "float":
            case "str":
            case "var":
                return;
            case "interp":
                return;
            case "list":
                for (const x of e.items)
                    this.expr(x);
                return;
            case "map":
                this.mapKeys(e.entries);
                for (const m of e.entries) {
                    this.expr(m.key);
                    this.expr(m.value);
                }
                return;
            case "struct": {
                const seen = new Map();
                for (const f of e.fields) {
                    const prev = seen.get(f.name);
                    if (prev)
                        this.err("E-PARSE-DUP-STRUCT-FIELD", `duplicate struct field name of: \`${f.name}\``, f.span, prev);
                    else
                        seen.set(f.name, f.span);
                    this.expr(f.value);
                }
                return;
            }
            case "lambda":
                for (const p of e.params)
                    if (p.type)
                        this.type(p.type);
                if (e.ret)
                    this.type(e.ret);
                this.expr(e.body);
                return;
            case "call":
                if (e.callee.kind === "lambda")
                    this.expr(e.callee);
                for (const a of e.args)
                    this.expr(a);
                return;
            case "if":
                this.expr(e.cond);
                this.expr(e.then);
                this.expr(e.else);
                return;
            case "binary":
            case "except":
                this.expr(e.left);
                this.expr(e.right);
                return;
            case "not":
                this.expr(e.operand);
                return;
            case "index":
                this.expr(e.target);
                this.expr(e.index);
                return;
            case "field":
                this.expr(e.target);
                if (e.default)
                    this.expr(e.default);
                return;
            case "paren":
                this.expr(e.inner);
                return;
        }
    }
    /** §4: duplicate literal keys, inconsistent literal key kinds, non-hashable literal keys. */
    mapKeys(entries) {
        const seen = new Map();
        let firstKind;
        for (const { key } of entries) {
            const k = unparen(key);
            if (k.kind === "list" || k.kind === "map" || k.kind === "lambda") {
                this.err("E-PARSE-MAP-KEY-UNHASHABLE", `map key type ${literalType(k)} is not hashable`, k.span);
                continue;
            }
            const t = literalType(k);
            if (t === undefined)
                continue;
            if (firstKind === undefined)
                firstKind = { t, span: k.span };
            else if (firstKind.t !== t) {
                this.err("E-PARSE-MAP-KEY-TYPE", `inconsistent map key type: ${t} != ${firstKind.t}`, k.span, firstKind.span);
                continue;
            }
            const text = literalText(k);
            if (text === undefined)
                continue;
            const prev = seen.get(text);
            if (prev)
                this.err("E-PARSE-DUP-MAP-KEY", `duplicate map key: ${text}`, k.span, prev);
            else
                seen.set(text, k.span);
        }
    }
}
function unparen(e) {
    while (e.kind === "paren")
        e = e.inner;
    return e;
}
/** The type of a literal, when evident without scope information. */
function literalType(e) {
    e = unparen(e);
    switch (e.kind) {
        case "bool": return "bool";
        case "int": return "int";
        case "float": return "float";
        case "str":
        case "interp": return "str";
        case "list": {
            const ts = new Set(e.items.map(literalType));
            const [only] = ts;
            return `[]${ts.size === 1 && only !== undefined ? only : "?"}`;
        }
        case "map": {
            const ks = new Set(e.entries.map((m) => literalType(m.key)));
            const vs = new Set(e.entries.map((m) => literalType(m.value)));
            const [k] = ks;
            const [v] = vs;
            return `map{${ks.size === 1 && k !== undefined ? k : "?"}: ${vs.size === 1 && v !== undefined ? v : "?"}}`;
        }
        case "struct": {
            const fs = e.fields.map((f) => `${f.name} ${literalType(f.value) ?? "?"}`);
            return `struct{${fs.join("; ")}}`;
        }
        case "lambda": return "func";
        default: return undefined;
    }
}
/** Canonical source text of a scalar literal (for duplicate detection and messages). */
function literalText(e) {
    switch (e.kind) {
        case "bool": return String(e.value);
        case "int": return e.value.toString();
        case "float": return String(e.value);
        case "str": return quoteString(e.value);
        default: return undefined;
    }
}
/** Render a type annotation as mcl source. */
export function typeString(t) {
    switch (t.kind) {
        case "tprim": return t.name;
        case "tlist": return `[]${typeString(t.elem)}`;
        case "tmap": return `map{${typeString(t.key)}: ${typeString(t.val)}}`;
        case "tstruct": return `struct{${t.fields.map((f) => `${f.name} ${typeString(f.type)}`).join("; ")}}`;
        case "tfunc":
            return `func(${t.params.map((p) => (p.name !== undefined ? `$${p.name} ` : "") + typeString(p.type)).join(", ")}) ${typeString(t.ret)}`;
    }
}
