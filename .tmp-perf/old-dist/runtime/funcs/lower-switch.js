import { CatchableError, funcValue, hashKey, isCatchable, printValue, sortedEntries } from "../../lang/values.js";
import { LowerError } from "./lower-direct.js";
import { Group, Layer } from "./lower-env.js";
/** Commit what the lowerer built, rewire `rewire`, and remove the old groups. */
function commit(lw, ctx, old, rewire) {
    const removed = [];
    for (const o of old)
        o.collect(removed);
    const t = ctx.txn();
    for (const spec of lw.take())
        t.add(spec);
    if (rewire)
        t.setDeps(rewire[0], rewire[1]);
    for (const id of removed)
        t.remove(id);
    t.commit();
    for (const o of old)
        o.detach();
    lw.forget(removed);
}
const noop = () => false;
export function lowerIfStmt(lw, s, sc, L, g) {
    const info = lw.sh.elab.ifOf(s, sc);
    if (!info)
        throw new LowerError("internal: if statement was not type-checked");
    const cond = lw.expr(s.cond, sc, L, g);
    let cur;
    let grp;
    let token = false;
    const node = lw.add({
        deps: [cond],
        span: s.cond.span,
        label: "if-stmt",
        fn: ([c], ctx) => {
            const want = c === true;
            if (want === cur)
                return token;
            const old = grp ? [grp] : [];
            grp = new Group(g);
            const stmts = want ? s.then : s.else;
            const scope = want ? info.then : info.else;
            const out = stmts && scope ? lw.prog(stmts, scope, new Layer(L), grp) : { items: [] };
            commit(lw, ctx, old);
            cur = want;
            token = funcValue(noop, undefined, out);
            return token;
        },
    }, g);
    return { k: "switch", node, span: s.span };
}
export function lowerFor(lw, s, sc, L, g) {
    const info = lw.sh.elab.forOf(s, sc);
    if (!info)
        throw new LowerError("internal: for statement was not type-checked");
    const keyEntry = info.loop.vars.get(s.key);
    const valEntry = info.loop.vars.get(s.val);
    if (!keyEntry || !valEntry)
        throw new LowerError("internal: loop variables missing");
    const coll = lw.expr(s.expr, sc, L, g);
    let shape;
    let groups = [];
    let token = false;
    const node = lw.add({
        deps: [coll],
        span: s.expr.span,
        label: s.kv ? "forkv" : "for",
        fn: ([v], ctx) => {
            const keys = s.kv ? sortedEntries(v).map(([k]) => k) : v.map((_, i) => BigInt(i));
            const next = s.kv ? keys.map(hashKey).join(",") : String(keys.length);
            if (next === shape)
                return token;
            const old = groups;
            groups = [];
            const outs = [];
            keys.forEach((k, i) => {
                const grp = new Group(g);
                groups.push(grp);
                const layer = new Layer(L);
                const kNode = lw.constant(k, grp, s.kv ? "forkv:key" : "for:index");
                const vNode = lw.add({
                    deps: [coll],
                    span: s.expr.span,
                    label: s.kv ? "forkv:value" : "for:value",
                    fn: ([x]) => {
                        const r = s.kv ? x.get(k) : x[i];
                        return r ?? new CatchableError(`internal: loop element ${printValue(k)} vanished`);
                    },
                }, grp);
                layer.bind(keyEntry, kNode);
                layer.bind(valEntry, vNode);
                outs.push(lw.prog(s.body, info.body, layer, grp));
            });
            commit(lw, ctx, old);
            shape = next;
            token = funcValue(noop, undefined, outs);
            return token;
        },
    }, g);
    return { k: "switch", node, span: s.span };
}
export function lowerIfExpr(lw, e, sc, L, g) {
    const cond = lw.expr(e.cond, sc, L, g);
    let cur;
    let grp;
    let out = "";
    const sw = lw.add({
        deps: [cond],
        span: e.cond.span,
        label: "if-expr",
        fn: ([c], ctx) => {
            const want = c === true;
            if (want !== cur) {
                const old = grp ? [grp] : [];
                grp = new Group(g);
                const r = lw.expr(want ? e.then : e.else, sc, new Layer(L), grp);
                commit(lw, ctx, old, [out, [sw, r]]);
                cur = want;
            }
            return want;
        },
    }, g);
    out = lw.add({ deps: [sw], span: e.span, label: "if-expr:out", fn: (args) => args[1] ?? new CatchableError("internal: if expression without a branch") }, g);
    return out;
}
export function lowerExcept(lw, e, sc, L, g) {
    const primary = lw.expr(e.left, sc, L, g);
    let grp;
    let out = "";
    const sw = lw.add({
        deps: [primary],
        span: e.span,
        label: "except",
        catches: true,
        fn: ([a], ctx) => {
            const bad = isCatchable(a);
            if (bad && !grp) {
                grp = new Group(g);
                const r = lw.expr(e.right, sc, new Layer(L), grp);
                commit(lw, ctx, [], [out, [sw, r]]);
            }
            else if (!bad && grp) {
                const old = grp;
                grp = undefined;
                commit(lw, ctx, [old], [out, [sw, primary]]);
            }
            return bad ? "fallback" : "primary";
        },
    }, g);
    out = lw.add({ deps: [sw, primary], span: e.span, label: "except:out", fn: (args) => args[1] }, g);
    return out;
}
