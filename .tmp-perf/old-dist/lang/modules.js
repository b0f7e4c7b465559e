/**
 * Module loading (mcl-language.md §0 stage 1, §3.8): choosing the entry file of a path,
 * `metadata.yaml`, classifying and resolving `import` names, and parsing each file once per
 * compile. Everything goes through a CompilerHost; nothing is ever downloaded.
 */
import { posix } from "node:path";
import { parse as parseYaml } from "yaml";
import { diag } from "./diagnostics.js";
import { normPath } from "./host.js";
import { parse } from "./parse.js";
export const DEFAULT_METADATA = { main: "main.mcl", files: "files/", parentPathBlock: false };
/** Parse a metadata.yaml text; a string on malformed input. */
export function parseMetadata(text) {
    let doc;
    try {
        doc = parseYaml(text);
    }
    catch (e) {
        return `could not parse metadata.yaml: ${e.message.split("\n")[0]}`;
    }
    if (doc === null || doc === undefined)
        return DEFAULT_METADATA;
    if (typeof doc !== "object" || Array.isArray(doc))
        return "could not parse metadata.yaml: not a map";
    const m = doc;
    const str = (k) => (typeof m[k] === "string" && m[k] !== "" ? m[k] : undefined);
    const res = {
        main: str("main") ?? DEFAULT_METADATA.main,
        files: str("files") ?? DEFAULT_METADATA.files,
        parentPathBlock: m["parentpathblock"] === true,
    };
    const p = str("path");
    if (p !== undefined)
        res.path = p;
    return res;
}
/** Read `dir/metadata.yaml`; undefined when absent, a string when malformed. */
export function readMetadata(host, dir) {
    const p = posix.join(dir, "metadata.yaml");
    if (host.stat(p) !== "file")
        return undefined;
    const text = host.readFile(p);
    if (text === undefined)
        return `could not read ${p}`;
    return parseMetadata(text);
}
/** Resolve the entry of a compile: a `.mcl` file, or a directory (metadata.yaml `main:` else main.mcl). */
export function resolveEntry(path, host) {
    const p = normPath(path);
    const st = host.stat(p);
    if (st === "file") {
        const root = posix.dirname(p);
        const md = readMetadata(host, root);
        return { entry: p, root, metadata: typeof md === "object" ? md : DEFAULT_METADATA };
    }
    if (st === "dir")
        return resolveModuleDir(p, host);
    return diag("parse", "E-INPUT-NOT-FOUND", `input \`${path}\` does not exist`);
}
/** A module directory's main file (metadata.yaml `main:`, default `main.mcl`). */
export function resolveModuleDir(dir, host, span) {
    const md = readMetadata(host, dir);
    if (typeof md === "string")
        return diag("scope", "E-SCOPE-METADATA", `${md} (in ${dir})`, span);
    const metadata = md ?? DEFAULT_METADATA;
    const entry = normPath(posix.join(dir, metadata.main));
    if (host.stat(entry) !== "file") {
        return diag("parse", "E-INPUT-NOT-FOUND", `module \`${dir}\` has no main file: \`${entry}\` does not exist`, span);
    }
    return { entry, root: dir, metadata };
}
/** Classify an import name (§3.8), or explain why it is invalid. */
export function classifyImport(name) {
    if (name === "")
        return { error: "empty import name" };
    if (name.startsWith("git://")) {
        const rest = name.slice("git://".length);
        if (!name.endsWith("/") || rest.split("/").filter((x) => x !== "").length < 2) {
            return { error: `remote import \`${name}\` must be of the form git://host/path/ (with a trailing slash)` };
        }
        return "git";
    }
    if (name.includes("://"))
        return { error: `import scheme of \`${name}\` is not supported` };
    if (name.startsWith("/"))
        return { error: `import of \`${name}\` is invalid: absolute paths are not allowed` };
    const trimmed = name.endsWith("/") ? name.slice(0, -1) : name;
    if (posix.normalize(trimmed) !== trimmed || trimmed === "." || trimmed === "") {
        return { error: `import of \`${name}\` is invalid: the path is not clean` };
    }
    if (name.endsWith("/"))
        return "dir";
    if (name.endsWith(".mcl"))
        return "file";
    return "system";
}
/** The default alias of an import name: `strings` for `golang/strings`, `foo` for `foo.mcl`, `foo_bar` for `git://h/p/mgmt-foo-bar/`. */
export function importAlias(name) {
    const k = classifyImport(name);
    if (typeof k === "object")
        return undefined;
    const parts = name.split("/").filter((x) => x !== "");
    let last = parts[parts.length - 1] ?? "";
    if (k === "file")
        return last.slice(0, -".mcl".length);
    if (k === "git") {
        if (last.startsWith("mgmt-"))
            last = last.slice("mgmt-".length);
        return last.replaceAll("-", "_").toLowerCase();
    }
    return last;
}
/**
 * The modules directory for remote imports seen from `fromDir`: the nearest metadata.yaml
 * `path:` walking upwards, stopping at a `parentpathblock`.
 */
