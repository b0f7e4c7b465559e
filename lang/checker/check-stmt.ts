/**
 * Progs and statements (mcl-language.md §3, §6.3): registering a prog's definitions in its scope
 * (binds and funcs lazily typed), imports (§3.8), includes (per-include class body instances,
 * §3.7), if/for bodies, panic, and the end-of-check scope walk of unused definitions.
 */
import type { Stmt, StmtImport, StmtInclude } from "../ast.js";
import { assertNever } from "../ast.js";
import { importAlias, resolveImport } from "../modules.js";
import { orderProg } from "../order.js";
import { typeFromAst } from "../type-parse.js";
import { T } from "../types.js";
import { getFunc, isSystemPackage, packageFuncs, packageVars, systemPackages } from "../../stdlib/registry.js";
import { callBuiltin } from "./check-call.js";
import { check, infer } from "./check-expr.js";
import { checkEdge, checkRes } from "./check-resource.js";
import type { Ctx } from "./context.js";
import { originOf, PartsOrigin, staticValue } from "./origin.js";
import { behindFailedAlias, closest, lookup, Scope, visibleNames, type ScopedEntry } from "./scope.js";

export type ProgKind = "file" | "module" | "body";

function describeStmt(s: Stmt): string {
  switch (s.kind) {
    case "res":
      return `res(${s.kindName})`;
    case "edge":
      return "edge";
    case "if":
      return "if";
    case "for":
      return s.kv ? "forkv" : "for";
    case "include":
      return `include(${s.name})`;
    case "panic":
      return "panic";
    default:
      return s.kind;
  }
}

/** Check one prog in `scope` (a fresh scope owned by this prog); returns that scope, now complete. */
export function checkProg(cx: Ctx, stmts: readonly Stmt[], scope: Scope, kind: ProgKind): Scope {
  const ord = orderProg(stmts);
  if (!cx.seenOrders.has(ord)) {
    cx.seenOrders.add(ord);
    cx.scopeDiags.push(...ord.diagnostics);
  }
  for (const s of ord.order) {
    switch (s.kind) {
      case "bind":
        if (!scope.vars.has(s.name)) {
          const e = { k: "bind" as const, stmt: s, scope, busy: false };
          scope.vars.set(s.name, e);
          cx.binds.push(e);
        }
        break;
      case "func":
        if (!scope.funcs.has(s.name)) {
          const e = { k: "func" as const, stmt: s, scope, busy: false, called: false };
          scope.funcs.set(s.name, e);
          cx.funcs.push(e);
        }
        break;
      case "class":
        if (!scope.classes.has(s.name)) scope.classes.set(s.name, { k: "class", stmt: s, scope, busy: false });
        break;
      case "import":
        handleImport(cx, s, scope);
        break;
      case "include":
        if (s.alias === undefined) break;
        if (!scope.scoped.has(s.alias)) scope.scoped.set(s.alias, { k: "include", stmt: s, site: scope, state: "new" });
        else aliasClash(scope, s.alias);
        break;
      default:
        if (kind === "module") {
          cx.scopeError(s, "E-SCOPE-MODULE-STMT", `module contains unused statements: found stmt: ${describeStmt(s)}`, s.span, undefined, "an imported file may only contain import, bind, func and class statements");
        }
    }
  }
  if (kind === "module") return scope;
  // cx.inUnit inlined: a closure per statement instance showed in profiles.
  const saved = cx.unit;
  try {
    for (const s of ord.order) {
      cx.unit = { failed: false };
      checkStmt(cx, s, scope);
    }
  } finally {
    cx.unit = saved;
  }
  return scope;
}

