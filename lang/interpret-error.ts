/**
 * The one way interpret fails: the first `interpret` diagnostic unwinds the whole pass (mgmt's
 * interpret stops at the first error too), and `interpret()` turns it into its result.
 */
import type { Span } from "./ast.js";
import { diag, type Diagnostic, type Note } from "./diagnostics.js";

export class InterpretError {
  constructor(readonly diagnostic: Diagnostic) {}
}

export function fail(code: string, message: string, span: Span | undefined, notes?: readonly Note[]): never {
  throw new InterpretError(diag("interpret", code, message, span, notes));
}
