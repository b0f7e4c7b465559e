/**
 * Resource, edge and collect statements (mcl-language.md §3.2, §3.3, §3.10): kind schemas, field
 * and meta types, the static str / []str name rule, conditions, send/recv compatibility.
 */
import type { EdgeHalf, Expr, Span, StmtEdge, StmtRes } from "../ast.js";
import { printType, T, type Type } from "../types.js";
import type { Origin } from "../unify.js";
import { getFunc, getKind, META_FIELDS, META_STRUCT } from "../../stdlib/registry.js";
import { callBuiltin } from "./check-call.js";
import { check, infer } from "./check-expr.js";
import type { Ctx } from "./context.js";
import { isStaticStr, originOf, staticValue } from "./origin.js";
import { closest, type Scope } from "./scope.js";

function nameText(cx: Ctx, e: Expr, sc: Scope): string {
  const v = cx.typing ? staticValue(e, sc, cx.force) : undefined;
  return typeof v === "string" ? JSON.stringify(v) : cx.text(e.span);
}

/** §3.2: statically-str names must be str, anything else must be []str. */
function nameRule(cx: Ctx, e: Expr, t: Type, sc: Scope, what: string): void {
  if (!cx.typing) return;
  const isStr = isStaticStr(e, sc, cx.force);
  const reason = isStr ? `the ${what} name, which is statically a str` : `the ${what} name (not statically a str, so it must be a []str)`;
  const hint = isStr ? undefined : `a name that is not statically known to be a str must be a []str: write \`[${cx.text(e.span)}]\` or an interpolated string`;
  cx.unify(isStr ? T.str : T.list(T.str), t, { span: e.span, reason }, originOf(e), e.span, hint);
}

function checkHalf(cx: Ctx, h: EdgeHalf, sc: Scope): void {
  const t = infer(cx, h.name, sc);
  nameRule(cx, h.name, t, sc, "edge");
}

const condReason = (span: Span) => ({ span, reason: "a condition (`?:`), which must be bool" });

/** `the field content of file["/tmp/x"]`, built only when an error prints it (one per resource field). */
class FieldOrigin implements Origin {
  constructor(
    readonly span: Span,
    private readonly cx: Ctx,
    private readonly s: StmtRes,
    private readonly sc: Scope,
    private readonly field: string,
  ) {}
  get reason(): string {
    return `the field ${this.field} of ${this.s.kindName}[${nameText(this.cx, this.s.name, this.sc)}]`;
  }
}

export function checkRes(cx: Ctx, s: StmtRes, sc: Scope): void {
  const nt = infer(cx, s.name, sc);
  if (s.collect) {
    const fn = getFunc("_collect");
    if (fn && cx.typing) {
      const kindArg = { type: T.str, origin: { span: s.kindSpan, reason: "the collected kind" }, span: s.kindSpan, value: s.kindName };
      callBuiltin(cx, fn, "_collect", s.name, s.kindSpan, [kindArg, { type: nt, origin: originOf(s.name), span: s.name.span, value: staticValue(s.name, sc, cx.force) }], { node: s, scope: sc });
    }
  } else {
    nameRule(cx, s.name, nt, sc, "resource");
  }
  const schema = getKind(s.kindName);
  for (const it of s.items) {
    if (it.cond) check(cx, it.cond, sc, T.bool, condReason(it.cond.span));
    switch (it.kind) {
      case "field": {
        const vt = infer(cx, it.value, sc);
        const ft = schema?.fields.get(it.name);
        if (!ft) {
          const hint = schema
            ? (() => {
                const c = closest(it.name, [...schema.fields.keys()]);
                return c ? `did you mean \`${c}\`?` : undefined;
              })()
            : `there is no resource kind \`${s.kindName}\``;
          cx.typeError("E-TYPE-UNKNOWN-FIELD", `field \`${it.name}\` does not exist in \`${s.kindName}\` resource`, it.nameSpan, undefined, hint);
          break;
        }
        cx.unify(cx.u.instantiate(ft), vt, new FieldOrigin(it.nameSpan, cx, s, sc, it.name), originOf(it.value), it.value.span);
        break;
      }
      case "edge":
        checkHalf(cx, it.target, sc);
        break;
      case "meta": {
        const mf = META_FIELDS.find((f) => f.name === it.prop);
        if (!mf) {
          infer(cx, it.value, sc);
          const c = closest(it.prop, META_FIELDS.map((f) => f.name));
          cx.typeError("E-TYPE-META", `unknown meta param \`${it.prop}\``, it.propSpan, undefined, c ? `did you mean \`Meta:${c}\`?` : undefined);
          break;
        }
        check(cx, it.value, sc, mf.type, { span: it.propSpan, reason: `Meta:${it.prop}` });
        break;
      }
      case "metastruct":
        check(cx, it.value, sc, META_STRUCT, { span: it.span, reason: "`Meta =>`, which takes the complete 18-field meta struct" });
        break;
    }
  }
  metaOverlap(cx, s);
}

