/**
 * The canonical mcl layout (`steward fmt`). Pure: AST in, text out.
 *
 * Layout rules:
 * - tabs for indentation (as upstream mgmt); one statement per line; no trailing whitespace;
 *   the file ends with exactly one newline (an empty program prints as the empty string);
 * - blank lines between statements, resource items, collection elements and comments are kept
 *   but collapsed to one; never right after an opening brace or before a closing one;
 * - single spaces around binary operators, `=`, `=>`, `->` of edges, `<|>`, `?:`;
 * - lists, maps, structs, call args, params and func-type params keep the `multiline` flag of the
 *   AST: multi-line means one element per line, each with a trailing comma (§2: required);
 * - resource bodies: one item per line, each ending with `,`; an empty body is `{}` — likewise
 *   every empty block (`if`, `for`, `class`) — unless comments live inside it;
 * - `func` statements always put their body on its own line; lambdas and if-expressions do so
 *   when their closing `}` was on its own line in the source, else they stay on one line;
 * - strings, ints and floats print their `raw` text; capitalised words are canonical
 *   (`Meta`, `Before`, `Http:Server:Flag["x"]`).
 *
 * Comments (Prog.comments) are never dropped: each one is emitted at the first line break whose
 * source position follows it — as an end-of-line comment if it sat on the source line of the code
 * just printed, else on its own line. Comments inside constructs printed on one line therefore
 * move to the next line break (the nearest statement/item boundary).
 *
 * Parentheses: ExprParen prints its parens. The printer adds parens only when the AST could not
 * be written otherwise (`needsParens`), which never happens for parser output; generators use the
 * same function to build re-parseable ASTs.
 */
import { isDeepStrictEqual } from "node:util";
import { assertNever } from "./ast.js";
import { diag } from "./diagnostics.js";
import { parse } from "./parse.js";
// ---------------------------------------------------------------------------------------------
// Precedence (mcl-language.md §2.1)
const BIN_PREC = {
    or: 2,
    and: 3,
    "==": 4,
    "!=": 4,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    in: 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
};
const CMP_PREC = 4;
const NOT_PREC = 7;
const POSTFIX_PREC = 9;
/**
 * Binding strength of an expression's outermost form. `if` and lambdas are primaries (they end
 * with `}`); the optional lookup `a->f <|> d` ranks with `<|>`, of which it is a variant.
 */
