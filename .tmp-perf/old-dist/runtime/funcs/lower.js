import { assertNever } from "../../lang/ast.js";
import { orderProg } from "../../lang/order.js";
import { CatchableError, isCatchable, isFunc, MapValue, StructValue } from "../../lang/values.js";
import { getImpl } from "../../stdlib/impl.js";
import { captures, DirectEval, globalValue, implContextFor, LowerError, optionalHasField, unparen } from "./lower-direct.js";
import { Group, Layer } from "./lower-env.js";
import { lowerExcept, lowerFor, lowerIfExpr, lowerIfStmt } from "./lower-switch.js";
export { LowerError };
/** Turns a checked program into node specs. Structural nodes keep using it at run time. */
export class Lowerer {
    program;
    sh;
    direct;
    /** specs added since the last `take()` */
    pending = [];
    consts = new Map();
    next = 0;
    rootLayer = new Layer();
    rootGroup = new Group();
    constructor(program, implCtx) {
        this.program = program;
        this.sh = { elab: program.elab, resolve: program.resolve, implCtx };
        this.direct = new DirectEval(this.sh);
    }
    /** The specs built since the last call. */
    take() {
        const p = this.pending;
        this.pending = [];
        return p;
    }
    add(spec, g) {
        const id = `n${++this.next}`;
        this.pending.push({ ...spec, id });
        g.ids.push(id);
        return id;
    }
    constant(value, g, label) {
        const id = this.add(label === undefined ? { value } : { value, label }, g);
        this.consts.set(id, value);
        return id;
    }
    /** Forget folded-constant knowledge of removed nodes. */
    forget(ids) {
        for (const id of ids)
            this.consts.delete(id);
    }
    // -------------------------------------------------------------------------------------------
    // programs and statements
    /** Lower the whole program: the entry file's statements in the root layer. */
    lowerMain() {
        return this.prog(this.program.main.stmts, this.program.main.scope, this.rootLayer, this.rootGroup);
    }
    /** Register the lazy binds of a prog instance (and of what it imports or includes `as`). */
    register(scope, L, g) {
        if (L.registered.has(scope))
            return;
        L.registered.add(scope);
        for (const entry of scope.vars.values()) {
            if (entry.k !== "bind" || entry.scope !== scope || entry.type === undefined)
                continue;
            L.lazy(entry, () => this.expr(entry.stmt.value, scope, L, g));
        }
        for (const sc of scope.scoped.values()) {
            if (sc.k === "scope")
                this.register(sc.scope, L, g);
            else if (sc.inst)
                this.registerInclude(sc.stmt, sc.site, L, g);
        }
        for (const star of scope.stars)
            this.register(star, L, g);
    }
    registerInclude(s, site, L, g) {
        const info = this.sh.elab.includeOf(s, site);
        if (!info || L.registered.has(info.params))
            return;
        L.registered.add(info.params);
        (info.cls.stmt.params ?? []).forEach((p, i) => {
            const entry = info.params.vars.get(p.name);
            const arg = s.args?.[i];
            if (entry && arg)
                L.lazy(entry, () => this.expr(arg, site, L, g));
        });
        this.register(info.prog, L, g);
    }
    /** Lower the output statements of one prog instance. */
    prog(stmts, scope, L, g) {
        this.register(scope, L, g);
        const items = [];
        for (const s of orderProg(stmts).order) {
            const it = this.stmt(s, scope, L, g);
            if (it)
                items.push(it);
        }
        return { items };
    }
    stmt(s, sc, L, g) {
        switch (s.kind) {
            case "bind":
            case "func":
            case "class":
            case "import":
                return undefined;
            case "res":
                return this.res(s, sc, L, g);
            case "edge":
                return this.edge(s, sc, L, g);
            case "if":
                return lowerIfStmt(this, s, sc, L, g);
            case "for":
                return lowerFor(this, s, sc, L, g);
            case "include": {
                const info = this.sh.elab.includeOf(s, sc);
                if (!info)
                    throw new LowerError(`internal: include of ${s.name} was not type-checked`);
                this.registerInclude(s, sc, L, g);
                return { k: "prog", prog: this.prog(info.cls.stmt.body, info.prog, L, g) };
            }
            case "panic": {
                const info = this.sh.elab.callOf(s, sc);
                if (info?.k !== "builtin")
                    throw new LowerError("internal: panic was not type-checked");
                const args = s.args.map((a) => this.expr(a, sc, L, g));
                this.builtin(info.fn, info.sig, args, s, g);
                return undefined;
            }
            default:
                return assertNever(s);
        }
    }
    res(s, sc, L, g) {
        let name;
        if (s.collect) {
            const info = this.sh.elab.callOf(s, sc);
            if (info?.k !== "builtin")
                throw new LowerError("internal: collect was not type-checked");
            name = this.builtin(info.fn, info.sig, [this.constant(s.kindName, g), this.expr(s.name, sc, L, g)], s.name, g);
        }
        else {
            name = this.expr(s.name, sc, L, g);
        }
        const fields = [];
        const edges = [];
        const metas = [];
        for (const it of s.items) {
            const cond = it.cond ? this.expr(it.cond, sc, L, g) : undefined;
            const c = cond === undefined ? {} : { cond };
            switch (it.kind) {
                case "field":
                    fields.push({ name: it.name, value: this.expr(it.value, sc, L, g), span: it.span, ...c });
                    break;
                case "edge":
                    edges.push({ prop: it.prop, kind: it.target.kindName, name: this.expr(it.target.name, sc, L, g), span: it.span, ...c });
                    break;
                case "meta":
                    metas.push({ prop: it.prop, value: this.expr(it.value, sc, L, g), span: it.span, ...c });
                    break;
                case "metastruct":
                    metas.push({ value: this.expr(it.value, sc, L, g), span: it.span, ...c });
                    break;
                default:
                    assertNever(it);
            }
        }
        return { k: "res", stmt: s, name, fields, edges, metas };
    }
    edge(s, sc, L, g) {
        const halves = s.halves.map((h) => ({
            kind: h.kindName,
            name: this.expr(h.name, sc, L, g),
            span: h.span,
            ...(h.field === undefined ? {} : { field: h.field }),
        }));
        return { k: "edge", stmt: s, halves };
    }
    // -------------------------------------------------------------------------------------------
    // expressions
    /** The node of a variable entry in layer L. */
    varNode(entry, L, g, name) {
        if (entry.k === "global")
            return this.constant(globalValue(entry), g, `$${name}`);
        const id = L.lookup(entry);
        if (id !== undefined)
            return id;
        if (entry.k === "bind") {
            // a bind of a prog this layer chain never registered (e.g. deep inside a module): build it once at the root
            const root = L.root();
            root.lazy(entry, () => this.expr(entry.stmt.value, entry.scope, root, this.rootGroup));
            return root.lookup(entry);
        }
        throw new LowerError(`internal: \`$${name}\` has no node`);
    }
    expr(e, sc, L, g) {
        const span = e.span;
        switch (e.kind) {
            case "bool":
            case "int":
            case "float":
            case "str":
                return this.constant(e.value, g);
            case "interp": {
                const pieces = e.parts.map((p) => (typeof p === "string" ? p : this.expr(p, sc, L, g)));
                const deps = [];
                const parts = pieces.map((p, i) => (typeof e.parts[i] === "string" ? p : (deps.push(p), undefined)));
                if (deps.length === 1 && parts.length === 1)
                    return deps[0];
                return this.pure(deps, span, "interp", (args) => {
                    let k = 0;
                    return parts.map((p) => p ?? args[k++]).join("");
                }, g);
            }
            case "list": {
                const deps = e.items.map((x) => this.expr(x, sc, L, g));
                return this.pure(deps, span, "list", (args) => [...args], g);
            }
            case "map": {
                const deps = [];
                for (const en of e.entries)
                    deps.push(this.expr(en.key, sc, L, g), this.expr(en.value, sc, L, g));
                return this.pure(deps, span, "map", (a) => {
                    const entries = [];
                    for (let i = 0; i < a.length; i += 2)
                        entries.push([a[i], a[i + 1]]);
                    return new MapValue(entries);
                }, g);
            }
            case "struct": {
                const deps = e.fields.map((f) => this.expr(f.value, sc, L, g));
                const names = e.fields.map((f) => f.name);
                return this.pure(deps, span, "struct", (a) => new StructValue(names.map((n, i) => [n, a[i]])), g);
            }
            case "var": {
                const v = this.sh.elab.varOf(e, sc);
                if (!v)
                    throw new LowerError(`internal: \`$${e.name}\` was not resolved`);
                return this.varNode(v, L, g, e.name);
            }
            case "lambda":
                return this.lambda(e, sc, L, g);
            case "call":
                return this.call(e, sc, L, g);
            case "if":
                return lowerIfExpr(this, e, sc, L, g);
            case "except":
                return lowerExcept(this, e, sc, L, g);
            case "binary": {
                const l = this.expr(e.left, sc, L, g);
                const r = this.expr(e.right, sc, L, g);
                return this.op(e, sc, e.op === "in" ? [l, r] : [this.constant(e.op, g), l, r], g);
            }
            case "not":
                return this.op(e, sc, [this.constant("not", g), this.expr(e.operand, sc, L, g)], g);
            case "index":
                return this.op(e, sc, [this.expr(e.target, sc, L, g), this.expr(e.index, sc, L, g)], g);
            case "field": {
                if (e.default && !optionalHasField(this.sh, e, sc))
                    return this.expr(e.default, sc, L, g);
                const t = this.expr(e.target, sc, L, g);
                const info = this.sh.elab.callOf(e, sc);
                if (info?.k !== "builtin")
                    throw new LowerError("internal: field lookup was not type-checked");
                // `a->f <|> d` with the field present is the plain lookup
                const fn = e.default ? { ...info.fn, name: "_struct_lookup" } : info.fn;
                return this.builtin(fn, info.sig, [t, this.constant(e.field, g)], e, g);
            }
            case "paren":
                return this.expr(e.inner, sc, L, g);
            default:
                return assertNever(e);
        }
    }
    op(e, sc, args, g) {
        const info = this.sh.elab.callOf(e, sc);
        if (info?.k !== "builtin")
            throw new LowerError("internal: operator was not type-checked");
        return this.builtin(info.fn, info.sig, args, e, g);
    }
    /** A node computing `f` of its inputs (a catchable input error is forwarded by the evaluator); constant inputs fold. */
    pure(deps, span, label, f, g) {
        const folded = this.fold(deps, f);
        if (folded !== undefined)
            return this.constant(folded, g, label);
        return this.add({ deps, span, label, fn: (args) => f(args) }, g);
    }
    fold(deps, f) {
        const vals = [];
        for (const d of deps) {
            const v = this.consts.get(d);
            if (v === undefined)
                return undefined;
            vals.push(v);
        }
        try {
            const r = f(vals);
            return isCatchable(r) ? undefined : r;
        }
        catch {
            return undefined; // the node reports it at run time, with its span
        }
    }
    /** A builtin call node (§7): pure/impure → fn node, source → stream node. */
    builtin(fn, sig, args, site, g) {
        const span = site.span;
        const label = `call:${fn.name}`;
        const impl = getImpl(fn.name);
        if (!impl) {
            const msg = `function \`${fn.name}\` is not implemented yet`;
            return this.add({ deps: args, span, label, fn: () => { throw new LowerError(msg); } }, g);
        }
        const ctx = implContextFor(this.sh, sig);
        if (impl.effect === "source") {
            return this.add({ deps: args, span, label, stream: (a) => impl.stream(a, ctx) }, g);
        }
        const call = (a) => impl.call(a, ctx);
        if (impl.effect === "pure")
            return this.pure(args, span, label, call, g);
        return this.add({ deps: args, span, label, fn: (a) => call(a) }, g);
    }
    call(e, sc, L, g) {
        const args = e.args.map((a) => this.expr(a, sc, L, g));
        const c = e.callee;
        if (c.kind === "name") {
            const info = this.sh.elab.callOf(e, sc);
            if (!info)
                throw new LowerError(`internal: call of ${c.name} was not type-checked`);
            if (info.k === "builtin")
                return this.builtin(info.fn, info.sig, args, e, g);
            // a `func` statement: this call site's body instance, params bound to the argument nodes
            info.entry.stmt.params.forEach((p, i) => {
                const entry = info.body.vars.get(p.name);
                if (entry)
                    L.bind(entry, args[i]);
            });
            return this.expr(info.entry.stmt.body, info.body, L, g);
        }
        if (c.kind === "lambda")
            return this.instantiate(c, sc, L, args, L, g);
        const v = this.sh.elab.varOf(c, sc);
        if (!v)
            throw new LowerError(`internal: \`$${c.name}\` was not resolved`);
        if (v.k === "bind") {
            const val = unparen(v.stmt.value);
            const defLayer = this.layerOf(v, L);
            if (val.kind === "lambda" && defLayer)
                return this.instantiate(val, v.scope, defLayer, args, L, g);
        }
        const f = this.varNode(v, L, g, c.name);
        const direct = this.direct;
        return this.add({
            deps: [f, ...args],
            span: e.span,
            label: `call:$${c.name}`,
            fn: ([fv, ...a]) => {
                if (!isFunc(fv))
                    throw new LowerError(`\`$${c.name}\` is not a function`);
                try {
                    return direct.callValue(fv, a);
                }
                catch (err) {
                    if (isCatchable(err))
                        return err;
                    throw err;
                }
            },
        }, g);
    }
    /** The layer whose slot holds `entry` (the definition layer of a bind), if any. */
    layerOf(entry, L) {
        for (let l = L; l; l = l.parent) {
            if (l.registered.has(entry.scope))
                return l;
        }
        return undefined;
    }
    /** A call of a lambda known at compile time: its body as a subgraph, in a child of its definition layer. */
    instantiate(lam, sc, defLayer, args, _L, g) {
        const child = this.sh.elab.lambdaOf(lam, sc);
        if (!child)
            throw new LowerError("internal: lambda was not type-checked");
        const layer = new Layer(defLayer);
        lam.params.forEach((p, i) => {
            const entry = child.vars.get(p.name);
            if (entry)
                layer.bind(entry, args[i]);
        });
        return this.expr(lam.body, child, layer, g);
    }
    /** A lambda value: one node over the captured variables, producing a closure (lower-direct.ts). */
    lambda(e, sc, L, g) {
        const caps = captures(this.sh, e, sc);
        const deps = caps.map((v) => this.varNode(v, L, g, v.k === "bind" ? v.stmt.name : v.k === "mono" ? v.name : v.v.name));
        const direct = this.direct;
        return this.add({
            deps,
            span: e.span,
            label: "func",
            fn: (vals) => direct.closure(e, sc, new Map(caps.map((v, i) => [v, vals[i]]))),
        }, g);
    }
}
/** Lower a checked program. Throws LowerError only for internal inconsistencies. */
export function lowerProgram(program, implCtx) {
    const lowerer = new Lowerer(program, implCtx);
    const output = lowerer.lowerMain();
    return { specs: lowerer.take(), output, lowerer };
}
/** A catchable error for internal use in structural nodes. */
export function internalCatchable(msg) {
    return new CatchableError(`internal: ${msg}`);
}
