/** The type grammar (mcl-language.md §2, types): `bool str int float variant []T map{K: V} struct{…} func(…) T`. */
import type { IOrAlt, IToken } from "chevrotain";
import type { Span, TypeAst, TypeField } from "../ast.js";
import * as T from "../tokens.js";
import { real } from "../to-ast.js";
import { MISSING, type M, ParserBase } from "./base.js";

type FuncTypeArg = { readonly name?: string; readonly type: TypeAst; readonly span: Span };

/** Type rules; the first grammar layer. */
export abstract class TypeRules extends ParserBase {
  // Cached OR alternatives (chevrotain perf guidance); declared here to keep the hidden class stable.
  private typeAlts: IOrAlt<M<TypeAst>>[] | undefined;

  type = this.rule("type", (): M<TypeAst> => {
    return this.OR(
      (this.typeAlts ??= [
        { ALT: () => this.primType(this.CONSUME(T.KwBool)) },
        { ALT: () => this.primType(this.CONSUME(T.KwStr)) },
        { ALT: () => this.primType(this.CONSUME(T.KwInt)) },
        { ALT: () => this.primType(this.CONSUME(T.KwFloat)) },
        { ALT: () => this.primType(this.CONSUME(T.KwVariant)) },
        { ALT: () => this.SUBRULE(this.listType) },
        { ALT: () => this.SUBRULE(this.mapType) },
        { ALT: () => this.SUBRULE(this.structType) },
        { ALT: () => this.SUBRULE(this.funcType) },
      ]),
    );
  });

  private primType(t: IToken): M<TypeAst> {
    if (this.RECORDING_PHASE || !real(t)) return MISSING;
    const name = t.image;
    if (name === "bool" || name === "str" || name === "int" || name === "float" || name === "variant") {
      return { kind: "tprim", name, span: this.b.tspan(t) };
    }
    return MISSING;
  }

  listType = this.rule("listType", (): M<TypeAst> => {
    const start = this.here();
    this.CONSUME(T.LBrack);
    this.CONSUME(T.RBrack);
    const elem = this.SUBRULE(this.type);
    if (this.RECORDING_PHASE || elem === null) return MISSING;
    return { kind: "tlist", elem, span: this.b.span(start, this.prev()) };
  });

  mapType = this.rule("mapType", (): M<TypeAst> => {
    const start = this.here();
    this.CONSUME(T.KwMap);
    this.CONSUME(T.LCurly);
    const key = this.SUBRULE(this.type);
    this.CONSUME(T.Colon);
    const val = this.SUBRULE2(this.type);
    this.CONSUME(T.RCurly);
    if (this.RECORDING_PHASE || key === null || val === null) return MISSING;
    return { kind: "tmap", key, val, span: this.b.span(start, this.prev()) };
  });

  structType = this.rule("structType", (): M<TypeAst> => {
    const start = this.here();
    this.CONSUME(T.KwStruct);
    this.CONSUME(T.LCurly);
    const fields: M<TypeField>[] = [];
    this.OPTION(() => {
      fields.push(this.SUBRULE(this.structTypeField));
      this.MANY(() => {
        this.CONSUME(T.Semicolon);
        fields.push(this.SUBRULE2(this.structTypeField));
      });
    });
    this.CONSUME(T.RCurly);
    if (this.RECORDING_PHASE) return MISSING;
    for (const f of fields) if (f === null) return MISSING;
    return { kind: "tstruct", fields: fields as TypeField[], span: this.b.span(start, this.prev()) };
  });

  structTypeField = this.rule("structTypeField", (): M<TypeField> => {
    const start = this.here();
    const id = this.CONSUME(T.Identifier);
    const type = this.SUBRULE(this.type);
    if (this.RECORDING_PHASE || !real(id) || type === null) return MISSING;
    return { name: id.image, type, span: this.b.span(start, this.prev()) };
  });

  funcType = this.rule("funcType", (): M<TypeAst> => {
    const start = this.here();
    this.CONSUME(T.KwFunc);
    this.CONSUME(T.LParen);
    const it = this.sepItems(this.funcTypeArg);
    this.CONSUME(T.RParen);
    const ret = this.SUBRULE(this.type);
    if (this.RECORDING_PHASE || ret === null) return MISSING;
    const c = this.complete(it);
    return c && { kind: "tfunc", params: c.items, ret, multiline: c.multiline, span: this.b.span(start, this.prev()) };
  });

  funcTypeArg = this.rule("funcTypeArg", (): M<FuncTypeArg> => {
    const start = this.here();
    const id = this.OPTION(() => {
      this.CONSUME(T.Dollar);
      return this.CONSUME(T.UndottedIdent);
    });
    const type = this.SUBRULE(this.type);
    if (this.RECORDING_PHASE || type === null) return MISSING;
    return { ...(id && real(id) ? { name: id.image } : {}), type, span: this.b.span(start, this.prev()) };
  });
}
