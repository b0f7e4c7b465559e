/** The shared comma rules of §2 for the fast parser (lang/parser/base.ts `sepItems` in the recovering one). */
import type { TokenType } from "../tokens.js";
import * as T from "../tokens.js";
import type { Items } from "../to-ast.js";
import type { Cursor } from "./cursor.js";

/**
 * `ε | item (',' item)*` on one line, or the multi-line form `NL ( item ',' NL | NL )*` when the
 * opener is immediately followed by a newline. `first` holds the tokens an item can start with.
 */
export function sepItems<R>(c: Cursor, item: (c: Cursor) => R, first: ReadonlySet<TokenType>): Items<R> {
  const items: R[] = [];
  if (c.skip(T.Newline)) {
    for (;;) {
      const tt = c.la();
      if (tt === T.Newline) c.next();
      else if (tt !== undefined && first.has(tt)) {
        items.push(item(c));
        c.take(T.Comma);
        c.take(T.Newline);
      } else break;
    }
    return { items, multiline: true };
  }
  const tt = c.la();
  if (tt !== undefined && first.has(tt)) {
    items.push(item(c));
    while (c.skip(T.Comma)) items.push(item(c));
  }
  return { items, multiline: false };
}
