/** Package `regexp` (mcl-language.md §11.2): Go's `regexp.MatchString` over translated RE2 syntax. */
import { registerImpls } from "../impl.js";
import { argStr, fail } from "./args.js";
import { RegexpSyntaxError, translateRE2 } from "./go-regexp.js";
// patterns are usually literals: keep the compiled form (bounded, oldest evicted first)
const cache = new Map();
export function compileGoRegexp(pattern) {
    let re = cache.get(pattern);
    if (re === undefined) {
        re = translateRE2(pattern);
        if (cache.size >= 256)
            cache.delete(cache.keys().next().value);
        cache.set(pattern, re);
    }
    return re;
}
registerImpls({
    "regexp.match": {
        effect: "pure",
        call: (args) => {
            try {
                return compileGoRegexp(argStr(args, 0)).test(argStr(args, 1));
            }
            catch (e) {
                if (e instanceof RegexpSyntaxError)
                    return fail(`error parsing regexp: ${e.message}`);
                throw e;
            }
        },
    },
});