function checkStmt(cx: Ctx, s: Stmt, sc: Scope): void {
  switch (s.kind) {
    case "bind":
    case "func":
    case "class":
    case "import":
      return; // definitions: typed on use
    case "include":
      if (s.alias !== undefined) {
        const e = sc.scoped.get(s.alias);
        if (e?.k === "include" && e.stmt === s) forceScoped(cx, e);
        return;
      }
      include(cx, s, sc);
      return;
    case "res":
      checkRes(cx, s, sc);
      return;
    case "edge":
      checkEdge(cx, s, sc);
      return;
    case "if":
      check(cx, s.cond, sc, T.bool, { span: s.cond.span, reason: "an if condition (which must be bool)" });
      const then = checkProg(cx, s.then, sc.child(), "body");
      const els = s.else ? checkProg(cx, s.else, sc.child(), "body") : undefined;
      if (cx.typing) cx.elab.setIf(s, sc, els ? { then, else: els } : { then });
      return;
    case "for": {
      const t = infer(cx, s.expr, sc);
      const loop = sc.child();
      let kt = T.int;
      let vt = T.nil;
      if (cx.typing) {
        vt = cx.u.fresh();
        if (s.kv) {
          kt = cx.u.fresh();
          cx.unify(T.map(kt, vt), t, { span: s.expr.span, reason: "forkv (which iterates over a map)" }, originOf(s.expr), s.expr.span);
        } else {
          cx.unify(T.list(vt), t, { span: s.expr.span, reason: "for (which iterates over a list)" }, originOf(s.expr), s.expr.span);
        }
      }
      loop.vars.set(s.key, { k: "mono", name: s.key, type: kt, origin: new PartsOrigin(s.keySpan, "the loop key `$", s.key, "`"), span: s.keySpan });
      loop.vars.set(s.val, { k: "mono", name: s.val, type: vt, origin: new PartsOrigin(s.valSpan, "the loop value `$", s.val, "`"), span: s.valSpan });
      const body = checkProg(cx, s.body, loop.child(), "body");
      if (cx.typing) cx.elab.setFor(s, sc, { loop, body });
      return;
    }
    case "panic": {
      const fn = getFunc(s.args.length === 2 ? "panic_debug" : "panic");
      const args = s.args.map((a) => ({ type: infer(cx, a, sc), origin: originOf(a), span: a.span, value: cx.typing ? staticValue(a, sc, cx.force) : undefined }));
      if (fn && cx.typing) callBuiltin(cx, fn, "panic", s.args[0] ?? { kind: "bool", value: false, span: s.span }, s.span, args, { node: s, scope: sc });
      return;
    }
    default:
      assertNever(s);
  }
}

/** Instantiate `include` (§3.7): a fresh copy of the class body per include, in the class's definition scope. */
function include(cx: Ctx, s: StmtInclude, site: Scope): Scope | undefined {
  const cls = lookup(site, "classes", s.name, cx.force);
  const args = s.args ?? [];
  const argTs = args.map((a) => infer(cx, a, site));
  if (!cls) {
    const c = cx.wantHint() ? closest(s.name, visibleNames(site, "classes")) : undefined;
    if (!behindFailedAlias(site, s.name)) cx.scopeError(s, "E-SCOPE-UNKNOWN-CLASS", `class \`${s.name}\` does not exist in this scope`, s.nameSpan, undefined, c ? `did you mean \`${c}\`?` : undefined);
    return undefined;
  }
  const params = cls.stmt.params ?? [];
  if (params.length !== args.length) {
    cx.scopeError(s, "E-SCOPE-ARGS", `class \`${s.name}\` expected ${params.length} args but got ${args.length}`, s.span, [{ message: `class \`${cls.stmt.name}\` is defined here`, span: cls.stmt.nameSpan }]);
    return undefined;
  }
  if (cls.busy) return undefined; // recursion: reported by the ordering pass
  cls.busy = true;
  try {
    const body = cls.scope.child();
    params.forEach((p, i) => {
      const a = args[i]!;
      let t = argTs[i]!;
      if (p.type && cx.typing) {
        t = typeFromAst(p.type);
        cx.unify(t, argTs[i]!, new PartsOrigin(p.span, "the parameter `$", p.name, "` of class `", cls.stmt.name, "`"), originOf(a), a.span);
      }
      body.vars.set(p.name, { k: "mono", name: p.name, type: t, origin: originOf(a), span: p.span });
    });
    const prog = checkProg(cx, cls.stmt.body, body.child(), "body");
    if (cx.typing) cx.elab.setInclude(s, site, { cls, params: body, prog });
    return prog;
  } finally {
    cls.busy = false;
  }
}

/** Resolve an alias to its scope, instantiating `include … as alias` on first use. */
export function forceScoped(cx: Ctx, e: ScopedEntry): Scope | undefined {
  if (e.k === "scope") return e.scope;
  if (e.state === "done") return e.inst;
  if (e.state === "busy") return undefined;
  e.state = "busy";
  const saved = cx.typing;
  cx.typing = true;
  try {
    const inst = cx.inUnit(() => include(cx, e.stmt, e.site));
    if (inst) e.inst = inst;
  } finally {
    cx.typing = saved;
    e.state = "done";
  }
  return e.inst;
}

function systemScope(cx: Ctx, path: string): Scope {
  let sc = cx.systemScopes.get(path);
  if (sc) return sc;
  sc = new Scope(undefined);
  for (const f of packageFuncs(path)) sc.funcs.set(f.short, { k: "builtin", fn: f });
  for (const v of packageVars(path)) {
    const short = v.name.startsWith(`${path}.`) ? v.name.slice(path.length + 1) : v.name;
    sc.vars.set(short, { k: "global", v });
  }
  cx.systemScopes.set(path, sc);
  return sc;
}

