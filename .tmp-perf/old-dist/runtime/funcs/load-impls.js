/**
 * Loads the builtin implementations into the registry of stdlib/impl.ts (importing a package
 * file registers it): the effectful index (`stdlib/impl/effects/index.js`) and the pure one
 * (`stdlib/impl/pure.js`). Should an index fail to load (two modules registering the same name
 * while the library is being written), every module of the folder is imported on its own, so one
 * clash only loses that module.
 */
import { readdirSync } from "node:fs";
let loaded;
/** Modules the folder scan could not load (diagnostics for developers; empty once the index exists). */
export const skipped = [];
async function tryImport(url) {
    try {
        await import(url.href);
        return true;
    }
    catch (e) {
        if (e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes(url.pathname.split("/").pop().replace(/\.js$/, "")))
            return false;
        throw e;
    }
}
async function load() {
    const base = new URL("../../stdlib/impl/", import.meta.url);
    try {
        await import(new URL("effects/index.js", base).href);
        if (await tryImport(new URL("pure.js", base)))
            return;
    }
    catch (e) {
        skipped.push(`index: ${e.message}`);
    }
    const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    for (const f of readdirSync(base).sort()) {
        if (!f.endsWith(ext) || f.endsWith(".d.ts") || f.startsWith("index.") || f.startsWith("pure."))
            continue;
        try {
            await import(new URL(f.replace(/\.ts$/, ".js"), base).href);
        }
        catch (e) {
            // a module being written may clash with another (e.g. a duplicate registration): skip it
            skipped.push(`${f}: ${e.message}`);
        }
    }
}
/** Register every implementation once (idempotent). */
export function loadImpls() {
    return (loaded ??= load());
}
