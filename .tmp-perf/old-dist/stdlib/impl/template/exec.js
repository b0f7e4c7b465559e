/**
 * Execution of a parsed template (parse.ts) over mcl values, with Go's text/template rules:
 * `missingkey=error`, struct fields by their capitalised name (`.Hello` reads mcl field `hello`),
 * map keys as fields, Go truthiness, `range` over lists, maps (sorted keys) and ints. Functions:
 * Go's builtins (and or not len index slice print printf println eq ne lt le gt ge html
 * urlquery js call) plus every mcl builtin with a concrete signature, named with `.` and `/`
 * replaced by `_` (`datetime_print`, `strings_to_upper`).
 */
import { isCatchable, isFunc, isMap, isStruct, printValue, sortedEntries } from "../../../lang/values.js";
import { isConcrete } from "../../../lang/types.js";
import { parseType } from "../../../lang/type-parse.js";
import { getImpl } from "../../impl.js";
import { allFuncs } from "../../registry.js";
import { goEquals } from "../core.js";
import { goSprint, goSprintf, goV } from "./gofmt.js";
export class ExecError extends Error {
}
class Jump {
    kind;
    constructor(kind) {
        this.kind = kind;
    }
}
function truth(v) {
    if (v === undefined)
        return false;
    if (typeof v === "boolean")
        return v;
    if (typeof v === "string")
        return v !== "";
    if (typeof v === "bigint")
        return v !== 0n;
    if (typeof v === "number")
        return v !== 0;
    if (Array.isArray(v))
        return v.length > 0;
    if (isMap(v))
        return v.size > 0;
    return true;
}
function basicCompare(op, a, b) {
    if (a === undefined || b === undefined) {
        if (op === "eq" || op === "ne")
            return (a === b) === (op === "eq");
        throw new ExecError("invalid type for comparison");
    }
    if (typeof a !== typeof b)
        throw new ExecError("incompatible types for comparison");
    if (op === "eq")
        return goEquals(a, b);
    if (op === "ne")
        return !goEquals(a, b);
    if (typeof a !== "string" && typeof a !== "bigint" && typeof a !== "number")
        throw new ExecError("invalid type for comparison");
    const x = a, y = b;
    return op === "lt" ? x < y : op === "le" ? x <= y : op === "gt" ? x > y : x >= y;
}
function need(v, what) {
    if (v === undefined)
        throw new ExecError(`${what}: nil value`);
    return v;
}
function indexOf(item, keys) {
    let v = need(item, "index of untyped nil");
    for (const k of keys) {
        if (Array.isArray(v) || typeof v === "string") {
            if (typeof k !== "bigint")
                throw new ExecError(`cannot index slice/array with type ${typeof k}`);
            const len = typeof v === "string" ? Buffer.byteLength(v) : v.length;
            if (k < 0n || k >= BigInt(len))
                throw new ExecError(`error calling index: index out of range: ${k}`);
            v = typeof v === "string" ? BigInt(Buffer.from(v)[Number(k)]) : v[Number(k)];
        }
        else if (isMap(v)) {
            const got = v.get(need(k, "index"));
            if (got === undefined)
                throw new ExecError(`error calling index: map has no entry for key ${printValue(need(k, "index"))}`);
            v = got;
        }
        else
            throw new ExecError(`can't index item of type ${typeof v}`);
    }
    return v;
}
const BUILTINS = {
    and: { call: (a) => a.find((x) => !truth(x)) ?? a[a.length - 1] },
    or: { call: (a) => a.find((x) => truth(x)) ?? a[a.length - 1] },
    not: { arity: 1, call: (a) => !truth(a[0]) },
    len: {
        arity: 1,
        call: ([v]) => {
            if (typeof v === "string")
                return BigInt(Buffer.byteLength(v));
            if (Array.isArray(v))
                return BigInt(v.length);
            if (v !== undefined && isMap(v))
                return BigInt(v.size);
            throw new ExecError(`error calling len: len of type ${typeof v}`);
        },
    },
    index: { call: ([item, ...keys]) => indexOf(item, keys) },
    slice: {
        call: ([item, ...idx]) => {
            const n = idx.map((x) => Number(x));
            if (typeof item === "string")
                return Buffer.from(item).subarray(n[0] ?? 0, n[1]).toString("utf8");
            if (Array.isArray(item))
                return item.slice(n[0] ?? 0, n[1]);
            throw new ExecError("can't slice item");
        },
    },
    print: { call: (a) => goSprint(a.map((x) => need(x, "print"))) },
    println: { call: (a) => a.map((x) => goV(need(x, "println"))).join(" ") + "\n" },
    printf: { call: ([f, ...a]) => goSprintf(String(f), a.map((x) => need(x, "printf"))) },
    html: { call: (a) => goSprint(a.map((x) => need(x, "html"))).replace(/[<>&'"\0]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&#39;", '"': "&#34;", "\0": "\uFFFD" })[c]) },
    urlquery: { call: (a) => encodeURIComponent(goSprint(a.map((x) => need(x, "urlquery")))).replace(/%20/g, "+").replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()) },
    js: { call: (a) => goSprint(a.map((x) => need(x, "js"))).replace(/[\\'"<>&=]|[\x00-\x1f]/g, (c) => (c === "\\" ? "\\\\" : c === "'" ? "\\'" : c === '"' ? "\\\"" : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)) },
    call: {
        call: ([f, ...a]) => {
            if (f === undefined || !isFunc(f))
                throw new ExecError("error calling call: non-function");
            const r = f.call(a.map((x) => need(x, "call")));
            if (isCatchable(r))
                throw new ExecError(`error calling call: ${r.message}`);
            return r;
        },
    },
    ...Object.fromEntries(["eq", "ne", "lt", "le", "gt", "ge"].map((op) => [op, {
            call: (a) => {
                if (a.length < 2)
                    throw new ExecError(`wrong number of args for ${op}: want 2 got ${a.length}`);
                if (op === "eq")
                    return a.slice(1).some((b) => basicCompare("eq", a[0], b));
                if (a.length !== 2)
                    throw new ExecError(`wrong number of args for ${op}: want 2 got ${a.length}`);
                return basicCompare(op, a[0], a[1]);
            },
        }])),
};
/** mcl builtins by template name: every function with a concrete fixed signature and a pure/impure impl. */
let MCL_FUNCS;
function mclFuncs() {
    if (MCL_FUNCS)
        return MCL_FUNCS;
    MCL_FUNCS = new Map();
    for (const f of allFuncs()) {
        if (f.sig === undefined || f.effect === "source" || f.name.startsWith("_"))
            continue;
        const t = parseType(f.sig);
        if (t.k !== "func" || !isConcrete(t))
            continue;
        MCL_FUNCS.set(f.name.replace(/[./]/g, "_"), { name: f.name, params: t.params.map((p) => p.type.k) });
    }
    return MCL_FUNCS;
}
/** Capitalise the first letter: mgmt exposes mcl struct field `hello` to Go as `Hello`. */
function goFieldName(n) {
    return n.charAt(0).toUpperCase() + n.slice(1);
}
export class Executor {
    name;
    text;
    ctx;
    out = "";
    vars = [];
    constructor(name, text, ctx) {
        this.name = name;
        this.text = text;
        this.ctx = ctx;
    }
    run(nodes, data) {
        this.vars.push(["$", data]);
        this.list(nodes, data);
        return this.out;
    }
    fail(pos, what, msg) {
        const before = this.text.slice(0, pos);
        const line = before.split("\n").length;
        const col = pos - (before.lastIndexOf("\n") + 1);
        throw new ExecError(`template: ${this.name}:${line}:${col}: executing "${this.name}" at <${what}>: ${msg}`);
    }
    list(nodes, dot) {
        const mark = this.vars.length;
        try {
            for (const n of nodes)
                this.node(n, dot);
        }
        finally {
            this.vars.length = mark;
        }
    }
    node(n, dot) {
        switch (n.k) {
            case "text":
                this.out += n.text;
                return;
            case "action": {
                const v = this.pipe(n.pipe, dot);
                if (n.pipe.decl.length === 0)
                    this.out += v === undefined ? "<no value>" : goV(v);
                return;
            }
            case "break":
            case "continue":
                throw new Jump(n.k);
            case "if":
            case "with": {
                const mark = this.vars.length;
                const v = this.pipe(n.pipe, dot);
                if (truth(v))
                    this.list(n.list, n.k === "with" ? v : dot);
                else if (n.elseList)
                    this.list(n.elseList, dot);
                this.vars.length = mark;
                return;
            }
            case "range":
                return this.range(n, dot);
        }
    }
    range(n, dot) {
        const mark = this.vars.length;
        const pipe = { ...n.pipe, decl: [] };
        const v = this.pipe(pipe, dot);
        let items;
        if (v === undefined)
            items = [];
        else if (Array.isArray(v))
            items = v.map((x, i) => [BigInt(i), x]);
        else if (isMap(v))
            items = sortedEntries(v); // Go visits map keys in sorted order
        else if (typeof v === "bigint")
            items = Array.from({ length: Number(v < 0n ? 0n : v) }, (_, i) => [BigInt(i), BigInt(i)]);
        else
            this.fail(n.pos, "range", `range can't iterate over ${goV(v)}`);
        if (items.length === 0) {
            if (n.elseList)
                this.list(n.elseList, dot);
            return;
        }
        for (const [k, x] of items) {
            this.vars.length = mark;
            const decl = n.pipe.decl;
            if (decl.length === 1)
                this.setVar(decl[0], x, n.pipe.assign);
            else if (decl.length === 2)
                this.setVar(decl[0], k, n.pipe.assign), this.setVar(decl[1], x, n.pipe.assign);
            try {
                this.list(n.list, x);
            }
            catch (e) {
                if (!(e instanceof Jump))
                    throw e;
                if (e.kind === "break")
                    break;
            }
        }
        this.vars.length = mark;
    }
    setVar(name, v, assign) {
        if (assign) {
            for (let i = this.vars.length - 1; i >= 0; i--) {
                if (this.vars[i][0] === name) {
                    this.vars[i][1] = v;
                    return;
                }
            }
            throw new ExecError(`template: ${this.name}: undefined variable: ${name}`);
        }
        this.vars.push([name, v]);
    }
    pipe(p, dot) {
        let v = undefined;
        let first = true;
        for (const c of p.cmds) {
            v = this.cmd(c, dot, first ? undefined : { v });
            first = false;
        }
        for (const d of p.decl)
            this.setVar(d, v, p.assign);
        return v;
    }
    cmd(c, dot, piped) {
        const [head, ...rest] = c.args;
        if (head === undefined)
            return undefined;
        if (head.k === "ident") {
            const args = rest.map((a) => this.arg(a, dot));
            if (piped)
                args.push(piped.v);
            return this.call(head.name, args, head.pos);
        }
        if (rest.length > 0 || piped)
            this.fail(head.pos, this.argText(head), `can't give argument to non-function ${this.argText(head)}`);
        return this.arg(head, dot);
    }
    argText(a) {
        switch (a.k) {
            case "field":
                return "." + a.chain.join(".");
            case "var":
                return [a.name, ...a.chain].join(".");
            case "ident":
                return a.name;
            case "lit":
                return typeof a.value === "string" ? JSON.stringify(a.value) : String(a.value);
            case "nil":
                return "nil";
            case "pipe":
                return "(...)";
        }
    }
    arg(a, dot) {
        switch (a.k) {
            case "field":
                return this.chain(dot, a.chain, a);
            case "var": {
                const found = [...this.vars].reverse().find(([n]) => n === a.name);
                if (!found)
                    this.fail(a.pos, a.name, `undefined variable: ${a.name}`);
                return this.chain(found[1], a.chain, a);
            }
            case "lit":
                return a.value;
            case "nil":
                return undefined;
            case "ident":
                return this.call(a.name, [], a.pos);
            case "pipe":
                return this.chain(this.pipe(a.pipe, dot), a.chain, a);
        }
    }
    chain(v, chain, a) {
        for (const f of chain) {
            const at = this.argText(a);
            if (v === undefined)
                this.fail(a.pos, at, `nil pointer evaluating interface {}.${f}`);
            if (isStruct(v)) {
                const i = v.names.findIndex((n) => goFieldName(n) === f);
                if (i < 0 || f.charAt(0) !== f.charAt(0).toUpperCase()) {
                    this.fail(a.pos, at, f.charAt(0) === f.charAt(0).toLowerCase() && v.names.includes(f) ? `${f} is an unexported field of struct type` : `can't evaluate field ${f} in type struct`);
                }
                v = v.values[i];
            }
            else if (isMap(v)) {
                const got = v.get(f);
                if (got === undefined)
                    this.fail(a.pos, at, `map has no entry for key "${f}"`);
                v = got;
            }
            else {
                this.fail(a.pos, at, `can't evaluate field ${f} in type ${typeof v === "bigint" ? "int64" : typeof v === "number" ? "float64" : typeof v}`);
            }
        }
        return v;
    }
    call(name, args, pos) {
        const b = BUILTINS[name];
        if (b) {
            if (b.arity !== undefined && args.length !== b.arity)
                this.fail(pos, name, `wrong number of args for ${name}: want ${b.arity} got ${args.length}`);
            try {
                return b.call(args);
            }
            catch (e) {
                if (e instanceof ExecError)
                    this.fail(pos, name, e.message);
                throw e;
            }
        }
        const f = mclFuncs().get(name);
        const impl = f && getImpl(f.name);
        if (!f || !impl || impl.effect === "source")
            this.fail(pos, name, `function "${name}" not defined`);
        if (args.length !== f.params.length)
            this.fail(pos, name, `wrong number of args for ${name}: want ${f.params.length} got ${args.length}`);
        const vals = args.map((x, i) => {
            const want = f.params[i];
            // untyped integer constants convert to float params, as Go does
            if (want === "float" && typeof x === "bigint")
                return Number(x);
            const kind = x === undefined ? "nil" : typeof x === "string" ? "str" : typeof x === "bigint" ? "int" : typeof x === "number" ? "float" : typeof x === "boolean" ? "bool" : Array.isArray(x) ? "list" : isMap(x) ? "map" : isStruct(x) ? "struct" : "func";
            if (kind !== want)
                this.fail(pos, name, `wrong type for value; expected ${want}; got ${kind}`);
            return x;
        });
        const r = impl.call(vals, { ...this.ctx, type: undefined });
        if (isCatchable(r))
            this.fail(pos, name, `error calling ${name}: ${r.message}`);
        return r;
    }
}
