/**
 * Go's html.UnescapeString: numeric entities (decimal and hex, with Go's replacement rules) and
 * named entities. Only the common named entities are known (Go knows all 2,231 of HTML5);
 * unknown names are left as they are, as Go does for names it doesn't know.
 */
const NAMED = {
    amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", copy: "\u00a9", reg: "\u00ae", trade: "\u2122",
    hellip: "\u2026", mdash: "\u2014", ndash: "\u2013", lsquo: "\u2018", rsquo: "\u2019", ldquo: "\u201c", rdquo: "\u201d",
    laquo: "\u00ab", raquo: "\u00bb", middot: "\u00b7", bull: "\u2022", deg: "\u00b0", plusmn: "\u00b1", times: "\u00d7",
    divide: "\u00f7", euro: "\u20ac", pound: "\u00a3", yen: "\u00a5", cent: "\u00a2", sect: "\u00a7", para: "\u00b6",
    iexcl: "\u00a1", iquest: "\u00bf", shy: "\u00ad", larr: "\u2190", rarr: "\u2192", uarr: "\u2191", darr: "\u2193",
    harr: "\u2194", hearts: "\u2665", eacute: "\u00e9", egrave: "\u00e8", agrave: "\u00e0", aacute: "\u00e1", uuml: "\u00fc",
    ouml: "\u00f6", auml: "\u00e4", Uuml: "\u00dc", Ouml: "\u00d6", Auml: "\u00c4", szlig: "\u00df", ccedil: "\u00e7",
    ntilde: "\u00f1", tab: "\t", newline: "\n",
};
// Windows-1252 replacements for C1 controls (HTML5 §13.2.5.80), as Go's replacementTable
const C1 = {
    0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02c6,
    0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c,
    0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
    0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};
export function unescapeHTML(s) {
    if (!s.includes("&"))
        return s;
    return s.replace(/&(#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]*);?)/g, (m, _all, hex, dec, name) => {
        if (hex !== undefined || dec !== undefined) {
            let c = hex !== undefined ? parseInt(hex, 16) : parseInt(dec, 10);
            if (C1[c] !== undefined)
                c = C1[c];
            else if (c === 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
                c = 0xfffd;
            return String.fromCodePoint(c);
        }
        const v = NAMED[name];
        return v !== undefined && m.endsWith(";") ? v : v !== undefined && ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"].includes(name) ? v : m;
    });
}
