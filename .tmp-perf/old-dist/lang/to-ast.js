import { diag } from "./diagnostics.js";
import { decodeString } from "./strings.js";
/** Maps UTF-16 offsets to 1-based line/col spans. */
export class Locator {
    file;
    text;
    lineStarts = [0];
    constructor(file, text) {
        this.file = file;
        this.text = text;
        for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1))
            this.lineStarts.push(i + 1);
    }
    /** Line index of the previous lookup: positions are mostly requested in source order. */
    last = 0;
    pos(offset) {
        const o = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : 0;
        const ls = this.lineStarts;
        const h = this.last;
        if (ls[h] <= o && (h + 1 >= ls.length || ls[h + 1] > o)) {
            return { line: h + 1, col: o - ls[h] + 1, offset: o };
        }
        let lo = 0, hi = ls.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (ls[mid] <= o)
                lo = mid;
            else
                hi = mid - 1;
        }
        this.last = lo;
        return { line: lo + 1, col: o - ls[lo] + 1, offset: o };
    }
    /** `end` is exclusive. */
    span(start, end) {
        const s = this.pos(start);
        const e = this.pos(Number.isFinite(end) && end >= s.offset ? end : s.offset);
        return { file: this.file, start: s, end: e };
    }
}
/** Message of a top-level `}` that closes nothing (parse.ts treats it as a likely cascade after an earlier error). */
export const STRAY_CLOSER_MESSAGE = "syntax error: unexpected '}' (no block to close)";
/** Thrown when a recovered CST lacks a required part; caught per statement. */
class Missing extends Error {
}
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const PREC = {
    "<|>": 1, or: 2, and: 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "==": 4, "!=": 4, in: 4, "+": 5, "-": 5, "*": 6, "/": 6,
};
// Most frequent first.
const PRIMARY_KEYS = [
    "varExpr", "StringLit", "IntLit", "nameCall", "BoolLit", "list", "map", "structLit", "FloatLit", "lambda", "ifExpr", "paren",
];
const STMT_KEYS = [
    "bindStmt", "resource", "edgeStmt", "ifStmt", "forStmt", "funcStmt", "classStmt", "includeStmt", "importStmt", "panicStmt",
    "collectStmt",
];
const EDGE_PROPS = new Set(["before", "depend", "notify", "listen"]);
function isToken(e) {
    return e.image !== undefined;
}
function toks(n, key) {
    const c = n.children[key];
    return c ? c : [];
}
function tok(n, key, i = 0) {
    const t = n.children[key]?.[i];
    return t && isToken(t) && !t.isInsertedInRecovery ? t : undefined;
}
function needTok(n, key, i = 0) {
    const t = tok(n, key, i);
    if (!t || !Number.isFinite(t.startOffset))
        throw new Missing(key);
    return t;
}
function nodes(n, key) {
    const c = n.children[key];
    return c ? c : [];
}
function node(n, key, i = 0) {
    const c = n.children[key]?.[i];
    return c && !isToken(c) ? c : undefined;
}
function need(n, key, i = 0) {
    const c = node(n, key, i);
    if (!c || c.recoveredNode)
        throw new Missing(key);
    return c;
}
export class AstBuilder {
    loc;
    diagnostics = [];
    constructor(loc) {
        this.loc = loc;
    }
    err(code, message, span) {
        this.diagnostics.push(diag("parse", code, message, span));
    }
    tspan(t) {
        return this.loc.span(t.startOffset, (t.endOffset ?? NaN) + 1);
    }
    nspan(n) {
        const l = n.location;
        return this.loc.span(l?.startOffset ?? NaN, (l?.endOffset ?? NaN) + 1);
    }
    join(a, b) {
        return { file: a.file, start: a.start, end: b.end };
    }
    // ---- programs -------------------------------------------------------------------------
    file(n) {
        for (const t of toks(n, "RCurly")) {
            if (!t.isInsertedInRecovery)
                this.err("E-PARSE-SYNTAX", STRAY_CLOSER_MESSAGE, this.tspan(t));
        }
        return this.stmts(nodes(n, "stmt"));
    }
    stmts(ns) {
        const out = [];
        for (const s of ns) {
            try {
                const st = this.stmt(s);
                if (st)
                    out.push(st);
            }
            catch (e) {
                if (!(e instanceof Missing))
                    throw e;
            }
        }
        return out;
    }
    block(n) {
        const p = node(n, "prog");
        return p ? this.stmts(nodes(p, "stmt")) : [];
    }
    stmt(n) {
        let key;
        for (const k of STMT_KEYS) {
            if (n.children[k] !== undefined) {
                key = k;
                break;
            }
        }
        const c = key === undefined ? undefined : n.children[key]?.[0];
        if (!key || !c || isToken(c))
            throw new Missing("stmt");
        switch (key) {
            case "bindStmt": return this.bind(c);
            case "resource": return this.resource(c, false, this.nspan(c));
            case "collectStmt": return this.resource(need(c, "resource"), true, this.nspan(c));
            case "edgeStmt": return this.edge(c);
            case "ifStmt": return this.ifStmt(c);
            case "forStmt": return this.forStmt(c);
            case "funcStmt": return this.funcStmt(c);
            case "classStmt": return this.classStmt(c);
            case "includeStmt": return this.includeStmt(c);
            case "importStmt": return this.importStmt(c);
            case "panicStmt": {
                const args = this.callArgs(need(c, "callArgs"));
                return { kind: "panic", args: args.items, span: this.nspan(c) };
            }
            default: throw new Missing(key);
        }
    }
    bind(n) {
        const name = needTok(n, "UndottedIdent");
        const eqeq = tok(n, "EqEq");
        if (eqeq)
            this.err("E-PARSE-BIND-EQUALS", "additional equals in bind statement", this.tspan(eqeq));
        const t = node(n, "type");
        const value = this.expr(need(n, "expr"));
        return {
            kind: "bind", name: name.image, nameSpan: this.tspan(name), ...(t ? { type: this.type(t) } : {}), value,
            span: this.nspan(n),
        };
    }
    colonName(n) {
        const ts = toks(n, "Identifier");
        if (ts.length === 0)
            throw new Missing("colonName");
        return { name: ts.map((t) => t.image).join(":"), span: this.nspan(n) };
    }
    resource(n, collect, span) {
        const kn = this.colonName(need(n, "colonName"));
        const name = this.expr(need(n, "expr"));
        const items = [];
        for (const key of ["resFieldItem", "resCapItem"]) {
            for (const it of nodes(n, key)) {
                try {
                    const r = key === "resFieldItem" ? this.resField(it) : this.resCap(it);
                    if (r)
                        items.push(r);
                }
                catch (e) {
                    if (!(e instanceof Missing))
                        throw e;
                }
            }
        }
        items.sort((a, b) => a.span.start.offset - b.span.start.offset);
        return { kind: "res", collect, kindName: kn.name, kindSpan: kn.span, name, items, span };
    }
    resField(n) {
        const id = needTok(n, "Identifier");
        const e0 = this.expr(need(n, "expr", 0));
        const e1n = node(n, "expr", 1);
        const span = this.nspan(n);
        if (tok(n, "Elvis") && !e1n)
            throw new Missing("expr");
        return e1n
            ? { kind: "field", name: id.image, nameSpan: this.tspan(id), cond: e0, value: this.expr(e1n), span }
            : { kind: "field", name: id.image, nameSpan: this.tspan(id), value: e0, span };
    }
    resCap(n) {
        const cap = needTok(n, "CapIdentifier");
        const prop = cap.image.toLowerCase();
        const span = this.nspan(n);
        const hasElvis = toks(n, "Elvis").length > 0;
        if (toks(n, "Colon").length > 0) {
            const id = needTok(n, "Identifier");
            if (prop !== "meta") {
                this.err("E-PARSE-INVALID-PROPERTY", `invalid property: ${cap.image}:${id.image} (only Meta takes a :param)`, this.tspan(cap));
                return undefined;
            }
            const e0 = this.expr(need(n, "expr", 0));
            const e1n = node(n, "expr", 1);
            if (hasElvis && !e1n)
                throw new Missing("expr");
            return e1n
                ? { kind: "meta", prop: id.image, propSpan: this.tspan(id), cond: e0, value: this.expr(e1n), span }
                : { kind: "meta", prop: id.image, propSpan: this.tspan(id), value: e0, span };
        }
        const parts = nodes(n, "edgeOrExpr");
        const p0 = parts[0];
        if (!p0 || (hasElvis && !parts[1]))
            throw new Missing("edgeOrExpr");
        const p1 = parts[1];
        if (EDGE_PROPS.has(prop)) {
            const edgeProp = prop;
            const targetNode = p1 ?? p0;
            const eh = node(targetNode, "edgeHalf");
            if (!eh) {
                this.err("E-PARSE-EDGE-PROPERTY", `invalid property: ${cap.image} expects a resource like Kind["name"]`, this.nspan(targetNode));
                return undefined;
            }
            const target = this.edgeHalf(eh);
            if (p1) {
                const cn = node(p0, "expr");
                if (!cn) {
                    this.err("E-PARSE-EDGE-PROPERTY", `invalid property: the condition of ${cap.image} must be an expression`, this.nspan(p0));
                    return undefined;
                }
                return { kind: "edge", prop: edgeProp, cond: this.expr(cn), target, span };
            }
            return { kind: "edge", prop: edgeProp, target, span };
        }
        if (prop === "meta") {
            const exprs = [];
            for (const p of parts) {
                const e = node(p, "expr");
                if (!e) {
                    this.err("E-PARSE-INVALID-PROPERTY", "invalid property: Meta expects a struct value, not a resource", this.nspan(p));
                    return undefined;
                }
                exprs.push(this.expr(e));
            }
            const [a, b] = exprs;
            if (!a)
                throw new Missing("expr");
            return b ? { kind: "metastruct", cond: a, value: b, span } : { kind: "metastruct", value: a, span };
        }
        this.err("E-PARSE-INVALID-PROPERTY", `invalid property: ${cap.image}`, this.tspan(cap));
        return undefined;
    }
    edgeHalf(n) {
        const caps = toks(n, "CapIdentifier");
        const first = caps[0];
        const last = caps[caps.length - 1];
        if (!first || !last)
            throw new Missing("CapIdentifier");
        return {
            kindName: caps.map((t) => t.image.toLowerCase()).join(":"),
            kindSpan: this.loc.span(first.startOffset, (last.endOffset ?? NaN) + 1),
            name: this.expr(need(n, "expr")),
            span: this.nspan(n),
        };
    }
    edge(n) {
        const halves = nodes(n, "edgeHalfField").map((hf) => {
            const h = this.edgeHalf(need(hf, "edgeHalf"));
            const f = tok(hf, "Identifier");
            if (toks(hf, "Dot").length > 0 && !f)
                throw new Missing("Identifier");
            return f ? { ...h, field: f.image, fieldSpan: this.tspan(f), span: this.nspan(hf) } : h;
        });
        if (halves.length === 0)
            throw new Missing("edgeHalf");
        return { kind: "edge", halves, span: this.nspan(n) };
    }
    ifStmt(n) {
        const cond = this.expr(need(n, "expr"));
        const then = this.block(need(n, "block", 0));
        const eb = node(n, "block", 1);
        if (tok(n, "Else") && !eb)
            throw new Missing("block");
        return eb
            ? { kind: "if", cond, then, else: this.block(eb), span: this.nspan(n) }
            : { kind: "if", cond, then, span: this.nspan(n) };
    }
    forStmt(n) {
        const k = needTok(n, "UndottedIdent", 0);
        const v = needTok(n, "UndottedIdent", 1);
        const expr = this.expr(need(n, "expr"));
        return {
            kind: "for", kv: toks(n, "Forkv").length > 0, key: k.image, keySpan: this.tspan(k), val: v.image,
            valSpan: this.tspan(v), expr, body: this.block(need(n, "block")), span: this.nspan(n),
        };
    }
    funcStmt(n) {
        const id = needTok(n, "Identifier");
        const ps = this.params(need(n, "params"));
        const t = node(n, "type");
        return {
            kind: "func", name: id.image, nameSpan: this.tspan(id), params: ps.items, paramsMultiline: ps.multiline,
            ...(t ? { ret: this.type(t) } : {}), body: this.exprBlock(need(n, "exprBlock")), span: this.nspan(n),
        };
    }
    classStmt(n) {
        const cn = this.colonName(need(n, "colonName"));
        const pn = node(n, "params");
        const ps = pn ? this.params(pn) : undefined;
        return {
            kind: "class", name: cn.name, nameSpan: cn.span, ...(ps ? { params: ps.items } : {}),
            paramsMultiline: ps?.multiline ?? false, body: this.block(need(n, "block")), span: this.nspan(n),
        };
    }
    includeStmt(n) {
        const d = need(n, "dotted");
        const an = node(n, "callArgs");
        const args = an ? this.callArgs(an) : undefined;
        const alias = tok(n, "Identifier");
        if (tok(n, "As") && !alias)
            throw new Missing("Identifier");
        return {
            kind: "include", name: this.dotted(d), nameSpan: this.nspan(d), ...(args ? { args: args.items } : {}),
            argsMultiline: args?.multiline ?? false, ...(alias ? { alias: alias.image } : {}), span: this.nspan(n),
        };
    }
    importStmt(n) {
        const s = needTok(n, "StringLit");
        const alias = tok(n, "Identifier") ?? tok(n, "Star");
        if (tok(n, "As") && !alias)
            throw new Missing("Identifier");
        return {
            kind: "import", path: s.image.slice(1, -1), pathSpan: this.tspan(s), ...(alias ? { alias: alias.image } : {}),
            span: this.nspan(n),
        };
    }
    dotted(n) {
        const ts = toks(n, "UndottedIdent");
        if (ts.length === 0 || ts.length !== toks(n, "Dot").length + 1)
            throw new Missing("dotted");
        return ts.map((t) => t.image).join(".");
    }
    // ---- comma lists ----------------------------------------------------------------------
    /** Items of a `sepItems` container: CST nodes under `key`, plus the multi-line flag. */
    items(n, key) {
        // Only the multi-line alternative of `sepItems` consumes newlines directly in this node.
        const multiline = toks(n, "Newline").length > 0;
        const ns = nodes(n, key);
        for (const x of ns)
            if (x.recoveredNode)
                throw new Missing(key);
        return { nodes: ns, multiline };
    }
    callArgs(n) {
        const it = this.items(n, "expr");
        return { items: it.nodes.map((e) => this.expr(e)), multiline: it.multiline };
    }
    params(n) {
        const it = this.items(n, "param");
        return {
            items: it.nodes.map((p) => {
                const id = needTok(p, "UndottedIdent");
                const t = node(p, "type");
                return { name: id.image, ...(t ? { type: this.type(t) } : {}), span: this.nspan(p) };
            }),
            multiline: it.multiline,
        };
    }
    // ---- expressions ----------------------------------------------------------------------
    expr(n) {
        const operands = nodes(n, "operand");
        const ops = toks(n, "BinaryOp");
        if (operands.length === 0 || operands.length !== ops.length + 1)
            throw new Missing("expr");
        if (ops.length === 0)
            return this.operand(operands[0]);
        const vals = operands.map((u) => this.operand(u));
        let i = 0; // next operand
        let j = 0; // next operator
        const climb = (minPrec) => {
            let left = vals[i++];
            while (j < ops.length) {
                const opTok = ops[j];
                const p = PREC[opTok.image] ?? 0;
                if (p < minPrec)
                    break;
                j++;
                const right = climb(p + 1);
                left = this.binary(opTok, left, right);
                const next = ops[j];
                if (p === 4 && next && PREC[next.image] === 4) {
                    this.err("E-PARSE-SYNTAX", `syntax error: unexpected '${next.image}' (comparison operators are non-associative; add parentheses)`, this.tspan(next));
                }
            }
            return left;
        };
        return climb(1);
    }
    binary(opTok, left, right) {
        const span = this.join(left.span, right.span);
        const op = opTok.image;
        if (op === "<|>") {
            // §2.1: `a->f <|> d` is the static optional lookup; `(a->f) <|> d` stays an except.
            if (left.kind === "field" && left.default === undefined)
                return { ...left, default: right, span };
            return { kind: "except", left, right, span };
        }
        return { kind: "binary", op: op, left, right, opSpan: this.tspan(opTok), span };
    }
    operand(n) {
        let e = this.primary(n);
        for (const s of nodes(n, "suffix")) {
            const end = (s.location?.endOffset ?? NaN) + 1;
            const span = this.loc.span(e.span.start.offset, end);
            if (toks(s, "Arrow").length > 0) {
                const id = needTok(s, "Identifier");
                const f = { kind: "field", target: e, field: id.image, fieldSpan: this.tspan(id), span };
                e = f;
            }
            else {
                e = { kind: "index", target: e, index: this.expr(need(s, "expr")), span };
            }
        }
        const nots = toks(n, "Not");
        for (let i = nots.length - 1; i >= 0; i--) {
            const t = nots[i];
            e = { kind: "not", operand: e, span: this.loc.span(t.startOffset, e.span.end.offset) };
        }
        return e;
    }
    /** The single primary alternative of an operand node. */
    primary(n) {
        const ch = n.children;
        let key;
        for (const k of PRIMARY_KEYS) {
            if (ch[k] !== undefined) {
                key = k;
                break;
            }
        }
        const c = key === undefined ? undefined : ch[key]?.[0];
        if (!key || !c)
            throw new Missing("primary");
        if (isToken(c)) {
            if (c.isInsertedInRecovery || !Number.isFinite(c.startOffset))
                throw new Missing(key);
            const span = this.tspan(c);
            switch (key) {
                case "BoolLit": return { kind: "bool", value: c.image === "true", span };
                case "IntLit": return this.int(c, span);
                case "FloatLit": return { kind: "float", value: Number(c.image), raw: c.image, span };
                case "StringLit": return this.string(c, span);
                default: throw new Missing(key);
            }
        }
        if (c.recoveredNode)
            throw new Missing(key);
        switch (key) {
            case "list": {
                const it = this.items(c, "expr");
                return { kind: "list", items: it.nodes.map((e) => this.expr(e)), multiline: it.multiline, span: this.nspan(c) };
            }
            case "map": {
                const it = this.items(c, "mapEntry");
                return {
                    kind: "map",
                    entries: it.nodes.map((m) => ({ key: this.expr(need(m, "expr", 0)), value: this.expr(need(m, "expr", 1)), span: this.nspan(m) })),
                    multiline: it.multiline,
                    span: this.nspan(c),
                };
            }
            case "structLit": {
                const it = this.items(c, "structEntry");
                return {
                    kind: "struct",
                    fields: it.nodes.map((f) => ({ name: needTok(f, "Identifier").image, value: this.expr(need(f, "expr")), span: this.nspan(f) })),
                    multiline: it.multiline,
                    span: this.nspan(c),
                };
            }
            case "varExpr": {
                const ids = toks(c, "UndottedIdent");
                const lastId = ids[ids.length - 1];
                const v = {
                    kind: "var", name: this.dotted(c),
                    span: this.loc.span(c.location?.startOffset ?? NaN, lastId ? lastId.startOffset + lastId.image.length : NaN),
                };
                const an = node(c, "callArgs");
                return an ? this.call(v, an, this.nspan(c)) : v;
            }
            case "nameCall": {
                const ids = toks(c, "UndottedIdent");
                const firstId = ids[0];
                const lastId = ids[ids.length - 1];
                if (!firstId || !lastId)
                    throw new Missing("dotted");
                const callee = { kind: "name", name: this.dotted(c), span: this.loc.span(firstId.startOffset, lastId.startOffset + lastId.image.length) };
                return this.call(callee, need(c, "callArgs"), this.nspan(c));
            }
            case "lambda": {
                const ps = this.params(need(c, "params"));
                const t = node(c, "type");
                const body = need(c, "exprBlock");
                const lam = {
                    kind: "lambda", params: ps.items, paramsMultiline: ps.multiline, ...(t ? { ret: this.type(t) } : {}),
                    body: this.exprBlock(body), span: this.loc.span(c.location?.startOffset ?? NaN, (body.location?.endOffset ?? NaN) + 1),
                };
                const an = node(c, "callArgs");
                return an ? this.call(lam, an, this.nspan(c)) : lam;
            }
            case "ifExpr":
                return {
                    kind: "if", cond: this.expr(need(c, "expr")), then: this.exprBlock(need(c, "exprBlock", 0)),
                    else: this.exprBlock(need(c, "exprBlock", 1)), span: this.nspan(c),
                };
            case "paren":
                return { kind: "paren", inner: this.expr(need(c, "expr")), span: this.nspan(c) };
            default:
                throw new Missing(key);
        }
    }
    call(callee, argsNode, span) {
        if (argsNode.recoveredNode)
            throw new Missing("callArgs");
        const a = this.callArgs(argsNode);
        return { kind: "call", callee, args: a.items, multiline: a.multiline, span };
    }
    exprBlock(n) {
        return this.expr(need(n, "expr"));
    }
    int(t, span) {
        const v = BigInt(t.image);
        if (v < INT64_MIN || v > INT64_MAX) {
            this.err("E-PARSE-INT-OVERFLOW", `integer: overflow: \`${t.image}\``, span);
        }
        return { kind: "int", value: BigInt.asIntN(64, v), raw: t.image, span };
    }
    string(t, span) {
        const raw = t.image.slice(1, -1);
        const d = decodeString(raw);
        const base = t.startOffset + 1;
        for (const e of d.errors)
            this.err(e.code, e.message, this.loc.span(base + e.start, base + e.end));
        if (!d.interpolated || d.errors.length > 0)
            return { kind: "str", value: d.value, raw, span };
        const parts = d.parts.map((p) => typeof p === "string" ? p : { kind: "var", name: p.name, span: this.loc.span(base + p.start, base + p.end) });
        return { kind: "interp", parts, raw, span };
    }
    // ---- types ----------------------------------------------------------------------------
    type(n) {
        if (n.recoveredNode)
            throw new Missing("type");
        const [key, list] = Object.entries(n.children)[0] ?? [];
        const c = list?.[0];
        if (!key || !c)
            throw new Missing("type");
        if (isToken(c)) {
            const span = this.tspan(c);
            const name = c.image;
            if (name === "bool" || name === "str" || name === "int" || name === "float" || name === "variant") {
                return { kind: "tprim", name, span };
            }
            throw new Missing("type");
        }
        if (c.recoveredNode)
            throw new Missing(key);
        const span = this.nspan(c);
        switch (key) {
            case "listType": return { kind: "tlist", elem: this.type(need(c, "type")), span };
            case "mapType": return { kind: "tmap", key: this.type(need(c, "type", 0)), val: this.type(need(c, "type", 1)), span };
            case "structType":
                return {
                    kind: "tstruct",
                    fields: nodes(c, "structTypeField").map((f) => ({ name: needTok(f, "Identifier").image, type: this.type(need(f, "type")), span: this.nspan(f) })),
                    span,
                };
            case "funcType": {
                const it = this.items(c, "funcTypeArg");
                return {
                    kind: "tfunc",
                    params: it.nodes.map((a) => {
                        const id = tok(a, "UndottedIdent");
                        return { ...(id ? { name: id.image } : {}), type: this.type(need(a, "type")), span: this.nspan(a) };
                    }),
                    ret: this.type(need(c, "type")),
                    multiline: it.multiline,
                    span,
                };
            }
            default: throw new Missing(key);
        }
    }
}
