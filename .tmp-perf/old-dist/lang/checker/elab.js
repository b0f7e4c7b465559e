class ByScope {
    m = new Map();
    set(k, s, v) {
        let inner = this.m.get(k);
        if (!inner)
            this.m.set(k, (inner = new Map()));
        inner.set(s, v);
    }
    get(k, s) {
        return this.m.get(k)?.get(s);
    }
}
export class Elab {
    types = new ByScope();
    vars = new ByScope();
    calls = new ByScope();
    lambdas = new ByScope();
    includes = new ByScope();
    ifs = new ByScope();
    fors = new ByScope();
    setType(e, s, t) {
        this.types.set(e, s, t);
    }
    /** The (unresolved) type of an expression instance. */
    typeOf(e, s) {
        return this.types.get(e, s);
    }
    setVar(e, s, v) {
        this.vars.set(e, s, v);
    }
    /** The entry a `$name` (a var, a callee var or an interpolated part) refers to. */
    varOf(e, s) {
        return this.vars.get(e, s);
    }
    /** Keyed by the call expression, or the binary/not/index/field expression, or a panic/collect statement. */
    setCall(node, s, c) {
        this.calls.set(node, s, c);
    }
    callOf(node, s) {
        return this.calls.get(node, s);
    }
    setLambda(e, s, body) {
        this.lambdas.set(e, s, body);
    }
    /** The scope holding a lambda's params (its body is checked in it). */
    lambdaOf(e, s) {
        return this.lambdas.get(e, s);
    }
    setInclude(st, site, i) {
        this.includes.set(st, site, i);
    }
    includeOf(st, site) {
        return this.includes.get(st, site);
    }
    setIf(st, s, i) {
        this.ifs.set(st, s, i);
    }
    ifOf(st, s) {
        return this.ifs.get(st, s);
    }
    setFor(st, s, i) {
        this.fors.set(st, s, i);
    }
    forOf(st, s) {
        return this.fors.get(st, s);
    }
}
/** Statement kinds that produce output (§3: everything but bind, func, class, import). */
export function isOutputStmt(s) {
    return s.kind !== "bind" && s.kind !== "func" && s.kind !== "class" && s.kind !== "import";
}
