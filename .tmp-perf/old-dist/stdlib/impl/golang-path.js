/** `golang/path` and `golang/path/filepath` (mcl-language.md §13), Unix semantics. */
import { readdirSync, lstatSync, realpathSync } from "node:fs";
import { argStr, fail } from "./args.js";
import { base, BadPattern, clean, compileMatch, dir, ext, isLocal, rel } from "./go-path.js";
import { pathError, registerGo } from "./golang-common.js";
const s = argStr;
const matchImpl = (a) => {
    try {
        return compileMatch(s(a, 0)).test(s(a, 1));
    }
    catch (e) {
        if (e instanceof BadPattern)
            return fail(e.message);
        throw e;
    }
};
const COMMON = {
    Base: (a) => base(s(a, 0)),
    Clean: (a) => clean(s(a, 0)),
    Dir: (a) => dir(s(a, 0)),
    Ext: (a) => ext(s(a, 0)),
    IsAbs: (a) => s(a, 0).startsWith("/"),
    Match: matchImpl,
};
registerGo("path", COMMON);
const HAS_META = /[*?[\\]/;
/** filepath.Glob: matches per path element; only a malformed pattern is an error. */
function glob(pattern) {
    compileMatch(pattern); // validate the whole pattern first
    if (!HAS_META.test(pattern)) {
        try {
            lstatSync(pattern);
            return [pattern];
        }
        catch {
            return [];
        }
    }
    const d = dir(pattern);
    const file = base(pattern);
    const dirs = HAS_META.test(d) && d !== pattern ? glob(d) : [d];
    const re = compileMatch(file);
    const out = [];
    for (const x of dirs) {
        let names;
        try {
            names = readdirSync(x).sort();
        }
        catch {
            continue;
        }
        for (const name of names)
            if (re.test(name))
                out.push(x === "." && !pattern.startsWith("./") ? name : `${x === "/" ? "" : x}/${name}`);
    }
    return out;
}
function abs(p) {
    return p.startsWith("/") ? clean(p) : clean(`${process.cwd()}/${p}`);
}
registerGo("path/filepath", {
    ...COMMON,
    Abs: (a) => abs(s(a, 0)),
    EvalSymlinks: (a) => {
        const p = s(a, 0);
        try {
            const real = realpathSync(p);
            if (p.startsWith("/"))
                return real;
            const r = rel(process.cwd(), real);
            return "value" in r && !r.value.startsWith("..") ? r.value : real;
        }
        catch (e) {
            return pathError("lstat", p, e);
        }
    },
    FromSlash: (a) => s(a, 0),
    Glob: (a) => {
        try {
            return glob(s(a, 0));
        }
        catch (e) {
            if (e instanceof BadPattern)
                return fail(e.message);
            throw e;
        }
    },
    IsLocal: (a) => isLocal(s(a, 0)),
    Rel: (a) => {
        const r = rel(s(a, 0), s(a, 1));
        return "value" in r ? r.value : fail(r.error);
    },
    ToSlash: (a) => s(a, 0),
    VolumeName: () => "",
});
