/**
 * Diagnostics are data: every phase returns them, only the CLI prints them.
 * Phases follow architecture.md "Diagnostics"; codes are stable strings like `E-PARSE-SYNTAX`.
 */
import type { Span } from "./ast.js";

export type Phase = "parse" | "scope" | "type" | "runtime" | "interpret";

export interface Note {
  readonly message: string;
  readonly span?: Span;
}

export interface Diagnostic {
  readonly phase: Phase;
  /** Stable machine code, e.g. `E-PARSE-SYNTAX`, `E-SCOPE-UNKNOWN-VAR`, `E-TYPE-MISMATCH`. */
  readonly code: string;
  /** One line, no position prefix (the renderer adds `file:line:col`). */
  readonly message: string;
  /** Absent only for failures that have no place in a file (e.g. unreadable entry path). */
  readonly span?: Span;
  /** Related places: "expected str because of …", the other half of a duplicate, each link of a cycle. */
  readonly notes?: readonly Note[];
  readonly hint?: string;
}

export function diag(phase: Phase, code: string, message: string, span?: Span, notes?: readonly Note[], hint?: string): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { phase, code, message };
  if (span) d.span = span;
  if (notes && notes.length > 0) d.notes = notes;
  if (hint) d.hint = hint;
  return d;
}

/** The `--json` shape of one diagnostic (architecture.md). */
export interface JsonDiagnostic {
  phase: Phase;
  code: string;
  message: string;
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  notes?: { message: string; file?: string; line?: number; col?: number; endLine?: number; endCol?: number }[];
  hint?: string;
}

export function toJson(d: Diagnostic): JsonDiagnostic {
  const s = d.span;
  const j: JsonDiagnostic = {
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
    j.notes = d.notes.map((n) =>
      n.span
        ? { message: n.message, file: n.span.file, line: n.span.start.line, col: n.span.start.col, endLine: n.span.end.line, endCol: n.span.end.col }
        : { message: n.message },
    );
  }
  if (d.hint) j.hint = d.hint;
  return j;
}

/** `main.mcl:3:5` */
export function formatPos(s: Span): string {
  return `${s.file}:${s.start.line}:${s.start.col}`;
}

/** Sort diagnostics by file, then position; stable for equal positions. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => {
    const fa = a.span?.file ?? "", fb = b.span?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.span?.start.offset ?? 0) - (b.span?.start.offset ?? 0);
  });
}