function handleImport(cx: Ctx, s: StmtImport, scope: Scope): void {
  const alias = s.alias ?? importAlias(s.path);
  const mod = loadImport(cx, s, scope);
  if (alias === "*") {
    if (mod) scope.stars.push(mod);
  } else if (alias !== undefined && !scope.scoped.has(alias)) {
    scope.scoped.set(alias, { k: "scope", scope: mod ?? failedScope() });
  } else if (alias !== undefined) {
    aliasClash(scope, alias);
  }
}

/** The placeholder scope of an alias whose import failed: names behind it are not reported again. */
function failedScope(): Scope {
  const failed = new Scope(undefined);
  failed.failed = true;
  return failed;
}

/**
 * Two imports / `include … as` of one prog claim the same alias: the ordering pass reports the
 * duplicate (§3.7, §3.8); the alias then resolves to nothing, so `$alias.x` and `alias.f` are not
 * reported again as unknown names (a cascade).
 */
function aliasClash(scope: Scope, alias: string): void {
  scope.scoped.set(alias, { k: "scope", scope: failedScope() });
}

function loadImport(cx: Ctx, s: StmtImport, scope: Scope): Scope | undefined {
  const parent = scope.parent ?? cx.globals;
  const r = resolveImport(s.path, s.span.file, cx.host);
  let mod: Scope;
  if ("error" in r) {
    cx.scopeError(s, "E-SCOPE-IMPORT", r.error, s.pathSpan);
    return undefined;
  }
  if (r.kind === "system") {
    if (!isSystemPackage(r.name)) {
      const c = closest(r.name, systemPackages());
      cx.scopeError(s, "E-SCOPE-IMPORT", `system import of \`${r.name}\` failed: could not find any non-empty scope named: ${r.name}`, s.pathSpan, undefined, c ? `did you mean \`${c}\`?` : undefined);
      return undefined;
    }
    mod = systemScope(cx, r.name);
  } else {
    const i = cx.importStack.findIndex((f) => f.file === r.file);
    if (i >= 0) {
      const notes = cx.importStack.slice(i + 1).map((f) => ({ message: `imports \`${f.file}\``, span: f.span! }));
      notes.push({ message: `imports \`${r.file}\` again`, span: s.pathSpan });
      cx.scopeError(s, "E-SCOPE-IMPORT-CYCLE", `recursive import of \`${s.path}\``, s.pathSpan, notes);
      return undefined;
    }
    const cached = cx.modules.get(r.file)?.get(parent);
    if (cached) mod = cached;
    else {
      const prog = cx.loader.load(r.file);
      if (typeof prog === "string") {
        cx.scopeError(s, "E-SCOPE-IMPORT", `local import of \`${s.path}\` failed: ${prog}`, s.pathSpan);
        return undefined;
      }
      cx.importStack.push({ file: r.file, span: s.pathSpan });
      try {
        mod = checkProg(cx, prog.stmts, new Scope(parent), "module");
      } finally {
        cx.importStack.pop();
      }
      let m = cx.modules.get(r.file);
      if (!m) cx.modules.set(r.file, (m = new Map()));
      m.set(parent, mod);
      if (prog.stmts.length === 0) {
        cx.scopeError(s, "E-SCOPE-IMPORT", `import of \`${s.path}\` failed: could not find any non-empty scope in \`${r.file}\``, s.pathSpan);
      }
    }
  }
  return mod;
}

/** Scope-check definitions never used (§3.1: unused binds are scope- but not type-checked; uncalled funcs likewise). */
export function walkUnused(cx: Ctx): void {
  const saved = cx.typing;
  cx.typing = false;
  try {
    for (let i = 0; i < cx.binds.length || i < cx.funcs.length; i++) {
      const b = cx.binds[i];
      if (b && b.k === "bind" && !b.type && !cx.walked.has(b.stmt.value)) {
        cx.walked.add(b.stmt.value);
        infer(cx, b.stmt.value, b.scope);
      }
      const f = cx.funcs[i];
      if (f && f.k === "func" && !f.called && !cx.walked.has(f.stmt.body)) {
        cx.walked.add(f.stmt.body);
        const child = f.scope.child();
        for (const p of f.stmt.params) child.vars.set(p.name, { k: "mono", name: p.name, type: T.nil, origin: { span: p.span, reason: "" }, span: p.span });
        infer(cx, f.stmt.body, child);
      }
    }
  } finally {
    cx.typing = saved;
  }
}
