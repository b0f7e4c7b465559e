const PRIMS = {
    bool: { k: "bool" },
    str: { k: "str" },
    int: { k: "int" },
    float: { k: "float" },
    variant: { k: "variant" },
    nil: { k: "nil" },
};
// Parsed types are immutable, so repeated registry look-ups can share one parse.
const cache = new Map();
/**
 * Parse a type string used in registry data: "func(a str, b ?1) []?1", "map{str: int}",
 * "struct{a int; b str}", "?1", "variant". Throws Error on malformed input.
 */
export function parseType(s) {
    const hit = cache.get(s);
    if (hit)
        return hit;
    const p = new TypeParser(s);
    const t = p.type();
    p.skipWs();
    if (p.pos !== s.length)
        p.error("trailing input");
    cache.set(s, t);
    return t;
}
class TypeParser {
    src;
    pos = 0;
    constructor(src) {
        this.src = src;
    }
    error(msg) {
        throw new Error(`bad type string ${JSON.stringify(this.src)} at ${this.pos}: ${msg}`);
    }
    skipWs() {
        while (this.pos < this.src.length && /\s/.test(this.src[this.pos]))
            this.pos++;
    }
    peek() {
        this.skipWs();
        return this.src[this.pos] ?? "";
    }
    eat(tok) {
        this.skipWs();
        if (this.src.startsWith(tok, this.pos)) {
            this.pos += tok.length;
            return true;
        }
        return false;
    }
    expect(tok) {
        if (!this.eat(tok))
            this.error(`expected ${JSON.stringify(tok)}`);
    }
    ident() {
        this.skipWs();
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
        if (!m)
            return undefined;
        this.pos += m[0].length;
        return m[0];
    }
    type() {
        if (this.eat("[]"))
            return { k: "list", elem: this.type() };
        if (this.eat("?")) {
            const m = /^[0-9]+/.exec(this.src.slice(this.pos));
            if (!m)
                this.error("expected var number after ?");
            this.pos += m[0].length;
            return { k: "var", id: Number(m[0]) };
        }
        const start = this.pos;
        const id = this.ident();
        if (id === undefined)
            this.error("expected a type");
        const prim = PRIMS[id];
        if (prim)
            return prim;
        switch (id) {
            case "map": {
                this.expect("{");
                const key = this.type();
                this.expect(":");
                const val = this.type();
                this.expect("}");
                return { k: "map", key, val };
            }
            case "struct": {
                this.expect("{");
                const fields = [];
                while (!this.eat("}")) {
                    const name = this.ident();
                    if (name === undefined)
                        this.error("expected a struct field name");
                    if (fields.some((f) => f.name === name))
                        this.error(`duplicate struct field ${name}`);
                    fields.push({ name, type: this.type() });
                    if (!this.eat(";") && this.peek() !== "}")
                        this.error('expected ";" or "}"');
                }
                return { k: "struct", fields };
            }
            case "func": {
                this.expect("(");
                const params = [];
                if (!this.eat(")")) {
                    for (;;) {
                        params.push(this.param(params.length));
                        if (this.eat(")"))
                            break;
                        this.expect(",");
                    }
                }
                return { k: "func", params, ret: this.type() };
            }
            default:
                this.pos = start;
                return this.error(`unknown type ${JSON.stringify(id)}`);
        }
    }
    /** `name type`, `$name type` or a bare `type`. */
    param(i) {
        this.skipWs();
        const save = this.pos;
        const dollar = this.eat("$");
        // Numeric names (`func(0 int, 1 str) bool`) are what printType emits for unnamed params.
        const num = /^[0-9]+/.exec(this.src.slice(this.pos));
        if (num) {
            this.pos += num[0].length;
            return { name: num[0], type: this.type() };
        }
        const name = this.ident();
        if (name !== undefined) {
            const next = this.peek();
            // A name is followed by a type; a bare type is followed by "," or ")" (or "{"/"(" for map/struct/func).
            if (dollar || (next !== "," && next !== ")" && next !== "{" && next !== "(")) {
                return { name, type: this.type() };
            }
        }
        this.pos = save;
        return { name: String(i), type: this.type() };
    }
}
/** Convert a source type annotation (TypeAst from lang/ast.ts) to a Type; unnamed func params get names "0","1",…; given names are kept (without `$`). */
export function typeFromAst(t) {
    switch (t.kind) {
        case "tprim":
            return PRIMS[t.name];
        case "tlist":
            return { k: "list", elem: typeFromAst(t.elem) };
        case "tmap":
            return { k: "map", key: typeFromAst(t.key), val: typeFromAst(t.val) };
        case "tstruct":
            return { k: "struct", fields: t.fields.map((f) => ({ name: f.name, type: typeFromAst(f.type) })) };
        case "tfunc":
            return {
                k: "func",
                params: t.params.map((p, i) => ({ name: p.name === undefined || p.name === "" ? String(i) : p.name.replace(/^\$/, ""), type: typeFromAst(p.type) })),
                ret: typeFromAst(t.ret),
            };
    }
}