/**
 * §3.2: overlap between `Meta =>` structs and `Meta:prop` lines, detected after unification. The
 * struct is always the complete 18-field meta struct, so it sets every meta param: any `Meta:prop`
 * next to it, or a second `Meta =>`, sets some param twice.
 */
function metaOverlap(cx: Ctx, s: StmtRes): void {
  if (!cx.typing) return;
  const structs = s.items.filter((it) => it.kind === "metastruct");
  const first = structs[0];
  if (!first) return;
  const loc = (sp: Span): string => `${sp.start.line}:${sp.start.col}`;
  const note = [{ message: "the `Meta =>` struct sets every meta param", span: first.span }];
  for (const it of s.items) {
    if (it.kind === "meta" && META_FIELDS.some((f) => f.name === it.prop)) {
      cx.typeError("E-TYPE-META", `meta param \`${it.prop}\` is set twice: by \`Meta:${it.prop}\` and by the \`Meta =>\` struct at ${loc(first.span)}`, it.span, note, `remove \`Meta:${it.prop}\` or set ${it.prop} in the struct`);
      return;
    }
    if (it.kind === "metastruct" && it !== first) {
      cx.typeError("E-TYPE-META", `every meta param is set twice: by this \`Meta =>\` struct and by the one at ${loc(first.span)}`, it.span, note, "keep one `Meta =>` struct");
      return;
    }
  }
}

/** Go kind names as mgmt prints them in send/recv errors. */
function goKind(t: Type): string {
  switch (t.k) {
    case "str":
      return "string";
    case "float":
      return "float64";
    case "list":
      return "slice";
    case "var":
    case "variant":
      return "interface";
    default:
      return t.k;
  }
}

function sendRecv(cx: Ctx, s: StmtEdge, a: EdgeHalf, b: EdgeHalf, sc: Scope): void {
  const da = `${a.kindName}[${nameText(cx, a.name, sc).replace(/^"|"$/g, "")}].${a.field}`;
  const db = `${b.kindName}[${nameText(cx, b.name, sc).replace(/^"|"$/g, "")}].${b.field}`;
  const sk = getKind(a.kindName);
  if (!sk?.sends) {
    cx.typeError("E-TYPE-SENDRECV", `cannot send from resource of kind: ${a.kindName}`, a.kindSpan);
    return;
  }
  const st = sk.sends.get(a.field!);
  if (!st) {
    cx.typeError("E-TYPE-SENDRECV", `cannot send/recv from ${da} to ${db}: kind \`${a.kindName}\` does not send field \`${a.field}\``, a.fieldSpan ?? a.span);
    return;
  }
  const rk = getKind(b.kindName);
  if (!rk?.recvable) {
    cx.typeError("E-TYPE-SENDRECV", `cannot recv to resource of kind: ${b.kindName}`, b.kindSpan);
    return;
  }
  const rt = rk.fields.get(b.field!);
  if (!rt) {
    cx.typeError("E-TYPE-UNKNOWN-FIELD", `field \`${b.field}\` does not exist in \`${b.kindName}\` resource`, b.fieldSpan ?? b.span);
    return;
  }
  const si = cx.u.instantiate(st);
  const ri = cx.u.instantiate(rt);
  const f = cx.u.unify(ri, si);
  if (f) {
    cx.typeError("E-TYPE-SENDRECV", `cannot send/recv from ${da} to ${db}: field kind mismatch between ${goKind(cx.u.resolve(si))} and ${goKind(cx.u.resolve(ri))}`, s.span, [
      { message: `sends ${printType(cx.u.resolve(si))}`, span: a.fieldSpan ?? a.span },
      { message: `receives ${printType(cx.u.resolve(ri))}`, span: b.fieldSpan ?? b.span },
    ]);
  }
}

export function checkEdge(cx: Ctx, s: StmtEdge, sc: Scope): void {
  for (const h of s.halves) checkHalf(cx, h, sc);
  if (!cx.typing) return;
  if (s.halves.length < 2) {
    cx.typeError("E-TYPE-EDGE", "can't create an edge with only one half", s.span);
    return;
  }
  const [a, b] = s.halves;
  if (s.halves.length === 2 && a && b && (a.field !== undefined || b.field !== undefined)) {
    if (a.field === undefined || b.field === undefined) {
      cx.typeError("E-TYPE-SENDRECV", "a send/recv edge needs a field on both halves", s.span);
      return;
    }
    sendRecv(cx, s, a, b, sc);
  }
}
