/**
 * Parser for the subset of Go's text/template that `golang.template` supports (docs/template.md):
 * text, `{{pipeline}}`, trim markers `{{-`/`-}}`, comments, variables (`$x := …`, `$x = …`),
 * `if`/`else if`/`else`, `with`, `range` (with `$i, $e :=`), `break`, `continue`, pipelines `|`,
 * parenthesised pipelines, field chains, and string/raw/char/number/bool/nil literals.
 * Not supported: `define`, `template`, `block`, custom delimiters, method calls.
 */
export class TemplateError extends Error {
}
const KEYWORDS = new Set(["if", "else", "end", "range", "with", "break", "continue", "define", "template", "block", "nil", "true", "false"]);
function unquote(raw) {
    if (raw.startsWith("`"))
        return raw.slice(1, -1);
    return JSON.parse(raw.startsWith("'") ? `"${raw.slice(1, -1).replace(/"/g, '\\"')}"` : raw);
}
/** Tokenise the inside of one action; `base` is its offset in the template for error positions. */
function lexAction(src, base, line) {
    const toks = [];
    let i = 0;
    const err = (m) => {
        throw new TemplateError(`${line()}: ${m}`);
    };
    while (i < src.length) {
        const c = src[i];
        const pos = base + i;
        if (/\s/.test(c)) {
            i++;
            continue;
        }
        let m;
        const rest = src.slice(i);
        if ((m = /^(\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(rest)))
            toks.push({ t: "field", v: m[0], pos });
        else if ((m = /^\$[A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest)))
            toks.push({ t: "var", v: m[0], pos });
        else if ((m = /^[-+]?(0[xX][0-9a-fA-F_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][-+]?\d+)?)/.exec(rest)) && !/^[-+]?\.[A-Za-z]/.test(rest)) {
            const t = m[0].replace(/_/g, "");
            const isFloat = /[.eE]/.test(t) && !/^[-+]?0[xX]/.test(t);
            if (isFloat)
                toks.push({ t: "num", v: Number(t), pos });
            else {
                const neg = t.startsWith("-");
                const body = t.replace(/^[-+]/, "");
                const v = BigInt(body);
                toks.push({ t: "num", v: neg ? -v : v, pos });
            }
        }
        else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)))
            toks.push({ t: "ident", v: m[0], pos });
        else if ((m = /^("(?:[^"\\\n]|\\.)*"|`[^`]*`|'(?:[^'\\\n]|\\.)+')/.exec(rest))) {
            let v;
            try {
                v = unquote(m[0]);
            }
            catch {
                return err(`bad string syntax: ${m[0]}`);
            }
            toks.push({ t: m[0].startsWith("'") ? "num" : "str", v: m[0].startsWith("'") ? BigInt(v.codePointAt(0) ?? 0) : v, pos });
        }
        else if ((m = /^(:=|=|\||\(|\)|,)/.exec(rest)))
            toks.push({ t: "op", v: m[0], pos });
        else if (c === ".")
            toks.push({ t: "field", v: ".", pos }), (m = /^\./.exec(rest));
        else
            return err(`unexpected ${JSON.stringify(c)} in command`);
        i += m[0].length;
    }
    return toks;
}
/** Parse a template; `name` prefixes error positions (`template: name:LINE: …`). */
export function parseTemplate(text, name) {
    const root = [];
    // control stack: the node being built and whether we're in its else branch
    const stack = [];
    const cur = () => {
        const top = stack[stack.length - 1];
        if (!top)
            return root;
        return top.inElse ? top.node.elseList : top.node.list;
    };
    let i = 0;
    let trimNext = false;
    const lineOf = (pos) => `template: ${name}:${text.slice(0, pos).split("\n").length}`;
    while (i < text.length) {
        const open = text.indexOf("{{", i);
        let chunk = open < 0 ? text.slice(i) : text.slice(i, open);
        if (trimNext)
            chunk = chunk.replace(/^\s+/, "");
        trimNext = false;
        if (open < 0) {
            if (chunk)
                cur().push({ k: "text", text: chunk });
            break;
        }
        let start = open + 2;
        if (/^- /.test(text.slice(start)) || text.slice(start).startsWith("-\t") || text.slice(start).startsWith("-\n")) {
            chunk = chunk.replace(/\s+$/, "");
            start += 1;
        }
        if (chunk)
            cur().push({ k: "text", text: chunk });
        // find the closing delimiter outside of string literals
        let j = start;
        let close = -1;
        while (j < text.length) {
            const c = text[j];
            if (c === '"' || c === "'" || c === "`") {
                const m = (c === "`" ? /^`[^`]*`/ : c === '"' ? /^"(?:[^"\\\n]|\\.)*"/ : /^'(?:[^'\\\n]|\\.)*'/).exec(text.slice(j));
                if (!m)
                    throw new TemplateError(`${lineOf(j)}: unterminated quoted string`);
                j += m[0].length;
                continue;
            }
            if (text.startsWith("}}", j)) {
                close = j;
                break;
            }
            j++;
        }
        if (close < 0)
            throw new TemplateError(`${lineOf(open)}: unclosed action`);
        let inner = text.slice(start, close);
        if (/[ \t\n]-$/.test(inner)) {
            inner = inner.slice(0, -1);
            trimNext = true;
        }
        i = close + 2;
        const trimmed = inner.trim();
        if (trimmed.startsWith("/*")) {
            if (!trimmed.endsWith("*/"))
                throw new TemplateError(`${lineOf(open)}: unclosed comment`);
            continue;
        }
        const toks = lexAction(inner, start, () => lineOf(open));
        const first = toks[0];
        if (first === undefined)
            throw new TemplateError(`${lineOf(open)}: missing value for command`);
        const kw = first.t === "ident" ? first.v : "";
        const p = new PipeParser(toks, () => lineOf(open));
        if (kw === "if" || kw === "with" || kw === "range") {
            p.next();
            const node = { k: kw, pipe: p.pipeline(kw === "range"), list: [], elseList: undefined, pos: first.pos };
            cur().push(node);
            stack.push({ node, inElse: false, chained: 0 });
        }
        else if (kw === "else") {
            const top = stack[stack.length - 1];
            if (!top || top.inElse)
                throw new TemplateError(`${lineOf(open)}: unexpected {{else}}`);
            top.node.elseList = [];
            top.inElse = true;
            const second = toks[1];
            if (second?.t === "ident" && (second.v === "if" || second.v === "with")) {
                // {{else if x}} is an if nested in the else branch, closed by the same {{end}}
                p.next();
                p.next();
                const node = { k: second.v, pipe: p.pipeline(false), list: [], elseList: undefined, pos: second.pos };
                top.node.elseList.push(node);
                stack.push({ node, inElse: false, chained: top.chained + 1 });
            }
            else if (toks.length > 1)
                throw new TemplateError(`${lineOf(open)}: unexpected ${JSON.stringify(String(second.v))} in else`);
        }
        else if (kw === "end") {
            if (toks.length > 1)
                throw new TemplateError(`${lineOf(open)}: unexpected ${JSON.stringify(String(toks[1].v))} in end`);
            let top = stack.pop();
            if (!top)
                throw new TemplateError(`${lineOf(open)}: unexpected {{end}}`);
            for (let n = top.chained; n > 0; n--)
                top = stack.pop();
        }
        else if (kw === "break" || kw === "continue") {
            if (!stack.some((s) => s.node.k === "range"))
                throw new TemplateError(`${lineOf(open)}: {{${kw}}} outside {{range}}`);
            cur().push({ k: kw, pos: first.pos });
        }
        else if (kw === "define" || kw === "template" || kw === "block") {
            throw new TemplateError(`${lineOf(open)}: {{${kw}}} is not supported by golang.template`);
        }
        else {
            cur().push({ k: "action", pipe: p.pipeline(false), pos: first.pos });
        }
    }
    if (stack.length > 0)
        throw new TemplateError(`template: ${name}:${text.split("\n").length}: unexpected EOF`);
    return root;
}
class PipeParser {
    toks;
    line;
    i = 0;
    constructor(toks, line) {
        this.toks = toks;
        this.line = line;
    }
    err(m) {
        throw new TemplateError(`${this.line()}: ${m}`);
    }
    next() {
        return this.toks[this.i++];
    }
    peek() {
        return this.toks[this.i];
    }
    pipeline(allowTwo, inParen = false) {
        const pos = this.peek()?.pos ?? 0;
        const decl = [];
        let assign = false;
        // declarations: $x := / $x = / $i, $e :=
        const save = this.i;
        const t0 = this.peek();
        if (t0?.t === "var" && !t0.v.includes(".")) {
            const t1 = this.toks[this.i + 1];
            if (t1?.t === "op" && (t1.v === ":=" || t1.v === "=")) {
                decl.push(t0.v);
                assign = t1.v === "=";
                this.i += 2;
            }
            else if (allowTwo && t1?.t === "op" && t1.v === ",") {
                const t2 = this.toks[this.i + 2], t3 = this.toks[this.i + 3];
                if (t2?.t === "var" && t3?.t === "op" && (t3.v === ":=" || t3.v === "=")) {
                    decl.push(t0.v, t2.v);
                    assign = t3.v === "=";
                    this.i += 4;
                }
                else
                    this.i = save;
            }
        }
        const cmds = [];
        for (;;) {
            const args = [];
            const cpos = this.peek()?.pos ?? pos;
            for (;;) {
                const t = this.peek();
                if (t === undefined || (t.t === "op" && (t.v === "|" || t.v === ")")))
                    break;
                this.i++;
                args.push(this.operand(t));
            }
            if (args.length === 0)
                this.err("missing value for command");
            cmds.push({ args, pos: cpos });
            const t = this.peek();
            if (t?.t === "op" && t.v === "|") {
                this.i++;
                continue;
            }
            if (t?.t === "op" && t.v === ")") {
                if (!inParen)
                    this.err("unexpected right paren");
            }
            break;
        }
        return { decl, assign, cmds, pos };
    }
    operand(t) {
        switch (t.t) {
            case "field":
                return { k: "field", chain: t.v === "." ? [] : t.v.slice(1).split("."), pos: t.pos };
            case "var": {
                const [name, ...chain] = t.v.split(".");
                return { k: "var", name: name, chain, pos: t.pos };
            }
            case "str":
                return { k: "lit", value: t.v, pos: t.pos };
            case "num":
                return { k: "lit", value: t.v, pos: t.pos };
            case "ident":
                if (t.v === "true" || t.v === "false")
                    return { k: "lit", value: t.v === "true", pos: t.pos };
                if (t.v === "nil")
                    return { k: "nil", pos: t.pos };
                if (KEYWORDS.has(t.v))
                    this.err(`unexpected <${t.v}> in command`);
                return { k: "ident", name: t.v, pos: t.pos };
            case "op":
                if (t.v === "(") {
                    const pipe = this.pipeline(false, true);
                    const close = this.next();
                    if (close?.t !== "op" || close.v !== ")")
                        this.err("unclosed left paren");
                    // (pipeline).Field
                    const f = this.peek();
                    let chain = [];
                    if (f?.t === "field" && f.v !== "." && f.pos === (this.toks[this.i - 1]?.pos ?? -2) + 1) {
                        this.i++;
                        chain = f.v.slice(1).split(".");
                    }
                    return { k: "pipe", pipe, chain, pos: t.pos };
                }
                return this.err(`unexpected ${JSON.stringify(t.v)} in operand`);
        }
    }
}
