import { argBool, argInt, argStr, fail, toNum } from "./args.js";
import { registerGo } from "./golang-common.js";
import { GoNumError, goCanBackquote, goFormatInt, goParseBool, goParseFloat, goParseInt, goQuote, goUnquote, goUnquotePrefix } from "./go-strconv.js";
const s = argStr;
const n = (args, i) => toNum(argInt(args, i));
const orFail = (r) => (r instanceof GoNumError ? fail(r.message) : r);
registerGo("strconv", {
    AppendBool: (a) => s(a, 0) + String(argBool(a, 1)),
    AppendInt: (a) => s(a, 0) + goFormatInt(argInt(a, 1), n(a, 2)),
    AppendQuote: (a) => s(a, 0) + goQuote(s(a, 1)),
    AppendQuoteToASCII: (a) => s(a, 0) + goQuote(s(a, 1), "ascii"),
    AppendQuoteToGraphic: (a) => s(a, 0) + goQuote(s(a, 1), "graphic"),
    Atoi: (a) => orFail(goParseInt(s(a, 0), 10, 64, "Atoi")),
    CanBackquote: (a) => goCanBackquote(s(a, 0)),
    FormatBool: (a) => String(argBool(a, 0)),
    FormatInt: (a) => goFormatInt(argInt(a, 0), n(a, 1)),
    Itoa: (a) => argInt(a, 0).toString(),
    ParseBool: (a) => orFail(goParseBool(s(a, 0))),
    ParseFloat: (a) => {
        const bits = n(a, 1);
        return orFail(goParseFloat(s(a, 0), bits === 32 ? 32 : 64));
    },
    ParseInt: (a) => orFail(goParseInt(s(a, 0), n(a, 1), n(a, 2))),
    Quote: (a) => goQuote(s(a, 0)),
    QuoteToASCII: (a) => goQuote(s(a, 0), "ascii"),
    QuoteToGraphic: (a) => goQuote(s(a, 0), "graphic"),
    QuotedPrefix: (a) => {
        const r = goUnquotePrefix(s(a, 0));
        return r ? s(a, 0).slice(0, r.end) : fail("invalid syntax");
    },
    Unquote: (a) => goUnquote(s(a, 0)) ?? fail("invalid syntax"),
});
