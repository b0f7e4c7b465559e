import { registerImpls } from "../impl.js";
import { packageFuncs } from "../registry.js";
import { fail } from "./args.js";
/** Register `table` (Go name → impl) for the registry functions of `golang/<goPkg>`. */
export function registerGo(goPkg, table) {
    const out = {};
    for (const f of packageFuncs(`golang/${goPkg}`)) {
        const call = f.goName === undefined ? undefined : table[f.goName];
        if (call === undefined)
            continue;
        out[f.name] = f.effect === "pure" ? { effect: "pure", call } : { effect: "impure", call };
    }
    registerImpls(out);
}
/** For wrappers whose Go semantics we don't reproduce (listed in docs and the report). */
export const notImplemented = () => fail("not implemented yet");
const ERRNO = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "is a directory",
    ENOTDIR: "not a directory",
    EINVAL: "invalid argument",
    EEXIST: "file exists",
    ELOOP: "too many levels of symbolic links",
    ENAMETOOLONG: "file name too long",
};
/** A Node fs error as Go's *PathError text: `open /x: no such file or directory`. */
export function pathError(op, path, e) {
    const code = e.code ?? "";
    return fail(`${op} ${path}: ${ERRNO[code] ?? e.message}`);
}