function prec(e) {
    switch (e.kind) {
        case "binary":
            return BIN_PREC[e.op];
        case "not":
            return NOT_PREC;
        case "except":
            return 1;
        case "field":
            return e.default ? 1 : POSTFIX_PREC;
        case "index":
            return POSTFIX_PREC;
        default:
            return 10;
    }
}
/** Whether `e` must be wrapped in parentheses when printed in context `ctx` (§2.1). */
export function needsParens(ctx, e) {
    const p = prec(e);
    switch (ctx.kind) {
        case "top":
            return false;
        case "binL": {
            const q = BIN_PREC[ctx.op];
            return p < q || (p === q && q === CMP_PREC); // comparisons are non-associative
        }
        case "binR":
            return p <= BIN_PREC[ctx.op];
        case "not":
            return p < NOT_PREC;
        case "exceptL":
            // a bare `a->f` followed by `<|>` would read as the optional lookup
            return p < 1 || (e.kind === "field" && e.default === undefined);
        case "exceptR":
        case "fieldDefault":
            return p <= 1;
        case "postfix":
            return p < POSTFIX_PREC;
        default:
            return assertNever(ctx);
    }
}
const TOP = { kind: "top" };
function capitalise(word) {
    return word.length === 0 ? word : word[0].toUpperCase() + word.slice(1);
}
/** `http:server:flag` → `Http:Server:Flag` (each colon segment is a CAPITALIZED_IDENTIFIER). */
function capKind(kindName) {
    return kindName.split(":").map(capitalise).join(":");
}
class Printer {
    comments;
    lines = [];
    cur = "";
    curHasText = false;
    indent = 0;
    ci = 0;
    /** Highest source line printed so far (code or comment). */
    srcLine = 0;
    /** True right after an opening brace: no blank line goes here. */
    blockStart = true;
    constructor(comments) {
        this.comments = comments;
    }
    output() {
        this.nl(Infinity);
        return this.lines.length === 0 ? "" : this.lines.join("\n") + "\n";
    }
    // --- low level -----------------------------------------------------------------------------
    text(s) {
        if (!this.curHasText) {
            this.cur = "\t".repeat(this.indent);
            this.curHasText = true;
        }
        this.cur += s;
    }
    at(line) {
        if (line > this.srcLine)
            this.srcLine = line;
    }
    hasCommentBefore(bound) {
        const c = this.comments[this.ci];
        return c !== undefined && c.span.start.offset < bound;
    }
    /**
     * Ends the current output line. A pending comment before `bound` on the source line just
     * printed becomes its end-of-line comment; the other pending comments before `bound` follow
     * on their own lines at the current indentation (none when `bound` is null).
     */
    nl(bound) {
        const limit = bound ?? -1;
        if (this.curHasText) {
            const c = this.comments[this.ci];
            if (c !== undefined && c.span.start.line === this.srcLine && (bound === null || c.span.start.offset < limit)) {
                this.cur += " " + c.text.trimEnd();
                this.ci++;
            }
            this.lines.push(this.cur);
            this.cur = "";
            this.curHasText = false;
        }
        for (let c = this.comments[this.ci]; c !== undefined && c.span.start.offset < limit; c = this.comments[this.ci]) {
            this.blank(c.span.start.line);
            this.lines.push("\t".repeat(this.indent) + c.text.trimEnd());
            this.at(c.span.end.line);
            this.blockStart = false;
            this.ci++;
        }
    }
    /** Keeps (one) blank line before something that starts at source `line`. */
    blank(line) {
        if (!this.blockStart && line > this.srcLine + 1)
            this.lines.push("");
    }
    /**
     * Prints `open`, the elements one per line, and `close`. `openLine` is the source line of
     * `open`; `closeBound` is the offset of `close` when known.
     */
    multiline(open, close, openLine, items, closeBound, item, sep) {
        this.text(open);
        this.at(openLine);
        this.indent++;
        this.blockStart = true;
        for (const x of items) {
            this.nl(x.span.start.offset);
            this.blank(x.span.start.line);
            item(x);
            this.text(sep);
            this.at(x.span.end.line);
            this.blockStart = false;
        }
        this.nl(closeBound);
        this.indent--;
        this.blockStart = false;
        this.text(close);
    }
    /** A comma-separated list, single-line or multi-line per `ml`. */
    list(open, close, ml, openLine, items, closeBound, item) {
        const hasInside = closeBound !== null && this.hasCommentBefore(closeBound);
        if (ml && (items.length > 0 || hasInside)) {
            this.multiline(open, close, openLine, items, closeBound, item, ",");
            return;
        }
        this.text(open);
        items.forEach((x, i) => {
            if (i > 0)
                this.text(", ");
            item(x);
        });
        this.text(close);
    }
    /** `{ stmts }`: `{}` when empty (and no comment inside), else one statement per line. */
    block(stmts, openLine, closeBound, closeLine) {
        if (stmts.length === 0 && (closeBound === null || !this.hasCommentBefore(closeBound))) {
            this.text("{}");
        }
        else {
            this.multiline("{", "}", openLine, stmts, closeBound, (s) => this.stmt(s), "");
        }
        this.at(closeLine);
    }
    // --- statements ----------------------------------------------------------------------------
    prog(stmts) {
        for (const s of stmts) {
            this.nl(s.span.start.offset);
            this.blank(s.span.start.line);
            this.stmt(s);
            this.at(s.span.end.line);
            this.blockStart = false;
        }
    }
    stmt(s) {
        switch (s.kind) {
            case "bind":
                this.text(`$${s.name}`);
                if (s.type) {
                    this.text(" ");
                    this.type(s.type);
                }
                this.text(" = ");
                this.expr(s.value);
                return;
            case "res":
                if (s.collect)
                    this.text("collect ");
                this.text(`${s.kindName} `);
                this.expr(s.name);
                this.text(" ");
                if (s.items.length === 0 && !this.hasCommentBefore(s.span.end.offset)) {
                    this.text("{}");
                }
                else {
                    this.multiline("{", "}", s.name.span.end.line, s.items, s.span.end.offset, (it) => this.resItem(it), ",");
                }
                this.at(s.span.end.line);
                return;
            case "edge":
                s.halves.forEach((h, i) => {
                    if (i > 0)
                        this.text(" -> ");
                    this.edgeHalf(h);
                });
                return;
            case "if": {
                this.text("if ");
                this.expr(s.cond);
                this.text(" ");
                const openLine = s.cond.span.end.line;
                if (s.else === undefined) {
                    this.block(s.then, openLine, s.span.end.offset, s.span.end.line);
                }
                else {
                    // The `} else {` position is unknown: comments between the branches go into `else`.
                    this.block(s.then, openLine, null, 0);
                    this.text(" else ");
                    this.block(s.else, s.else[0]?.span.start.line ?? 0, s.span.end.offset, s.span.end.line);
                }
                return;
            }
            case "for":
                this.text(`${s.kv ? "forkv" : "for"} $${s.key}, $${s.val} in `);
                this.expr(s.expr);
                this.text(" ");
                this.block(s.body, s.expr.span.end.line, s.span.end.offset, s.span.end.line);
                return;
            case "func":
                this.text(`func ${s.name}`);
                this.params(s.params, s.paramsMultiline, s.nameSpan.end.line);
                if (s.ret) {
                    this.text(" ");
                    this.type(s.ret);
                }
                this.text(" ");
                this.multiline("{", "}", s.ret ? s.ret.span.end.line : s.nameSpan.end.line, [s.body], s.span.end.offset, (b) => this.expr(b), "");
                this.at(s.span.end.line);
                return;
            case "class":
                this.text(`class ${s.name}`);
                if (s.params !== undefined)
                    this.params(s.params, s.paramsMultiline, s.nameSpan.end.line);
                this.text(" ");
                this.block(s.body, s.nameSpan.end.line, s.span.end.offset, s.span.end.line);
                return;
            case "include":
                this.text(`include ${s.name}`);
                if (s.args !== undefined) {
                    const bound = s.alias === undefined ? s.span.end.offset : null;
                    this.list("(", ")", s.argsMultiline, s.nameSpan.end.line, s.args, bound, (a) => this.expr(a));
                }
                if (s.alias !== undefined)
                    this.text(` as ${s.alias}`);
                return;
            case "import":
                this.text(`import "${s.path}"`);
                if (s.alias !== undefined)
                    this.text(` as ${s.alias}`);
                return;
            case "panic":
                this.text("panic");
                this.list("(", ")", false, s.span.start.line, s.args, s.span.end.offset, (a) => this.expr(a));
                return;
            default:
                assertNever(s);
        }
    }
    resItem(it) {
        switch (it.kind) {
            case "field":
                this.text(`${it.name} => `);
                break;
            case "edge":
                this.text(`${capitalise(it.prop)} => `);
                break;
            case "meta":
                this.text(`Meta:${it.prop} => `);
                break;
            case "metastruct":
                this.text("Meta => ");
                break;
            default:
                assertNever(it);
        }
        if (it.cond) {
            this.expr(it.cond);
            this.text(" ?: ");
        }
        if (it.kind === "edge")
            this.edgeHalf(it.target);
        else
            this.expr(it.value);
    }
    edgeHalf(h) {
        this.text(`${capKind(h.kindName)}[`);
        this.expr(h.name);
        this.text("]");
        if (h.field !== undefined)
            this.text(`.${h.field}`);
        this.at(h.span.end.line);
    }
    params(ps, ml, openLine) {
        this.list("(", ")", ml, openLine, ps, null, (p) => {
            this.text(`$${p.name}`);
            if (p.type) {
                this.text(" ");
                this.type(p.type);
            }
        });
    }
    // --- types ---------------------------------------------------------------------------------
    type(t) {
        switch (t.kind) {
            case "tprim":
                this.text(t.name);
                return;
            case "tlist":
                this.text("[]");
                this.type(t.elem);
                return;
            case "tmap":
                this.text("map{");
                this.type(t.key);
                this.text(": ");
                this.type(t.val);
                this.text("}");
                return;
            case "tstruct":
                this.text("struct{");
                t.fields.forEach((f, i) => {
                    if (i > 0)
                        this.text("; ");
                    this.text(`${f.name} `);
                    this.type(f.type);
                });
                this.text("}");
                return;
            case "tfunc":
                this.text("func");
                this.list("(", ")", t.multiline, t.span.start.line, t.params, t.ret.span.start.offset, (p) => {
                    if (p.name !== undefined)
                        this.text(`$${p.name} `);
                    this.type(p.type);
                });
                this.text(" ");
                this.type(t.ret);
                return;
            default:
                assertNever(t);
        }
    }
    // --- expressions ---------------------------------------------------------------------------
    expr(e, ctx = TOP) {
        if (needsParens(ctx, e)) {
            this.text("(");
            this.expr0(e);
            this.text(")");
        }
        else {
            this.expr0(e);
        }
        this.at(e.span.end.line);
    }
    expr0(e) {
        switch (e.kind) {
            case "bool":
                this.text(e.value ? "true" : "false");
                return;
            case "int":
            case "float":
                this.text(e.raw);
                return;
            case "str":
            case "interp":
                this.text(`"${e.raw}"`);
                return;
            case "var":
                this.text(`$${e.name}`);
                return;
            case "list":
                this.list("[", "]", e.multiline, e.span.start.line, e.items, e.span.end.offset, (x) => this.expr(x));
                return;
            case "map":
                this.list("{", "}", e.multiline, e.span.start.line, e.entries, e.span.end.offset, (kv) => {
                    this.expr(kv.key);
                    this.text(" => ");
                    this.expr(kv.value);
                });
                return;
            case "struct":
                this.list("struct{", "}", e.multiline, e.span.start.line, e.fields, e.span.end.offset, (f) => {
                    this.text(`${f.name} => `);
                    this.expr(f.value);
                });
                return;
            case "lambda":
                this.lambda(e);
                return;
            case "call": {
                const c = e.callee;
                if (c.kind === "name")
                    this.text(c.name);
                else if (c.kind === "var")
                    this.text(`$${c.name}`);
                else
                    this.lambda(c);
                this.at(c.span.end.line);
                this.list("(", ")", e.multiline, c.span.end.line, e.args, e.span.end.offset, (a) => this.expr(a));
                return;
            }
            case "if": {
                this.text("if ");
                this.expr(e.cond);
                this.text(" ");
                if (e.span.end.line > e.else.span.end.line) {
                    this.multiline("{", "}", e.cond.span.end.line, [e.then], null, (x) => this.expr(x), "");
                    this.text(" else ");
                    this.multiline("{", "}", e.else.span.start.line, [e.else], e.span.end.offset, (x) => this.expr(x), "");
                }
                else {
                    this.text("{ ");
                    this.expr(e.then);
                    this.text(" } else { ");
                    this.expr(e.else);
                    this.text(" }");
                }
                return;
            }
            case "binary":
                this.expr(e.left, { kind: "binL", op: e.op });
                this.text(` ${e.op} `);
                this.expr(e.right, { kind: "binR", op: e.op });
                return;
            case "not":
                this.text("not ");
                this.expr(e.operand, { kind: "not" });
                return;
            case "except":
                this.expr(e.left, { kind: "exceptL" });
                this.text(" <|> ");
                this.expr(e.right, { kind: "exceptR" });
                return;
            case "index":
                this.expr(e.target, { kind: "postfix" });
                this.text("[");
                this.expr(e.index);
                this.text("]");
                return;
            case "field":
                this.expr(e.target, { kind: "postfix" });
                this.text(`->${e.field}`);
                if (e.default !== undefined) {
                    this.text(" <|> ");
                    this.expr(e.default, { kind: "fieldDefault" });
                }
                return;
            case "paren":
                this.text("(");
                this.expr(e.inner);
                this.text(")");
                return;
            default:
                assertNever(e);
        }
    }
    lambda(e) {
        this.text("func");
        this.params(e.params, e.paramsMultiline, e.span.start.line);
        if (e.ret) {
            this.text(" ");
            this.type(e.ret);
        }
        this.text(" ");
        if (e.span.end.line > e.body.span.end.line) {
            this.multiline("{", "}", (e.ret ?? e.params[e.params.length - 1])?.span.end.line ?? e.span.start.line, [e.body], e.span.end.offset, (b) => this.expr(b), "");
        }
        else {
            this.text("{ ");
            this.expr(e.body);
            this.text(" }");
        }
    }
}
// ---------------------------------------------------------------------------------------------
// Entry points
/** Prints a program in the canonical layout, with its comments. */
export function format(prog) {
    const comments = [...prog.comments].sort((a, b) => a.span.start.offset - b.span.start.offset);
    const p = new Printer(comments);
    p.prog(prog.stmts);
    return p.output();
}
/** Parses and formats one file; parse errors (or, defensively, a layout that would change the program) give no output. */
export function formatSource(text, file) {
    const first = parse(text, file);
    if (first.diagnostics.length > 0)
        return { diagnostics: [...first.diagnostics] };
    const output = format(first.prog);
    const second = parse(output, file);
    const same = second.diagnostics.length === 0 &&
        isDeepStrictEqual(stripSpans(second.prog), stripSpans(first.prog)) &&
        isDeepStrictEqual(commentTexts(second.prog), commentTexts(first.prog));
    if (!same) {
        const at = { line: 1, col: 1, offset: 0 };
        return {
            diagnostics: [
                diag("parse", "E-FMT-INTERNAL", "the formatter would change this file's meaning or lose a comment; file left unformatted (a Steward bug)", {
                    file,
                    start: at,
                    end: at,
                }),
            ],
        };
    }
    return { output, diagnostics: [] };
}
function commentTexts(p) {
    return [...p.comments].sort((a, b) => a.span.start.offset - b.span.start.offset).map((c) => c.text.trimEnd());
}
const EMPTY_WHEN = {
    multiline: "",
    paramsMultiline: "params",
    argsMultiline: "args",
};
/**
 * The program's meaning as plain data: spans, comments and the file name removed, `undefined`
 * properties dropped, and the multi-line flag of an empty list/params/args cleared (the printer
 * writes `[]` for both). Two programs format-equivalent iff their stripped forms are deep-equal.
 */
export function stripSpans(x) {
    if (Array.isArray(x))
        return x.map(stripSpans);
    if (x === null || typeof x !== "object")
        return x;
    const o = x;
    if ("stmts" in o && "comments" in o)
        return { stmts: stripSpans(o["stmts"]) };
    const out = {};
    for (const [k, v] of Object.entries(o)) {
        if (v === undefined || k === "span" || k.endsWith("Span"))
            continue;
        out[k] = stripSpans(v);
    }
    for (const [flag, arr] of Object.entries(EMPTY_WHEN)) {
        if (!(flag in out))
            continue;
        const items = arr !== "" ? o[arr] : (o["items"] ?? o["entries"] ?? o["fields"] ?? o["args"] ?? o["params"]);
        if (!Array.isArray(items) || items.length === 0)
            out[flag] = false;
    }
    return out;
}
