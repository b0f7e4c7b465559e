/**
 * The base of the chevrotain grammar (lang/parser.ts wires the layers): the parser state shared by
 * every rule (the file's AstBuilder, the output statements), the recovery convention (a rule whose
 * input was incomplete returns null, lang/to-ast.ts) and the helpers several layers use: the comma
 * lists of §2 (`sepItems`) and dotted names.
 *
 * Layers, each a subclass of the one before: types → expressions → resources → statements.
 * Every rule is a class field; chevrotain records them all when the most derived constructor calls
 * `performSelfAnalysis()`, so a rule may refer to a rule of a later layer only through `this`.
 */
import type { IParserConfig, IToken, TokenType } from "chevrotain";
import type { Stmt } from "../ast.js";
import { chevrotain, EmbeddedActionsParser } from "../chevrotain-lazy.js";
import * as T from "../tokens.js";
import { AstBuilder, type Items, Locator } from "../to-ast.js";

/** Value of a rule whose input was incomplete (see lang/to-ast.ts). */
export const MISSING = null;
const missing = (): null => MISSING;

export type M<T> = T | null;

let categoriesFilled = false;

/**
 * The token types, ready for chevrotain's parser. The parser chooses its token matcher (with or
 * without categories) from the token types' `categoryMatches` *before* it fills them in
 * (recognizer_engine.js `initRecognizerEngine`), which works for token types made by `createToken`
 * only; ours are plain data (lang/tokens.ts). Making one token type in both categories has
 * `createToken` fill in the categories' fields; that token type is never lexed nor parsed.
 */
function vocabulary(): TokenType[] {
  if (!categoriesFilled) {
    const { createToken, Lexer } = chevrotain();
    createToken({ name: "CategoriesProbe", pattern: Lexer.NA, categories: [T.UndottedIdent, T.BinaryOp] });
    categoriesFilled = true;
  }
  return T.allTokens;
}

/** Parser state and helpers shared by every grammar layer. */
export abstract class ParserBase extends EmbeddedActionsParser {
  /** The current file's AST builder (spans, diagnostics). */
  b: AstBuilder = new AstBuilder(new Locator("", ""));
  /** Top-level statements of the current chunk go here (kept even if the chunk ends in a recovery). */
  out: Stmt[] = [];

  constructor(config: IParserConfig) {
    super(vocabulary(), config);
  }

  /** `this.RULE` whose recovery value is null (MISSING). */
  protected rule<F extends (...args: any[]) => any>(name: string, impl: F) {
    return this.RULE(name, impl, { recoveryValueFunc: missing as () => ReturnType<F> });
  }

  /** Offset of the next token: the start of the rule being entered. */
  protected here(): number {
    return this.LA(1).startOffset;
  }
  /** The last consumed token: the end of the rule being finished. */
  protected prev(): IToken {
    return this.LA(0);
  }

  /** Number of dots consumed by the last `dottedInline`. */
  protected dots = 0;

  /** `a.b.c` inlined into the calling rule; returns the identifier tokens (dots counted in `this.dots`). */
  protected dottedInline(): IToken[] {
    const ids = [this.CONSUME5(T.UndottedIdent)];
    let dots = 0;
    this.MANY5(() => {
      this.CONSUME5(T.Dot);
      dots++;
      ids.push(this.CONSUME6(T.UndottedIdent));
    });
    this.dots = dots;
    return ids;
  }

  /**
   * The shared comma rules (§2): `ε | item (',' item)*` on one line, or the multi-line form
   * `NL ( item ',' NL | NL )*` when the opener is immediately followed by a newline.
   */
  protected sepItems<R>(item: (...args: any[]) => R): Items<R> {
    const items: R[] = [];
    const multiline = this.OR9([
      {
        ALT: () => {
          this.CONSUME7(T.Newline);
          this.MANY7(() => {
            this.OR8([
              { ALT: () => this.CONSUME8(T.Newline) },
              {
                ALT: () => {
                  items.push(this.SUBRULE7(item as any) as R);
                  this.CONSUME7(T.Comma);
                  this.CONSUME9(T.Newline);
                },
              },
            ]);
          });
          return true;
        },
      },
      {
        ALT: () => {
          this.OPTION7(() => {
            items.push(this.SUBRULE8(item as any) as R);
            this.MANY8(() => {
              this.CONSUME8(T.Comma);
              items.push(this.SUBRULE9(item as any) as R);
            });
          });
          return false;
        },
      },
    ]);
    return { items, multiline };
  }

  /** Items of a comma list, or null when one of them is incomplete. */
  protected complete<R>(it: Items<M<R>>): M<Items<R>> {
    for (const x of it.items) if (x === null) return MISSING;
    return it as Items<R>;
  }
}
