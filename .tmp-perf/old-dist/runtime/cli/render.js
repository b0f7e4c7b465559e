const TAB_WIDTH = 4;
// ANSI SGR sequences; kept tiny on purpose (no dependency for five colours).
const SGR = { bold: "1", red: "31", green: "32", yellow: "33", cyan: "36", dim: "2" };
function paint(on, style, s) {
    return on ? `\x1b[${SGR[style]}m${s}\x1b[0m` : s;
}
/** Splits each file once, however many diagnostics point into it. */
class LineCache {
    lookup;
    files = new Map();
    constructor(lookup) {
        this.lookup = lookup;
    }
    line(file, n) {
        let lines = this.files.get(file);
        if (!this.files.has(file)) {
            const text = this.lookup(file);
            lines = text === undefined ? undefined : text.split("\n");
            this.files.set(file, lines);
        }
        const l = lines?.[n - 1];
        return l === undefined ? undefined : l.replace(/\r$/, "");
    }
}
/** Width of `text[0, col-1)` on screen once tabs are expanded. */
function screenWidth(text) {
    let w = 0;
    for (const ch of text)
        w = ch === "\t" ? w + TAB_WIDTH - (w % TAB_WIDTH) : w + 1;
    return w;
}
function expandTabs(text) {
    let out = "";
    for (const ch of text)
        out += ch === "\t" ? " ".repeat(TAB_WIDTH - (screenWidth(out) % TAB_WIDTH)) : ch;
    return out;
}
/**
 * The source line of `span.start` and an underline: `^` at the start, `~` to the end of the span
 * (or of the line, for spans that continue on later lines). Empty when the file or line is gone.
 */
function excerpt(cache, span, color, caretStyle, gutterWidth) {
    const text = cache.line(span.file, span.start.line);
    if (text === undefined)
        return [];
    const chars = Array.from(text);
    const startIdx = Math.min(Math.max(span.start.col - 1, 0), chars.length);
    const endIdx = span.end.line === span.start.line ? Math.min(Math.max(span.end.col - 1, startIdx), chars.length) : chars.length;
    const before = screenWidth(chars.slice(0, startIdx).join(""));
    const width = Math.max(screenWidth(chars.slice(0, endIdx).join("")) - before, 1);
    const num = String(span.start.line);
    const gutter = " ".repeat(Math.max(num.length, gutterWidth));
    const mark = "^" + "~".repeat(width - 1);
    return [
        `${paint(color, "dim", num.padStart(gutter.length) + " |")} ${expandTabs(text)}`,
        `${paint(color, "dim", gutter + " |")} ${" ".repeat(before)}${paint(color, caretStyle, mark)}`,
    ];
}
function location(span) {
    return span ? `${span.file}:${span.start.line}:${span.start.col}: ` : "";
}
function renderNote(cache, n, color, gutterWidth) {
    const head = `${paint(color, "bold", location(n.span))}${paint(color, "cyan", "note:")} ${n.message}`;
    return n.span ? [head, ...excerpt(cache, n.span, color, "cyan", gutterWidth)] : [head];
}
/** Renders one diagnostic as lines (no trailing newline). */
export function renderDiagnostic(d, lookup, opts) {
    const cache = lookup instanceof LineCacheHandle ? lookup.cache : new LineCache(lookup);
    const color = opts.color;
    const out = [];
    // Messages that mirror mgmt's text may already start with "type error: "; don't say it twice.
    const label = `${d.phase} error:`;
    const message = d.message.startsWith(label + " ") ? d.message.slice(label.length + 1) : d.message;
    out.push(`${paint(color, "bold", location(d.span))}${paint(color, "red", label)} ${paint(color, "bold", message)}`);
    // One gutter width for the diagnostic and its notes, so that the `|` columns line up.
    const lines = [d.span, ...(d.notes ?? []).map((n) => n.span)].map((s) => (s ? String(s.start.line).length : 0));
    const gutterWidth = Math.max(4, ...lines);
    if (d.span)
        out.push(...excerpt(cache, d.span, color, "green", gutterWidth));
    for (const n of d.notes ?? [])
        out.push(...renderNote(cache, n, color, gutterWidth));
    if (d.hint)
        out.push(`${paint(color, "yellow", "hint:")} ${d.hint}`);
    return out.join("\n");
}
/** A source cache shared by several `renderDiagnostic` calls (each file is read and split once). */
export class LineCacheHandle {
    cache;
    constructor(lookup) {
        this.cache = new LineCache(lookup);
    }
}
/** Renders a list of diagnostics followed by a one-line summary (`2 errors`). Empty string for none. */
export function renderDiagnostics(ds, lookup, opts) {
    if (ds.length === 0)
        return "";
    const handle = new LineCacheHandle(lookup);
    const blocks = ds.map((d) => renderDiagnostic(d, handle, opts));
    const summary = `${ds.length} error${ds.length === 1 ? "" : "s"}`;
    return blocks.join("\n") + "\n" + paint(opts.color, "bold", summary) + "\n";
}
