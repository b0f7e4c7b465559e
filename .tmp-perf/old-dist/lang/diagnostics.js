export function diag(phase, code, message, span, notes, hint) {
    const d = { phase, code, message };
    if (span)
        d.span = span;
    if (notes && notes.length > 0)
        d.notes = notes;
    if (hint)
        d.hint = hint;
    return d;
}
export function toJson(d) {
    const s = d.span;
    const j = {
        phase: d.phase,
        code: d.code,
        message: d.message,
        file: s?.file ?? "",
        line: s?.start.line ?? 0,
        col: s?.start.col ?? 0,
        endLine: s?.end.line ?? 0,
        endCol: s?.end.col ?? 0,
    };
    if (d.notes) {
        j.notes = d.notes.map((n) => n.span
            ? { message: n.message, file: n.span.file, line: n.span.start.line, col: n.span.start.col, endLine: n.span.end.line, endCol: n.span.end.col }
            : { message: n.message });
    }
    if (d.hint)
        j.hint = d.hint;
    return j;
}
/** `main.mcl:3:5` */
export function formatPos(s) {
    return `${s.file}:${s.start.line}:${s.start.col}`;
}
/** Sort diagnostics by file, then position; stable for equal positions. */
export function sortDiagnostics(ds) {
    return [...ds].sort((a, b) => {
        const fa = a.span?.file ?? "", fb = b.span?.file ?? "";
        if (fa !== fb)
            return fa < fb ? -1 : 1;
        return (a.span?.start.offset ?? 0) - (b.span?.start.offset ?? 0);
    });
}
