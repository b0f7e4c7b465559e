/**
 * Public entry of the parse phase: text → Prog + diagnostics (lex errors, syntax errors, string
 * escape/interpolation errors, and the Init/Interpolate structure checks). Never throws.
 *
 * @example
 *   const { prog, diagnostics } = parse('$x = "hello"\n', "main.mcl");
 */
import { EOF, tokenMatcher } from "chevrotain";
import { diag, sortDiagnostics } from "./diagnostics.js";
import { initChecks } from "./init-checks.js";
import { LBrack, LCurly, LParen, lex, Newline, RBrack, RCurly, RParen } from "./lexer.js";
import { mclParser } from "./parser.js";
import { AstBuilder, Locator, STRAY_CLOSER_MESSAGE } from "./to-ast.js";
/** Parse one mcl file. All diagnostics have phase "parse" and a span in `file`. */
export function parse(text, file) {
    if (!text.endsWith("\n"))
        text += "\n";
    const loc = new Locator(file, text);
    const diagnostics = [];
    let prog = { file, stmts: [], comments: [] };
    try {
        const lx = lex(text);
        let stopAt = Infinity; // syntax errors after an unterminated string are noise
        for (const e of lx.errors) {
            diagnostics.push(diag("parse", e.code, e.message, loc.span(e.start, e.end)));
            if (e.code === "E-PARSE-UNTERMINATED-STRING")
                stopAt = e.start;
        }
        const comments = lx.comments.map((c) => ({ text: c.image, span: loc.span(c.startOffset, (c.endOffset ?? NaN) + 1) }));
        prog = { file, stmts: [], comments };
        // Parse in chunks of whole top-level statements (≥ CHUNK_TOKENS tokens each): only one chunk's
        // CST is alive at a time, which bounds peak memory on very large files (a whole-file CST of a
        // 100k-line program is a few hundred MB).
        const b = new AstBuilder(loc);
        const stmts = [];
        const chunks = splitTopLevel(lx.tokens, CHUNK_TOKENS);
        for (let i = 0; i < chunks.length; i++) {
            const chunk = chunks[i];
            mclParser.input = chunk;
            const cst = mclParser.file();
            diagnostics.push(...syntaxDiagnostics(mclParser.errors, chunk, loc, stopAt, i === chunks.length - 1));
            for (const st of b.file(cst))
                stmts.push(st);
        }
        diagnostics.push(...b.diagnostics);
        prog = { file, stmts, comments };
        suppressCascades(diagnostics);
        diagnostics.push(...initChecks(prog));
    }
    catch (e) {
        if (e instanceof RangeError && /call stack/i.test(e.message)) {
            diagnostics.push(diag("parse", "E-PARSE-TOO-DEEP", "program is nested too deeply to parse", loc.span(0, 0)));
        }
        else {
            const msg = e instanceof Error ? e.message : String(e);
            diagnostics.push(diag("parse", "E-PARSE-INTERNAL", `internal parser error: ${msg}`, loc.span(0, 0)));
        }
    }
    finally {
        mclParser.input = []; // don't keep the token array alive
    }
    return { prog, diagnostics: sortDiagnostics(diagnostics) };
}
const CHUNK_TOKENS = 4096;
/**
 * Drop likely cascades of recovery, so that each independent mistake is reported once:
 * - a second syntax error on the line of an earlier lex or syntax error (`$X = 1` → "unexpected
 *   'X'", then "unexpected '='");
 * - brace-balance errors (a top-level `}` that closes nothing, "unexpected end of input") after any
 *   earlier lex or syntax error, whose recovery skipped an opening or closing brace.
 */
function suppressCascades(ds) {
    const lines = new Set();
    let seenError = false;
    const drop = new Set();
    for (const d of sortDiagnostics(ds)) {
        const line = d.span?.start.line;
        if (line === undefined)
            continue;
        const syntax = d.code === "E-PARSE-SYNTAX";
        const balance = syntax && (d.message === STRAY_CLOSER_MESSAGE || d.message.startsWith("syntax error: unexpected end of input"));
        if (syntax && (lines.has(line) || (balance && seenError))) {
            drop.add(d);
            continue;
        }
        if (syntax || d.code === "E-PARSE-LEX" || d.code === "E-PARSE-UNTERMINATED-STRING") {
            lines.add(line);
            seenError = true;
        }
    }
    if (drop.size === 0)
        return;
    const kept = ds.filter((d) => !drop.has(d));
    ds.length = 0;
    ds.push(...kept);
}
/**
 * Split tokens after newlines at bracket depth 0 (the end of a top-level statement) into chunks of
 * at least `min` tokens. Strings are single tokens, so counting `{([`/`})]` is exact; unbalanced
 * input just yields larger chunks.
 */
function splitTopLevel(tokens, min) {
    if (tokens.length <= min)
        return [tokens];
    const out = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < tokens.length; i++) {
        const tt = tokens[i].tokenType;
        if (tt === LCurly || tt === LParen || tt === LBrack)
            depth++;
        else if (tt === RCurly || tt === RParen || tt === RBrack)
            depth = depth > 0 ? depth - 1 : 0;
        else if (tt === Newline && depth === 0 && i + 1 - start >= min) {
            out.push(tokens.slice(start, i + 1));
            start = i + 1;
        }
    }
    if (start < tokens.length)
        out.push(tokens.slice(start));
    return out;
}
/** Convert chevrotain recognition errors, pointing EOF errors at the end of the last real token; dedupe by position. */
function syntaxDiagnostics(errors, tokens, loc, stopAt, last) {
    const out = [];
    const seen = new Set();
    for (const e of errors) {
        let span;
        let message = e.message;
        const t = e.token;
        if (tokenMatcher(t, EOF) || !Number.isFinite(t.startOffset)) {
            const lt = lastRealToken(tokens);
            const end = lt ? (lt.endOffset ?? NaN) + 1 : 0;
            span = loc.span(end, end + 1);
            if (!last)
                message = message.replace("end of input", "end of statement");
            else if (!message.includes("end of input"))
                message += " (at end of input)";
        }
        else {
            span = loc.span(t.startOffset, (t.endOffset ?? NaN) + 1);
        }
        if (span.start.offset >= stopAt || (stopAt < Infinity && tokenMatcher(t, EOF)))
            continue;
        if (seen.has(span.start.offset))
            continue;
        seen.add(span.start.offset);
        out.push(diag("parse", "E-PARSE-SYNTAX", message, span));
    }
    return out;
}
function lastRealToken(tokens) {
    for (let i = tokens.length - 1; i >= 0; i--) {
        const t = tokens[i];
        if (t && t.tokenType !== Newline)
            return t;
    }
    return tokens[tokens.length - 1];
}
