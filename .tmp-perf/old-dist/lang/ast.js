/**
 * The mcl abstract syntax tree. Every node carries a source span. The parser produces it
 * (lang/parse.ts); string escapes and `${}` interpolation are already resolved by the parser
 * (ExprStr holds the decoded value, ExprInterp the pieces), so later phases never re-lex.
 *
 * Nodes are plain readonly objects discriminated by `kind`. Wrapper nodes that matter for the
 * formatter (ExprParen) are kept; the checker treats them as transparent, except for the
 * `a->f <|> d` rule (§2.1): the parser turns the unparenthesised form into ExprField with a
 * `default`, and leaves `(a->f) <|> d` as ExprExcept.
 */
export function assertNever(x) {
    throw new Error(`unexpected AST node: ${JSON.stringify(x)}`);
}
