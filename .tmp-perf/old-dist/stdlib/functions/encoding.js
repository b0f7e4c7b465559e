/** Package `encoding` (mcl-language.md §11.2). `decode_json(data, type)` takes the result type as a string literal. */
import { T } from "../../lang/types.js";
import { parseType } from "../../lang/type-parse.js";
import { fn, freshen, funcType } from "./define.js";
function decodeJson(short) {
    return fn("encoding", short, undefined, "P", {
        catchable: true,
        infer: (args, fresh) => {
            if (args.length === 1)
                return funcType([["data", T.str]], fresh());
            if (args.length !== 2)
                return { error: `encoding.${short} expects 1 or 2 args, got ${args.length}` };
            const lit = args[1].value;
            if (typeof lit !== "string")
                return { error: "the type arg must be a static string" };
            try {
                return funcType([["data", T.str], ["type", T.str]], freshen(parseType(lit), fresh));
            }
            catch {
                return { error: `invalid type string: ${JSON.stringify(lit)}` };
            }
        },
    });
}
export const ENCODING = [
    fn("encoding", "base64_encode", "func(data str) str", "P"),
    fn("encoding", "base64_decode", "func(data str) str", "P", { catchable: true }),
    decodeJson("decode_json"),
    decodeJson("decode_json_flexible"),
];
