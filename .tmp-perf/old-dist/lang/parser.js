/**
 * The mcl grammar (mcl-language.md §2) as a chevrotain CstParser. No semantic actions: the CST is
 * mapped to the AST by lang/to-ast.ts. Binary operators are read as flat `unary (op unary)*` lists
 * and rebuilt with precedence climbing there (§2.1), which keeps the grammar LL(1).
 *
 * One module-level instance (`mclParser`) is built per process; `parser.input = tokens` resets it.
 */
import { CstParser, EOF, defaultParserErrorProvider, tokenMatcher } from "chevrotain";
import * as T from "./lexer.js";
function label(t) {
    if (t === EOF)
        return "end of input";
    return t.LABEL ?? t.name;
}
function actualText(tok) {
    if (tokenMatcher(tok, EOF))
        return "end of input";
    const tt = tok.tokenType;
    if (tt === T.Newline)
        return "newline";
    if (tt === T.StringLit)
        return "string";
    if (tt === T.IntLit || tt === T.FloatLit || tt === T.Identifier || tt === T.CapIdentifier) {
        return `${label(tt)} '${tok.image}'`;
    }
    return label(tt);
}
function joinAlts(xs) {
    const u = [...new Set(xs)];
    if (u.length <= 1)
        return u[0] ?? "something else";
    return `${u.slice(0, -1).join(", ")} or ${u[u.length - 1]}`;
}
const EXPR_RULES = new Set(["expr", "operand", "edgeOrExpr"]);
const CLOSERS = new Set([T.RBrack, T.RCurly, T.RParen]);
/** Messages in the style `syntax error: unexpected ',', expecting ']'`. */
export const mclErrorProvider = {
    buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
        let exp = expected === EOF ? "statement" : label(expected);
        if (expected === T.Comma && (ruleName === "resFieldItem" || ruleName === "resCapItem")) {
            exp = "trailing comma ',' (every resource item ends with a comma)";
        }
        let msg = `syntax error: unexpected ${actualText(actual)}, expecting ${exp}`;
        if (expected === T.Newline && previous.tokenType === T.Comma) {
            msg += " (in a multi-line list every element is followed by ',' and a newline)";
        }
        return msg;
    },
    buildNotAllInputParsedMessage({ firstRedundant }) {
        return `syntax error: unexpected ${actualText(firstRedundant)}, expecting statement`;
    },
    buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
        const first = actual[0];
        const act = first ? actualText(first) : "end of input";
        let exp;
        if (EXPR_RULES.has(ruleName))
            exp = "expression";
        else if (ruleName === "type")
            exp = "type";
        else if (ruleName === "stmt")
            exp = "statement";
        else {
            const labels = [];
            for (const alt of expectedPathsPerAlt)
                for (const path of alt)
                    if (path[0])
                        labels.push(label(path[0]));
            exp = joinAlts(labels);
        }
        let msg = `syntax error: unexpected ${act}, expecting ${exp}`;
        if (first && CLOSERS.has(first.tokenType) && previous.tokenType === T.Comma) {
            msg += " (a trailing comma is only allowed in the multi-line form)";
        }
        return msg;
    },
    buildEarlyExitMessage(options) {
        return defaultParserErrorProvider.buildEarlyExitMessage(options);
    },
};
export class McParser extends CstParser {
    // Cached OR alternatives (chevrotain perf guidance); declared here to keep the hidden class stable.
    primaryAlts;
    stmtAlts;
    constructor() {
        super(T.allTokens, {
            recoveryEnabled: true,
            nodeLocationTracking: "onlyOffset",
            errorMessageProvider: mclErrorProvider,
            skipValidations: process.env["NODE_ENV"] === "production",
        });
        this.performSelfAnalysis();
    }
    // ---- programs -------------------------------------------------------------------------
    /** Top level: `( stmt NL | NL )*`; stray closers are consumed (and reported by to-ast) so later statements still parse. */
    file = this.RULE("file", () => {
        this.MANY(() => {
            this.OR([
                { ALT: () => this.CONSUME(T.Newline) },
                { ALT: () => this.SUBRULE(this.stmt) },
                { ALT: () => this.CONSUME(T.RCurly) },
            ]);
        });
    });
    prog = this.RULE("prog", () => {
        this.MANY(() => {
            this.OR([
                { ALT: () => this.CONSUME(T.Newline) },
                { ALT: () => this.SUBRULE(this.stmt) },
            ]);
        });
    });
    block = this.RULE("block", () => {
        this.CONSUME(T.LCurly);
        this.SUBRULE(this.prog);
        this.CONSUME(T.RCurly);
    });
    stmt = this.RULE("stmt", () => {
        this.OR((this.stmtAlts ??= [
            { ALT: () => this.SUBRULE(this.bindStmt) },
            { ALT: () => this.SUBRULE(this.resource) },
            { ALT: () => this.SUBRULE(this.edgeStmt) },
            { ALT: () => this.SUBRULE(this.ifStmt) },
            { ALT: () => this.SUBRULE(this.forStmt) },
            { ALT: () => this.SUBRULE(this.funcStmt) },
            { ALT: () => this.SUBRULE(this.classStmt) },
            { ALT: () => this.SUBRULE(this.includeStmt) },
            { ALT: () => this.SUBRULE(this.importStmt) },
            { ALT: () => this.SUBRULE(this.panicStmt) },
            { ALT: () => this.SUBRULE(this.collectStmt) },
        ]));
        // The terminating newline belongs to the statement so that error recovery re-syncs per line.
        this.CONSUME(T.Newline);
    });
    // ---- statements -----------------------------------------------------------------------
    /** `$x [type] = expr`; `==` is accepted here and reported as "additional equals in bind statement". */
    bindStmt = this.RULE("bindStmt", () => {
        this.CONSUME(T.Dollar);
        this.CONSUME(T.UndottedIdent);
        this.OPTION(() => this.SUBRULE(this.type));
        this.OR([{ ALT: () => this.CONSUME(T.Equals) }, { ALT: () => this.CONSUME(T.EqEq) }]);
        this.SUBRULE(this.expr);
    });
    resource = this.RULE("resource", () => {
        this.SUBRULE(this.colonName);
        this.SUBRULE(this.expr);
        this.CONSUME(T.LCurly);
        this.MANY(() => {
            this.OR([
                { ALT: () => this.CONSUME(T.Newline) },
                { ALT: () => this.SUBRULE(this.resFieldItem) },
                { ALT: () => this.SUBRULE(this.resCapItem) },
            ]);
        });
        this.CONSUME(T.RCurly);
    });
    /** `field => [cond ?:] value,` */
    resFieldItem = this.RULE("resFieldItem", () => {
        this.CONSUME(T.Identifier);
        this.CONSUME(T.Rocket);
        this.SUBRULE(this.expr);
        this.OPTION(() => {
            this.CONSUME(T.Elvis);
            this.SUBRULE2(this.expr);
        });
        this.CONSUME(T.Comma);
    });
    /** `Meta:prop => …,`, `Meta => …,`, `Before => [cond ?:] Kind[n],` … */
    resCapItem = this.RULE("resCapItem", () => {
        this.CONSUME(T.CapIdentifier);
        this.OR([
            {
                ALT: () => {
                    this.CONSUME(T.Colon);
                    this.CONSUME(T.Identifier);
                    this.CONSUME(T.Rocket);
                    this.SUBRULE(this.expr);
                    this.OPTION(() => {
                        this.CONSUME(T.Elvis);
                        this.SUBRULE2(this.expr);
                    });
                },
            },
            {
                ALT: () => {
                    this.CONSUME2(T.Rocket);
                    this.SUBRULE(this.edgeOrExpr);
                    this.OPTION2(() => {
                        this.CONSUME2(T.Elvis);
                        this.SUBRULE2(this.edgeOrExpr);
                    });
                },
            },
        ]);
        this.CONSUME(T.Comma);
    });
    edgeOrExpr = this.RULE("edgeOrExpr", () => {
        this.OR([{ ALT: () => this.SUBRULE(this.edgeHalf) }, { ALT: () => this.SUBRULE(this.expr) }]);
    });
    edgeStmt = this.RULE("edgeStmt", () => {
        this.SUBRULE(this.edgeHalfField);
        this.MANY(() => {
            this.CONSUME(T.Arrow);
            this.SUBRULE2(this.edgeHalfField);
        });
    });
    edgeHalfField = this.RULE("edgeHalfField", () => {
        this.SUBRULE(this.edgeHalf);
        this.OPTION(() => {
            this.CONSUME(T.Dot);
            this.CONSUME(T.Identifier);
        });
    });
    /** `Kind:Sub[expr]` */
    edgeHalf = this.RULE("edgeHalf", () => {
        this.CONSUME(T.CapIdentifier);
        this.MANY(() => {
            this.CONSUME(T.Colon);
            this.CONSUME2(T.CapIdentifier);
        });
        this.CONSUME(T.LBrack);
        this.SUBRULE(this.expr);
        this.CONSUME(T.RBrack);
    });
    /** `if c { … } [else { … }]` — `else` must follow `}` on the same line (NL is a token). */
    ifStmt = this.RULE("ifStmt", () => {
        this.CONSUME(T.KwIf);
        this.SUBRULE(this.expr);
        this.SUBRULE(this.block);
        this.OPTION(() => {
            this.CONSUME(T.KwElse);
            this.SUBRULE2(this.block);
        });
    });
    forStmt = this.RULE("forStmt", () => {
        this.OR([{ ALT: () => this.CONSUME(T.KwFor) }, { ALT: () => this.CONSUME(T.KwForkv) }]);
        this.CONSUME(T.Dollar);
        this.CONSUME(T.UndottedIdent);
        this.CONSUME(T.Comma);
        this.CONSUME2(T.Dollar);
        this.CONSUME2(T.UndottedIdent);
        this.CONSUME(T.KwIn);
        this.SUBRULE(this.expr);
        this.SUBRULE(this.block);
    });
    funcStmt = this.RULE("funcStmt", () => {
        this.CONSUME(T.KwFunc);
        this.CONSUME(T.Identifier);
        this.SUBRULE(this.params);
        this.OPTION(() => this.SUBRULE(this.type));
        this.SUBRULE(this.exprBlock);
    });
    classStmt = this.RULE("classStmt", () => {
        this.CONSUME(T.KwClass);
        this.SUBRULE(this.colonName);
        this.OPTION(() => this.SUBRULE(this.params));
        this.SUBRULE(this.block);
    });
    includeStmt = this.RULE("includeStmt", () => {
        this.CONSUME(T.KwInclude);
        this.SUBRULE(this.dotted);
        this.OPTION(() => this.SUBRULE(this.callArgs));
        this.OPTION2(() => {
            this.CONSUME(T.KwAs);
            this.CONSUME(T.Identifier);
        });
    });
    importStmt = this.RULE("importStmt", () => {
        this.CONSUME(T.KwImport);
        this.CONSUME(T.StringLit);
        this.OPTION(() => {
            this.CONSUME(T.KwAs);
            this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.Star) }]);
        });
    });
    panicStmt = this.RULE("panicStmt", () => {
        this.CONSUME(T.KwPanic);
        this.SUBRULE(this.callArgs);
    });
    collectStmt = this.RULE("collectStmt", () => {
        this.CONSUME(T.KwCollect);
        this.SUBRULE(this.resource);
    });
    // ---- names ----------------------------------------------------------------------------
    colonName = this.RULE("colonName", () => {
        this.CONSUME(T.Identifier);
        this.MANY(() => {
            this.CONSUME(T.Colon);
            this.CONSUME2(T.Identifier);
        });
    });
    dotted = this.RULE("dotted", () => this.dottedInline());
    /** `a.b.c` inlined into the calling rule (one CST node fewer per variable and call). */
    dottedInline() {
        this.CONSUME5(T.UndottedIdent);
        this.MANY5(() => {
            this.CONSUME5(T.Dot);
            this.CONSUME6(T.UndottedIdent);
        });
    }
    // ---- expressions ----------------------------------------------------------------------
    expr = this.RULE("expr", () => {
        this.SUBRULE(this.operand);
        this.MANY(() => {
            this.CONSUME(T.BinaryOp);
            this.SUBRULE2(this.operand);
        });
    });
    /**
     * `not* primary suffix*` in one CST node (prefix `not` binds looser than the postfix `[…]` and
     * `->f`, tighter than every binary operator, §2.1). Flattened on purpose: one node per operand
     * instead of four keeps the CST small (measurably less GC on large files).
     */
    operand = this.RULE("operand", () => {
        this.MANY(() => this.CONSUME(T.KwNot));
        this.OR((this.primaryAlts ??= [
            { ALT: () => this.CONSUME(T.BoolLit) },
            { ALT: () => this.CONSUME(T.IntLit) },
            { ALT: () => this.CONSUME(T.FloatLit) },
            { ALT: () => this.CONSUME(T.StringLit) },
            { ALT: () => this.SUBRULE(this.list) },
            { ALT: () => this.SUBRULE(this.map) },
            { ALT: () => this.SUBRULE(this.structLit) },
            { ALT: () => this.SUBRULE(this.varExpr) },
            { ALT: () => this.SUBRULE(this.nameCall) },
            { ALT: () => this.SUBRULE(this.lambda) },
            { ALT: () => this.SUBRULE(this.ifExpr) },
            { ALT: () => this.SUBRULE(this.paren) },
        ]));
        this.MANY2(() => this.SUBRULE(this.suffix));
    });
    suffix = this.RULE("suffix", () => {
        this.OR([
            {
                ALT: () => {
                    this.CONSUME(T.LBrack);
                    this.SUBRULE(this.expr);
                    this.CONSUME(T.RBrack);
                },
            },
            {
                ALT: () => {
                    this.CONSUME(T.Arrow);
                    this.CONSUME(T.Identifier);
                },
            },
        ]);
    });
    /**
     * The shared comma rules (§2): `ε | item (',' item)*` on one line, or the multi-line form
     * `NL ( item ',' NL | NL )*` when the opener is immediately followed by a newline.
     */
    sepItems(item) {
        this.OR9([
            {
                ALT: () => {
                    this.CONSUME7(T.Newline);
                    this.MANY7(() => {
                        this.OR8([
                            { ALT: () => this.CONSUME8(T.Newline) },
                            {
                                ALT: () => {
                                    this.SUBRULE7(item);
                                    this.CONSUME7(T.Comma);
                                    this.CONSUME9(T.Newline);
                                },
                            },
                        ]);
                    });
                },
            },
            {
                ALT: () => {
                    this.OPTION7(() => {
                        this.SUBRULE8(item);
                        this.MANY8(() => {
                            this.CONSUME8(T.Comma);
                            this.SUBRULE9(item);
                        });
                    });
                },
            },
        ]);
    }
    list = this.RULE("list", () => {
        this.CONSUME(T.LBrack);
        this.sepItems(this.expr);
        this.CONSUME(T.RBrack);
    });
    map = this.RULE("map", () => {
        this.CONSUME(T.LCurly);
        this.sepItems(this.mapEntry);
        this.CONSUME(T.RCurly);
    });
    mapEntry = this.RULE("mapEntry", () => {
        this.SUBRULE(this.expr);
        this.CONSUME(T.Rocket);
        this.SUBRULE2(this.expr);
    });
    structLit = this.RULE("structLit", () => {
        this.CONSUME(T.KwStruct);
        this.CONSUME(T.LCurly);
        this.sepItems(this.structEntry);
        this.CONSUME(T.RCurly);
    });
    structEntry = this.RULE("structEntry", () => {
        this.CONSUME(T.Identifier);
        this.CONSUME(T.Rocket);
        this.SUBRULE(this.expr);
    });
    callArgs = this.RULE("callArgs", () => {
        this.CONSUME(T.LParen);
        this.sepItems(this.expr);
        this.CONSUME(T.RParen);
    });
    params = this.RULE("params", () => {
        this.CONSUME(T.LParen);
        this.sepItems(this.param);
        this.CONSUME(T.RParen);
    });
    param = this.RULE("param", () => {
        this.CONSUME(T.Dollar);
        this.CONSUME(T.UndottedIdent);
        this.OPTION(() => this.SUBRULE(this.type));
    });
    /** `$name[(args)]` */
    varExpr = this.RULE("varExpr", () => {
        this.CONSUME(T.Dollar);
        this.dottedInline();
        this.OPTION(() => this.SUBRULE(this.callArgs));
    });
    /** `name(args)`, `pkg.name(args)` */
    nameCall = this.RULE("nameCall", () => {
        this.dottedInline();
        this.SUBRULE(this.callArgs);
    });
    /** `func(params) [type] { expr }` with an optional immediate call `(args)`. */
    lambda = this.RULE("lambda", () => {
        this.CONSUME(T.KwFunc);
        this.SUBRULE(this.params);
        this.OPTION(() => this.SUBRULE(this.type));
        this.SUBRULE(this.exprBlock);
        this.OPTION2(() => this.SUBRULE(this.callArgs));
    });
    /** `{ NL* expr NL* }` — function bodies and if-expression branches. */
    exprBlock = this.RULE("exprBlock", () => {
        this.CONSUME(T.LCurly);
        this.MANY(() => this.CONSUME(T.Newline));
        this.SUBRULE(this.expr);
        this.MANY2(() => this.CONSUME2(T.Newline));
        this.CONSUME(T.RCurly);
    });
    ifExpr = this.RULE("ifExpr", () => {
        this.CONSUME(T.KwIf);
        this.SUBRULE(this.expr);
        this.SUBRULE(this.exprBlock);
        this.CONSUME(T.KwElse);
        this.SUBRULE2(this.exprBlock);
    });
    paren = this.RULE("paren", () => {
        this.CONSUME(T.LParen);
        this.SUBRULE(this.expr);
        this.CONSUME(T.RParen);
    });
    // ---- types ----------------------------------------------------------------------------
    type = this.RULE("type", () => {
        this.OR([
            { ALT: () => this.CONSUME(T.KwBool) },
            { ALT: () => this.CONSUME(T.KwStr) },
            { ALT: () => this.CONSUME(T.KwInt) },
            { ALT: () => this.CONSUME(T.KwFloat) },
            { ALT: () => this.CONSUME(T.KwVariant) },
            { ALT: () => this.SUBRULE(this.listType) },
            { ALT: () => this.SUBRULE(this.mapType) },
            { ALT: () => this.SUBRULE(this.structType) },
            { ALT: () => this.SUBRULE(this.funcType) },
        ]);
    });
    listType = this.RULE("listType", () => {
        this.CONSUME(T.LBrack);
        this.CONSUME(T.RBrack);
        this.SUBRULE(this.type);
    });
    mapType = this.RULE("mapType", () => {
        this.CONSUME(T.KwMap);
        this.CONSUME(T.LCurly);
        this.SUBRULE(this.type);
        this.CONSUME(T.Colon);
        this.SUBRULE2(this.type);
        this.CONSUME(T.RCurly);
    });
    structType = this.RULE("structType", () => {
        this.CONSUME(T.KwStruct);
        this.CONSUME(T.LCurly);
        this.OPTION(() => {
            this.SUBRULE(this.structTypeField);
            this.MANY(() => {
                this.CONSUME(T.Semicolon);
                this.SUBRULE2(this.structTypeField);
            });
        });
        this.CONSUME(T.RCurly);
    });
    structTypeField = this.RULE("structTypeField", () => {
        this.CONSUME(T.Identifier);
        this.SUBRULE(this.type);
    });
    funcType = this.RULE("funcType", () => {
        this.CONSUME(T.KwFunc);
        this.CONSUME(T.LParen);
        this.sepItems(this.funcTypeArg);
        this.CONSUME(T.RParen);
        this.SUBRULE(this.type);
    });
    funcTypeArg = this.RULE("funcTypeArg", () => {
        this.OPTION(() => {
            this.CONSUME(T.Dollar);
            this.CONSUME(T.UndottedIdent);
        });
        this.SUBRULE(this.type);
    });
}
/** The process-wide parser instance (construction runs the grammar analysis, ~10 ms). */
export const mclParser = new McParser();