export function findModulesPath(host, fromDir) {
    let dir = normPath(fromDir);
    for (;;) {
        const md = readMetadata(host, dir);
        if (typeof md === "object") {
            if (md.path !== undefined)
                return normPath(posix.isAbsolute(md.path) ? md.path : posix.join(dir, md.path));
            if (md.parentPathBlock)
                return undefined;
        }
        const up = posix.dirname(dir);
        if (up === dir)
            return undefined;
        dir = up;
    }
}
/** Resolve an import name found in `importer` to the .mcl file it loads. */
export function resolveImport(name, importer, host) {
    const k = classifyImport(name);
    if (typeof k === "object")
        return k;
    const dir = posix.dirname(importer);
    switch (k) {
        case "system":
            return { kind: "system", name };
        case "file": {
            const file = normPath(posix.join(dir, name));
            if (host.stat(file) !== "file")
                return { error: `local import of \`${name}\` failed: file \`${file}\` does not exist` };
            return { kind: "file", file };
        }
        case "dir": {
            const mdir = normPath(posix.join(dir, name));
            if (host.stat(mdir) !== "dir")
                return { error: `local import of \`${name}\` failed: directory \`${mdir}\` does not exist` };
            const e = resolveModuleDir(mdir, host);
            if ("phase" in e)
                return { error: `local import of \`${name}\` failed: ${e.message}` };
            return { kind: "file", file: e.entry };
        }
        case "git": {
            const mp = findModulesPath(host, dir);
            if (mp === undefined) {
                return { error: `remote import of \`${name}\` failed: no modules path is set (metadata.yaml \`path:\`) above \`${dir}\`; modules are never downloaded` };
            }
            const mdir = normPath(posix.join(mp, name.slice("git://".length)));
            if (host.stat(mdir) !== "dir") {
                return { error: `remote import of \`${name}\` failed: module not found at \`${mdir}\` (searched modules path \`${mp}\`); modules are never downloaded` };
            }
            const e = resolveModuleDir(mdir, host);
            if ("phase" in e)
                return { error: `remote import of \`${name}\` failed: ${e.message}` };
            return { kind: "file", file: e.entry };
        }
    }
}
/** Parses each file once per compile and keeps every parse diagnostic. */
export class FileLoader {
    host;
    files = new Map();
    texts = new Map();
    diagnostics = [];
    constructor(host) {
        this.host = host;
    }
    /** The parsed file, or a message when it can't be read. */
    load(file) {
        const hit = this.files.get(file);
        if (hit)
            return hit;
        const text = this.host.readFile(file);
        if (text === undefined)
            return `could not read \`${file}\``;
        const r = parse(text, file);
        this.texts.set(file, text);
        this.files.set(file, r.prog);
        this.diagnostics.push(...r.diagnostics);
        return r.prog;
    }
}
