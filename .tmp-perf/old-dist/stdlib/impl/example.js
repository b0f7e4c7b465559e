/**
 * Package `example` and `example/nested` (mcl-language.md §11.2): the non-source functions of
 * mgmt's `lang/core/example`. `flipflop` and `vumeter` are sources and live elsewhere.
 */
import { registerImpls } from "../impl.js";
import { argBool, argInt, argStr, fail } from "./args.js";
import { GoNumError, goParseInt } from "./go-strconv.js";
registerImpls({
    "example.answer": { effect: "pure", call: () => 42n },
    "example.int2str": { effect: "pure", call: (args) => argInt(args, 0).toString() },
    // mgmt: a parse failure yields 0, not an error
    "example.str2int": {
        effect: "pure",
        call: (args) => {
            const r = goParseInt(argStr(args, 0), 10, 64);
            return r instanceof GoNumError ? 0n : r;
        },
    },
    "example.plus": { effect: "pure", call: (args) => argStr(args, 0) + argStr(args, 1) },
    "example.errorbool": {
        effect: "impure",
        call: (args) => (argBool(args, 0) ? fail("we errored on request") : "set input to true to generate an error"),
    },
    // mgmt defines these two in embedded mcl; natively they are constants
    "example.nativeanswer": { effect: "pure", call: () => 42n },
    "example.test1": { effect: "pure", call: () => 42n },
    "example/nested.hello": { effect: "pure", call: () => "Hello!" },
});
