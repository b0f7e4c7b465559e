/**
 * The front end's entry point: entry resolution → parse every reachable file (all parse errors
 * are reported, and stop the pipeline) → scope (imports, ordering, names; errors stop typing) →
 * types (unification, builtin checks, ambiguity). mcl-language.md §0 stages 1–6.
 */
import type { Prog, Stmt } from "./ast.js";
import { sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { memoryHost, type CompilerHost } from "./host.js";
import { FileLoader, resolveEntry, resolveImport } from "./modules.js";
import type { Type } from "./types.js";
import { T } from "./types.js";
import { globalVars, packageFuncs } from "../stdlib/registry.js";
import { checkProg, forceScoped, walkUnused } from "./checker/check-stmt.js";
import { Ctx, type ExprRecord } from "./checker/context.js";
import { Scope } from "./checker/scope.js";
import type { Elab } from "./checker/elab.js";

export interface CompileOptions {
  readonly hostname?: string;
}

export interface CompiledProgram {
  /** entry .mcl file path */
  readonly entry: string;
  /** module directory (for deploy/files) */
  readonly root: string;
  /** every parsed file, by path */
  readonly files: ReadonlyMap<string, Prog>;
  /** resolved types of the entry file's top-level binds that were type-checked (unused binds are not, per §3.1) */
  readonly bindTypes: ReadonlyMap<string, Type>;
}

export interface CompileResult {
  readonly program?: CompiledProgram;
  readonly diagnostics: readonly Diagnostic[];
  /** Wall time per phase in ms, for `check --verbose` and bench/run.mjs (absent if resolution failed). */
  readonly timings?: CompileTimings;
}

/**
 * Per-phase wall times (ms). `parse` is lex + parse + init checks of every reachable file; scope
 * resolution and type inference are interleaved in the checker, so `check` is both (imports,
 * ordering, names, unification); `finish` is the post-pass (builtin checks on solved types,
 * ambiguity). A phase that did not run is absent.
 */
export interface CompileTimings {
  parse?: number;
  check?: number;
  finish?: number;
}

/** Internal result with the per-expression-instance types (for lowering, issue 3). */
export interface CheckedProgram extends CompiledProgram {
  readonly exprTypes: readonly ExprRecord[];
  readonly resolve: (t: Type) => Type;
  /** The elaborated program: bindings and instances of every checked node (lang/checker/elab.ts). */
  readonly elab: Elab;
  /** The entry file's statements and the scope they were checked in. */
  readonly main: { readonly stmts: readonly Stmt[]; readonly scope: Scope };
}

function eachImport(stmts: readonly Stmt[], f: (path: string, file: string) => void): void {
  for (const s of stmts) {
    switch (s.kind) {
      case "import":
        f(s.path, s.span.file);
        break;
      case "if":
        eachImport(s.then, f);
        if (s.else) eachImport(s.else, f);
        break;
      case "for":
        eachImport(s.body, f);
        break;
      case "class":
        eachImport(s.body, f);
        break;
      default:
        break;
    }
  }
}

/** Parse the entry and every file reachable through imports (resolution errors are reported later, by scope). */
function preload(loader: FileLoader, entry: string, host: CompilerHost): Prog | undefined {
  const first = loader.load(entry);
  if (typeof first === "string") return undefined;
  const queue: Prog[] = [first];
  while (queue.length > 0) {
    const p = queue.pop()!;
    eachImport(p.stmts, (path, file) => {
      const r = resolveImport(path, file, host);
      if (!("kind" in r) || r.kind !== "file" || loader.files.has(r.file)) return;
      const q = loader.load(r.file);
      if (typeof q !== "string") queue.push(q);
    });
  }
  return first;
}

function globalScope(hostname: string): Scope {
  const g = new Scope(undefined);
  for (const v of globalVars()) g.vars.set(v.name, { k: "global", v: v.name === "hostname" ? { ...v, value: hostname } : v });
  if (!g.vars.has("hostname")) g.vars.set("hostname", { k: "global", v: { name: "hostname", pkg: "", type: T.str, value: hostname } });
  for (const f of packageFuncs("")) g.funcs.set(f.name, { k: "builtin", fn: f });
  return g;
}

type CheckedResult = { program?: CheckedProgram; diagnostics: readonly Diagnostic[]; timings?: CompileTimings };

/** Compile with access to the typed expression instances (used by lowering). */
export function compileChecked(path: string, host: CompilerHost, opts: CompileOptions = {}): CheckedResult {
  return compileWith(path, host, opts, true);
}

/** `elab`: keep the elaborated program (lowering reads it; `compile()` drops it). */
function compileWith(path: string, host: CompilerHost, opts: CompileOptions, elab: boolean): CheckedResult {
  const timings: CompileTimings = {};
  try {
    const ent = resolveEntry(path, host);
    if ("phase" in ent) return { diagnostics: [ent] };
    const loader = new FileLoader(host);
    let t0 = performance.now();
    const prog = preload(loader, ent.entry, host);
    timings.parse = performance.now() - t0;
    if (!prog) return { diagnostics: [{ phase: "parse", code: "E-INPUT-NOT-FOUND", message: `could not read \`${ent.entry}\`` }] };
    if (loader.diagnostics.length > 0) return { diagnostics: sortDiagnostics(loader.diagnostics), timings };

    const cx = new Ctx(host, loader, { ...opts, elab });
    cx.force = (e) => forceScoped(cx, e);
    cx.globals = globalScope(opts.hostname ?? "");
    cx.importStack.push({ file: ent.entry });
    t0 = performance.now();
    const top = checkProg(cx, prog.stmts, cx.globals.child(), "file");
    walkUnused(cx);
    timings.check = performance.now() - t0;
    if (cx.scopeDiags.length > 0) return { diagnostics: sortDiagnostics(cx.scopeDiags), timings };
    t0 = performance.now();
    cx.finish();
    timings.finish = performance.now() - t0;
    if (cx.typeDiags.length > 0) return { diagnostics: cx.typeDiags, timings };

    const bindTypes = new Map<string, Type>();
    for (const [name, v] of top.vars) if (v.k === "bind" && v.type) bindTypes.set(name, cx.u.resolve(v.type));
    const program: CheckedProgram = {
      entry: ent.entry,
      root: ent.root,
      files: loader.files,
      bindTypes,
      exprTypes: cx.records,
      resolve: (t) => cx.u.resolve(t),
      elab: cx.elab,
      main: { stmts: prog.stmts, scope: top },
    };
    return { program, diagnostics: [], timings };
  } catch (e) {
    // never throw: an internal error becomes a diagnostic
    const err = e as Error;
    return { diagnostics: [{ phase: "type", code: "E-INTERNAL", message: `internal compiler error: ${err.message}`, hint: err.stack?.split("\n").slice(1, 4).join(" | ") }] };
  }
}

/** path: a .mcl file or a directory (metadata.yaml `main:` else main.mcl). Never throws. program is set iff there are no diagnostics. */
export function compile(path: string, host: CompilerHost, opts: CompileOptions = {}): CompileResult {
  const r = compileWith(path, host, opts, false);
  const timings = r.timings === undefined ? {} : { timings: r.timings };
  if (!r.program) return { diagnostics: r.diagnostics, ...timings };
  const { entry, root, files, bindTypes } = r.program;
  return { program: { entry, root, files, bindTypes }, diagnostics: [], ...timings };
}

/** Convenience for tests and fuzzing: one in-memory file named `file` (default "main.mcl"). */
export function compileSource(text: string, opts: CompileOptions & { file?: string } = {}): CompileResult {
  const file = opts.file ?? "main.mcl";
  return compile(file, memoryHost({ [file]: text }), opts);
}
