import { typeFromAst, parseType } from "../type-parse.js";
import { T } from "../types.js";
import { infer } from "./check-expr.js";
import { originOf } from "./origin.js";
const sigCache = new Map();
function sigType(sig) {
    let t = sigCache.get(sig);
    if (!t)
        sigCache.set(sig, (t = parseType(sig)));
    return t;
}
function argInfo(cx, a) {
    const r = cx.u.resolve(a.type);
    const info = {};
    if (r.k !== "var")
        info.type = r;
    if (a.value !== undefined)
        info.value = a.value;
    return info;
}
function plural(n) {
    return n === 1 ? "arg" : "args";
}
/** Unify each param with its arg (blaming the arg), then return the result type. */
function bindParams(cx, params, args, what, calleeSpan) {
    const n = Math.min(params.length, args.length);
    for (let i = 0; i < n; i++) {
        const p = params[i];
        const a = args[i];
        const pname = p.name === "" || /^\d+$/.test(p.name) ? `#${i}` : `\`${p.name}\``;
        cx.unify(p.type, a.type, { span: calleeSpan, reason: `parameter ${pname} of ${what}` }, a.origin, a.span);
    }
}
/** A builtin call (site `e` is the call expression, or the operator/lookup expression it desugars from). */
export function callBuiltin(cx, fn, shown, e, calleeSpan, args, site) {
    const infos = args.map((a) => argInfo(cx, a));
    let sig;
    if (fn.infer) {
        const r = fn.infer(infos, () => cx.u.fresh());
        if ("error" in r) {
            cx.typeError("E-TYPE-INFER", `func \`${shown}\` infer error: ${r.error}`, e.span);
            return cx.u.fresh();
        }
        sig = r;
    }
    else if (fn.sig !== undefined) {
        sig = cx.u.instantiate(sigType(fn.sig));
    }
    else {
        return cx.u.fresh();
    }
    if (sig.k !== "func")
        return cx.u.fresh();
    if (site && cx.typing)
        cx.elab.setCall(site.node, site.scope, { k: "builtin", fn, sig });
    const np = sig.params.length;
    if (args.length > np) {
        cx.typeError("E-TYPE-ARGS", `error getting arg name #${np} for func \`${shown}\`: index ${np} exceeds arg length of ${np}`, args[np].span);
    }
    else if (args.length < np) {
        cx.typeError("E-TYPE-ARGS", `func arg count differs: \`${shown}\` takes ${np} ${plural(np)}, got ${args.length}`, e.span);
    }
    bindParams(cx, sig.params, args, `\`${shown}\``, calleeSpan);
    cx.defer(fn, sig, infos, e.span, e);
    return sig.ret;
}
/** Call of a function value (a var holding a lambda, an inline lambda): monomorphic. */
export function callValue(cx, t, calleeOrigin, e, args) {
    const r = cx.u.resolve(t);
    const what = calleeOrigin.reason;
    if (r.k === "func") {
        if (r.params.length !== args.length) {
            cx.typeError("E-TYPE-ARGS", `func arg count differs: ${what} takes ${r.params.length} ${plural(r.params.length)}, got ${args.length}`, e.span);
        }
        bindParams(cx, r.params, args, what, e.callee.span);
        return r.ret;
    }
    const ret = cx.u.fresh();
    const shape = T.func(args.map((a, i) => ({ name: String(i), type: a.type })), ret);
    cx.unify(t, shape, calleeOrigin, { span: e.span, reason: "this call" }, e.callee.span);
    return ret;
}
/** A `func` statement call: a fresh copy of the body per call site (§3.6). */
export function callUserFunc(cx, f, e, args, site) {
    f.called = true;
    const s = f.stmt;
    if (f.busy)
        return cx.u.fresh(); // recursion: reported by the ordering pass
    if (s.params.length !== args.length) {
        cx.typeError("E-TYPE-ARGS", `func arg count differs: \`${s.name}\` takes ${s.params.length} ${plural(s.params.length)}, got ${args.length}`, e.span, [
            { message: `\`${s.name}\` is defined here`, span: s.nameSpan },
        ]);
    }
    cx.walked.add(s.body);
    f.busy = true;
    try {
        const child = f.scope.child();
        if (site && cx.typing)
            cx.elab.setCall(site.node, site.scope, { k: "user", entry: f, body: child });
        s.params.forEach((p, i) => {
            const t = p.type ? typeFromAst(p.type) : cx.u.fresh();
            const a = args[i];
            if (a)
                cx.unify(t, a.type, { span: p.span, reason: `the parameter \`$${p.name}\` of func \`${s.name}\`` }, a.origin, a.span);
            child.vars.set(p.name, { k: "mono", name: p.name, type: t, origin: { span: p.span, reason: `the parameter \`$${p.name}\`` }, span: p.span });
        });
        const bodyT = infer(cx, s.body, child);
        if (s.ret) {
            const rt = typeFromAst(s.ret);
            cx.unify(rt, bodyT, { span: s.ret.span, reason: `the return type of func \`${s.name}\`` }, originOf(s.body), s.body.span);
            return rt;
        }
        return bodyT;
    }
    finally {
        f.busy = false;
    }
}
