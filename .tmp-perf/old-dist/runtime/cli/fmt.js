/**
 * `steward fmt [--check] PATH…` (architecture.md "CLI contract"): rewrite mcl files in the
 * canonical layout of lang/format.ts.
 *
 * A directory means every `.mcl` file below it (skipping `node_modules` and dot directories);
 * a file is formatted whatever its extension. Files are written only when their text changes.
 * With `--check` nothing is written: the files that would change are listed on stdout.
 * Exit: 0 ok, 1 a file differs (`--check`) or has parse errors, 2 a path does not exist.
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatSource } from "../../lang/format.js";
const EXIT_OK = 0;
const EXIT_DIFF = 1;
const EXIT_USAGE = 2;
async function mclFilesBelow(dir, out) {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
        if (e.name.startsWith("."))
            continue;
        const p = join(dir, e.name);
        if (e.isDirectory()) {
            if (e.name !== "node_modules")
                await mclFilesBelow(p, out);
        }
        else if (e.isFile() && e.name.endsWith(".mcl")) {
            out.push(p);
        }
    }
}
function renderLine(d, file) {
    const s = d.span;
    const where = s ? `${s.file || file}:${s.start.line}:${s.start.col}` : file;
    return `${where}: ${d.phase} error: ${d.message}\n`;
}
/** Runs `steward fmt`; returns the exit code. */
export async function runFmt(paths, opts, io) {
    if (paths.length === 0) {
        io.err("steward: fmt: expected at least one PATH\n");
        return EXIT_USAGE;
    }
    // Resolve every path first, so that a typo changes nothing.
    const files = [];
    for (const p of paths) {
        let isDir;
        try {
            isDir = (await stat(p)).isDirectory();
        }
        catch {
            io.err(`steward: fmt: ${p}: no such file or directory\n`);
            return EXIT_USAGE;
        }
        if (isDir)
            await mclFilesBelow(p, files);
        else
            files.push(p);
    }
    let code = EXIT_OK;
    for (const file of [...new Set(files)]) {
        let text;
        try {
            text = await readFile(file, "utf8");
        }
        catch (e) {
            io.err(`steward: fmt: ${file}: ${e.message}\n`);
            code = EXIT_DIFF;
            continue;
        }
        const r = formatSource(text, file);
        if (r.output === undefined) {
            for (const d of r.diagnostics)
                io.err(renderLine(d, file));
            code = EXIT_DIFF;
            continue;
        }
        if (r.output === text)
            continue;
        if (opts.check) {
            io.out(`${file}\n`);
            code = EXIT_DIFF;
        }
        else {
            await writeFile(file, r.output, "utf8");
        }
    }
    return code;
}
