import { diag } from "./diagnostics.js";
import { makeGraph, makeVertex, META_DEFAULTS, vertexName } from "./resource-graph.js";
import { isCatchable, isFunc, isStruct, printValue, valueEquals } from "./values.js";
import { getKind } from "../stdlib/registry.js";
import { buildResource } from "./interpret-build.js";
class InterpretError {
    diagnostic;
    constructor(diagnostic) {
        this.diagnostic = diagnostic;
    }
}
function fail(code, message, span, notes) {
    throw new InterpretError(diag("interpret", code, message, span, notes));
}
/** Interpret one table. */
export function interpret(out, table) {
    try {
        return { graph: new Interpreter(table).run(out) };
    }
    catch (e) {
        if (e instanceof InterpretError)
            return { diagnostics: [e.diagnostic] };
        throw e;
    }
}
class Interpreter {
    table;
    resources = [];
    edges = [];
    constructor(table) {
        this.table = table;
    }
    run(out) {
        this.walk(out);
        const { vertices, byName } = this.dedupe();
        const edges = this.link(byName);
        return makeGraph(vertices, edges);
    }
    value(id, span) {
        const r = this.table.result(id);
        if (r === undefined)
            fail("E-INTERPRET-INTERNAL", "internal: a value is missing from the table", span);
        if (isCatchable(r))
            fail("E-INTERPRET-INTERNAL", `internal: unexpected error value: ${r.message}`, r.span ?? span);
        return r;
    }
    names(v) {
        return typeof v === "string" ? [v] : v.map((x) => x);
    }
    // ---- step 1
    walk(p) {
        for (const it of p.items) {
            switch (it.k) {
                case "res":
                    this.res(it);
                    break;
                case "edge":
                    this.edge(it);
                    break;
                case "prog":
                    this.walk(it.prog);
                    break;
                case "switch": {
                    const tok = this.value(it.node, it.span);
                    if (!isFunc(tok))
                        fail("E-INTERPRET-INTERNAL", "internal: a structural node has no structure", it.span);
                    const impl = tok.impl;
                    if (Array.isArray(impl))
                        for (const q of impl)
                            this.walk(q);
                    else
                        this.walk(impl);
                    break;
                }
            }
        }
    }
    cond(id, span) {
        return id === undefined || this.value(id, span) === true;
    }
    res(r) {
        const s = r.stmt;
        const nameVal = this.value(r.name, s.name.span);
        // collect: []struct{name; host; data}; otherwise str or []str
        const targets = s.collect && Array.isArray(nameVal)
            ? nameVal.filter(isStructValue).map((x) => ({ name: String(x.get("name")), base: x }))
            : this.names(nameVal).map((name) => ({ name }));
        const fields = [];
        for (const f of r.fields)
            if (this.cond(f.cond, f.span))
                fields.push([f.name, this.value(f.value, f.span), f.span]);
        const metas = [];
        for (const m of r.metas)
            if (this.cond(m.cond, m.span))
                metas.push([m.prop, this.value(m.value, m.span), m.span]);
        for (const t of targets) {
            const built = buildResource(s.kindName, t.name, fields, metas, s.collect);
            if ("error" in built)
                this.buildFail(built, s.kindName, t.name, s.span);
            this.resources.push({ ...built, span: s.span });
            for (const e of r.edges) {
                if (!this.cond(e.cond, e.span))
                    continue;
                for (const other of this.names(this.value(e.name, e.span))) {
                    const self = { kind: s.kindName, name: t.name };
                    const tgt = { kind: e.kind, name: other };
                    const forward = e.prop === "before" || e.prop === "notify";
                    const notify = e.prop === "notify" || e.prop === "listen";
                    this.edges.push(forward ? { from: self, to: tgt, notify, span: e.span } : { from: tgt, to: self, notify, span: e.span });
                }
            }
        }
    }
    buildFail(e, kind, name, span) {
        if (e.error === "kind")
            fail("E-INTERPRET-KIND", `cannot create resource kind \`${kind}\`: no resource kind \`${kind}\` available`, span);
        fail(e.code, e.plain ? e.message : `${kind}[${name}] did not Validate: ${e.message}`, span);
    }
    edge(e) {
        const halves = e.halves.map((h) => ({ h, names: this.names(this.value(h.name, h.span)) }));
        const sendRecv = halves.length === 2 && halves[0].h.field !== undefined && halves[1].h.field !== undefined;
        for (let i = 0; i + 1 < halves.length; i++) {
            const a = halves[i], b = halves[i + 1];
            for (const an of a.names) {
                for (const bn of b.names) {
                    const rec = { from: { kind: a.h.kind, name: an }, to: { kind: b.h.kind, name: bn }, notify: false, span: e.stmt.span };
                    this.edges.push(sendRecv ? { ...rec, send: a.h.field, recv: b.h.field } : rec);
                }
            }
        }
    }
    // ---- step 2/3
    dedupe() {
        const kept = new Map();
        const hidden = [];
        const exports = new Map();
        for (const r of this.resources) {
            const id = vertexName(r);
            for (const host of r.meta.export) {
                const k = `${id}\0${host}`;
                const prev = exports.get(k);
                if (prev && !sameResource(prev, r)) {
                    fail("E-INTERPRET-DUPLICATE", `inequivalent duplicate export: ${id} to ${host}: ${difference(prev, r)}`, r.span, [{ message: "first exported here", span: prev.span }]);
                }
                if (!prev)
                    exports.set(k, r);
            }
            if (r.meta.hidden) {
                const last = hidden.filter((h) => vertexName(h) === id).at(-1);
                if (!last || !sameResource(last, r))
                    hidden.push(r);
                continue;
            }
            const prev = kept.get(id);
            if (!prev) {
                kept.set(id, r);
                continue;
            }
            if (sameResource(prev, r))
                continue;
            if (getKind(r.kind)?.traits.compatible) {
                const merged = mergeCompatible(prev, r);
                if (typeof merged === "string") {
                    fail("E-INTERPRET-DUPLICATE", `incompatible duplicate resource \`${id}\` found: ${merged}`, r.span, [{ message: "first defined here", span: prev.span }]);
                }
                kept.set(id, merged);
                continue;
            }
            fail("E-INTERPRET-DUPLICATE", `inequivalent duplicate resource \`${id}\` found: ${difference(prev, r)}`, r.span, [{ message: "first defined here", span: prev.span }]);
        }
        const vertices = [];
        const byName = new Map();
        for (const r of [...kept.values(), ...hidden]) {
            const v = makeVertex(r.kind, r.name, r.params, r.meta);
            vertices.push(v);
            const id = vertexName(v);
            const l = byName.get(id);
            if (l)
                l.push(v);
            else
                byName.set(id, [v]);
        }
        return { vertices, byName };
    }
    // ---- step 4–6
    link(byName) {
        const edges = new Map();
        const receivers = new Map();
        for (const r of this.edges) {
            const from = byName.get(vertexName(r.from));
            const to = byName.get(vertexName(r.to));
            for (const [end, found] of [[r.from, from], [r.to, to]]) {
                if (!found)
                    fail("E-INTERPRET-EDGE", `edge cannot find resource kind: ${end.kind} named: \`${end.name}\``, r.span);
            }
            const fromId = vertexName(r.from), toId = vertexName(r.to);
            if (r.send !== undefined) {
                if (from.every((v) => v.hidden))
                    fail("E-INTERPRET-SENDRECV", `cannot send from hidden resource: ${fromId}`, r.span);
                const rk = `${toId}\0${r.recv}`;
                const prevSender = receivers.get(rk);
                if (prevSender !== undefined && prevSender !== `${fromId}.${r.send}`) {
                    fail("E-INTERPRET-SENDRECV", `${toId} has duplicate receive on: \`${r.recv}\` param`, r.span);
                }
                receivers.set(rk, `${fromId}.${r.send}`);
            }
            const k = `${fromId}\0${toId}\0${r.send ?? ""}\0${r.recv ?? ""}`;
            const prev = edges.get(k);
            const e = { from: fromId, to: toId, notify: r.notify || (prev?.e.notify ?? false), ...(r.send === undefined ? {} : { send: r.send, recv: r.recv }) };
            edges.set(k, { e, span: prev?.span ?? r.span });
        }
        checkAcyclic([...edges.values()]);
        return [...edges.values()].map((x) => x.e);
    }
}
function isStructValue(v) {
    return isStruct(v);
}
function sameResource(a, b) {
    return a.kind === b.kind && a.name === b.name && sameParams(a.params, b.params) && sameMeta(a.meta, b.meta);
}
function sameParams(a, b) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && valueEquals(a[k], b[k]));
}
function sameMeta(a, b) {
    return Object.keys(META_DEFAULTS).every((k) => {
        if (k === "retryreset")
            return true; // ResCmp ignores it (engine-reference.md §3)
        const x = a[k], y = b[k];
        return Array.isArray(x) ? JSON.stringify(x) === JSON.stringify(y) : x === y;
    });
}
/** Why two resources of the same kind and name differ (first difference). */
function difference(a, b) {
    const keys = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort();
    for (const k of keys) {
        const x = a.params[k], y = b.params[k];
        if (x === undefined || y === undefined || !valueEquals(x, y)) {
            const show = (v) => (v === undefined ? "unset" : printValue(v));
            return `the param \`${k}\` differs (${show(x)} != ${show(y)})`;
        }
    }
    for (const k of Object.keys(META_DEFAULTS)) {
        if (JSON.stringify(a.meta[k]) !== JSON.stringify(b.meta[k]))
            return `the meta param \`${k}\` differs`;
    }
    return "they differ";
}
/** `pkg` (the only compatible kind): installed + newest → newest; other differences are incompatible. */
function mergeCompatible(a, b) {
    if (!sameMeta(a.meta, b.meta))
        return "the meta params differ";
    const params = { ...a.params };
    const keys = new Set([...Object.keys(a.params), ...Object.keys(b.params)]);
    for (const k of keys) {
        const x = a.params[k], y = b.params[k];
        if (x !== undefined && y !== undefined && valueEquals(x, y))
            continue;
        if (k === "state") {
            const sx = (x ?? "installed"), sy = (y ?? "installed");
            const both = new Set([sx, sy]);
            if (both.size === 1)
                continue;
            if (both.size === 2 && both.has("installed") && both.has("newest")) {
                params[k] = "newest";
                continue;
            }
            return `state \`${sx}\` is not compatible with state \`${sy}\``;
        }
        return `the param \`${k}\` differs`;
    }
    return { ...a, params };
}
function checkAcyclic(edges) {
    const out = new Map();
    for (const { e, span } of edges) {
        const l = out.get(e.from);
        if (l)
            l.push({ to: e.to, span });
        else
            out.set(e.from, [{ to: e.to, span }]);
    }
    const state = new Map();
    for (const start of [...out.keys()].sort()) {
        if (state.has(start))
            continue;
        const stack = [{ n: start, i: 0 }];
        state.set(start, 1);
        while (stack.length > 0) {
            const top = stack[stack.length - 1];
            const next = out.get(top.n)?.[top.i];
            if (!next) {
                state.set(top.n, 2);
                stack.pop();
                continue;
            }
            top.i++;
            const s = state.get(next.to);
            if (s === 1) {
                const from = stack.findIndex((f) => f.n === next.to);
                const cycle = [...stack.slice(from).map((f) => f.n), next.to];
                fail("E-INTERPRET-CYCLE", `resource graph has cycles: ${cycle.join(" -> ")}`, next.span);
            }
            if (s === undefined) {
                state.set(next.to, 1);
                stack.push({ n: next.to, i: 0, via: next.span });
            }
        }
    }
}
