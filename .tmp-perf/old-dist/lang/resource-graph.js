/**
 * The resource graph: what interpret produces from one table (mcl-language.md §9) and what the
 * engine runs. Immutable (immer-frozen). Every vertex has a stable structural identity `key`
 * (`kind[name]` + params + metaparams) so the engine can diff two graphs cheaply.
 */
import { freeze } from "immer";
import { formatFloat, hashKey, isMap, isStruct, printValue, StructValue } from "./values.js";
export const META_DEFAULTS = freeze({
    noop: false,
    retry: 0,
    retryreset: false,
    delay: 0,
    timeout: 0,
    poll: 0,
    limit: Infinity,
    burst: 0,
    reset: false,
    sema: [],
    rewatch: false,
    realize: false,
    dollar: false,
    hidden: false,
    export: [],
    reverse: false,
    autoedge: true,
    autogroup: true,
}, true);
/** `kind[name]` */
export function vertexName(v) {
    return `${v.kind}[${v.name}]`;
}
/** Meta entries that differ from the defaults. */
export function nonDefaultMeta(m) {
    const out = [];
    for (const k of Object.keys(META_DEFAULTS)) {
        const d = META_DEFAULTS[k];
        const v = m[k];
        const same = Array.isArray(d) ? v.length === 0 : d === v;
        if (!same)
            out.push([k, v]);
    }
    return out;
}
function metaKey(m) {
    return nonDefaultMeta(m)
        .map(([k, v]) => `${k}=${JSON.stringify(v, (_k, x) => (x === Infinity ? "+Inf" : x))}`)
        .join(";");
}
/** Build a frozen vertex, computing its identity key. */
export function makeVertex(kind, name, params, meta) {
    const sorted = {};
    for (const k of Object.keys(params).sort())
        sorted[k] = params[k];
    const key = `${kind}[${name}]{${hashKey(new StructValue(Object.entries(sorted)))}}{${metaKey(meta)}}`;
    const v = { kind, name, params: sorted, meta, key };
    if (meta.hidden)
        v.hidden = true;
    if (meta.export.length > 0)
        v.export = meta.export;
    return freeze(v, true);
}
export function makeGraph(vertices, edges) {
    const vs = [...vertices].sort((a, b) => cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.hidden ? "1" : "0", b.hidden ? "1" : "0") || cmp(a.key, b.key));
    const es = [...edges].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.send ?? "", b.send ?? ""));
    return freeze({ vertices: vs, edges: es }, true);
}
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
// ---------------------------------------------------------------------------------------------
// printing
/** A JSON rendering of a value: ints as numbers when safe (else decimal strings), maps as objects when keys are strings, else [key, value] pairs. */
export function valueToJson(v) {
    switch (typeof v) {
        case "boolean":
        case "string":
            return v;
        case "bigint":
            return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
        case "number":
            return Number.isFinite(v) ? v : formatFloat(v);
    }
    if (Array.isArray(v))
        return v.map((x) => valueToJson(x));
    if (isMap(v)) {
        const m = v;
        if (m.keys().every((k) => typeof k === "string"))
            return Object.fromEntries([...m].map(([k, x]) => [k, valueToJson(x)]));
        return [...m].map(([k, x]) => [valueToJson(k), valueToJson(x)]);
    }
    if (isStruct(v)) {
        const s = v;
        return Object.fromEntries([...s.entries()].map(([k, x]) => [k, valueToJson(x)]));
    }
    return printValue(v);
}
/** The `graph --json` document (architecture.md "JSON shapes"). */
export function graphToJson(g) {
    return {
        vertices: g.vertices.map((v) => {
            const o = {
                kind: v.kind,
                name: v.name,
                params: Object.fromEntries(Object.entries(v.params).map(([k, x]) => [k, valueToJson(x)])),
                meta: Object.fromEntries(nonDefaultMeta(v.meta).map(([k, x]) => [k, x === Infinity ? "+Inf" : x])),
            };
            if (v.hidden)
                o["hidden"] = true;
            if (v.export)
                o["export"] = v.export;
            return o;
        }),
        edges: g.edges.map((e) => {
            const o = { from: e.from, to: e.to, notify: e.notify };
            if (e.send !== undefined)
                o["send"] = e.send;
            if (e.recv !== undefined)
                o["recv"] = e.recv;
            return o;
        }),
    };
}
/**
 * The `graph` text form: one `kind[name]` line per vertex with its params (`field=value`, values
 * printed as in §10) and non-default metaparams (`Meta:prop=value`), then one `a -> b` line per
 * edge, `(notify)` where it notifies, `(send: hello -> anotherstr)` for send/recv.
 */
export function graphToText(g) {
    const lines = [];
    for (const v of g.vertices) {
        const parts = [vertexName(v)];
        for (const [k, x] of Object.entries(v.params))
            parts.push(`${k}=${printValue(x)}`);
        for (const [k, x] of nonDefaultMeta(v.meta)) {
            const shown = Array.isArray(x) ? `[${x.map((s) => JSON.stringify(s)).join(", ")}]` : typeof x === "number" ? formatFloat(x) : String(x);
            parts.push(`Meta:${k}=${shown}`);
        }
        lines.push(parts.join(" "));
    }
    for (const e of g.edges) {
        let l = `${e.from} -> ${e.to}`;
        if (e.notify)
            l += " (notify)";
        if (e.send !== undefined)
            l += ` (send: ${e.send} -> ${e.recv ?? ""})`;
        lines.push(l);
    }
    return lines.map((l) => l + "\n").join("");
}
