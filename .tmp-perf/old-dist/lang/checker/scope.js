export class Scope {
    parent;
    vars = new Map();
    funcs = new Map();
    classes = new Map();
    scoped = new Map();
    /** `import … as *` modules, searched (their own level only) after this level's maps. */
    stars = [];
    /** set on the placeholder scope of an import that failed: names behind it aren't reported again */
    failed = false;
    constructor(parent) {
        this.parent = parent;
    }
    /** A child scope holding only the given vars (lambda/func params, loop vars). */
    child() {
        return new Scope(this);
    }
}
function lookupLevel(s, ns, name, force) {
    const hit = s[ns].get(name);
    if (hit)
        return hit;
    const dot = name.indexOf(".");
    if (dot > 0) {
        const sc = s.scoped.get(name.slice(0, dot));
        if (sc) {
            const inner = force(sc);
            // an alias owns its prefix: a missing name behind it is not searched further out
            return inner ? (lookup(inner, ns, name.slice(dot + 1), force) ?? null) : null;
        }
    }
    for (const star of s.stars) {
        const r = lookupLevel(star, ns, name, force);
        if (r)
            return r;
    }
    return undefined;
}
/** Look a (possibly dotted) name up through the scope chain. */
export function lookup(scope, ns, name, force) {
    for (let s = scope; s; s = s.parent) {
        const r = lookupLevel(s, ns, name, force);
        if (r === null)
            return undefined;
        if (r)
            return r;
    }
    return undefined;
}
/** True when `name` is behind the alias of a failed import (its errors would be cascades). */
export function behindFailedAlias(scope, name) {
    const dot = name.indexOf(".");
    if (dot < 0)
        return false;
    const alias = name.slice(0, dot);
    for (let s = scope; s; s = s.parent) {
        const e = s.scoped.get(alias);
        if (e)
            return e.k === "scope" && e.scope.failed;
    }
    return false;
}
/** Every name visible in a namespace (error path only: "did you mean"). */
export function visibleNames(scope, ns, limit = 5000) {
    const out = [];
    for (let s = scope; s && out.length < limit; s = s.parent) {
        for (const k of s[ns].keys())
            out.push(k);
        for (const [alias, e] of s.scoped) {
            if (e.k === "scope")
                for (const k of e.scope[ns].keys())
                    out.push(`${alias}.${k}`);
        }
    }
    return out;
}
function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max)
        return max + 1;
    let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        let best = i;
        for (let j = 1; j <= b.length; j++) {
            const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            cur.push(v);
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
        prev = cur;
    }
    return prev[b.length];
}
/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closest(name, candidates) {
    const max = Math.max(1, Math.floor(name.length / 3));
    let best;
    let bestD = max + 1;
    for (const c of candidates) {
        if (c === name || c.startsWith("_"))
            continue;
        const d = editDistance(name, c, max);
        if (d < bestD || (d === bestD && best !== undefined && c < best)) {
            best = c;
            bestD = d;
        }
    }
    return best;
}
