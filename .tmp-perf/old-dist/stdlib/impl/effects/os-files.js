/**
 * Package `os`, the file-backed sources: `readfile`, `file_exists`, `user_exists` (mcl-language.md
 * §11.2) on the shared watcher of runtime/watch, and `modinfo_loaded` by polling `/proc/modules`
 * (procfs sends no inotify events).
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Observable } from "rxjs";
import { CatchableError } from "../../../lang/values.js";
import { watchPath } from "../../../runtime/watch/index.js";
import { registerImpls } from "../../impl.js";
import { argStr, errnoText, poll$ } from "./util.js";
/** Where user_exists/home/uid and modinfo_loaded read; mutable so tests can use fixtures. */
export const paths = { passwd: "/etc/passwd", modules: "/proc/modules" };
/** How often `os.modinfo_loaded` re-reads /proc/modules. */
export const MODULES_POLL_MS = 1000;
/**
 * Emit `read()` on subscribe and again whenever `path` is created, changed or deleted, skipping
 * results equal to the last one. The watch is registered before the first read, so a change
 * between the two is not lost.
 */
export function watchAndRead$(path, read, same) {
    return new Observable((sub) => {
        let last;
        const emit = () => {
            const v = read();
            if (last !== undefined && same(last, v))
                return;
            last = v;
            sub.next(v);
        };
        const stop = watchPath(path, emit);
        emit();
        return stop;
    });
}
const sameOut = (a, b) => a instanceof CatchableError ? b instanceof CatchableError && a.message === b.message : a === b;
/** The file's content, or a catchable error (missing, a directory, unreadable). */
export function readFileOrError(path) {
    try {
        return readFileSync(path, "utf8");
    }
    catch (e) {
        const op = e.code === "EISDIR" ? "read" : "open";
        return new CatchableError(errnoText(e, op, path));
    }
}
/** User names in passwd(5) format text. */
export function passwdUsers(text) {
    const users = new Map();
    for (const line of text.split("\n")) {
        if (line === "" || line.startsWith("#"))
            continue;
        const f = line.split(":");
        if (f.length < 7 || !f[0])
            continue;
        if (!users.has(f[0]))
            users.set(f[0], { uid: f[2], home: f[5] });
    }
    return users;
}
export function readPasswd() {
    try {
        return passwdUsers(readFileSync(paths.passwd, "utf8"));
    }
    catch {
        return new Map();
    }
}
/** Loaded module names from /proc/modules text; `-` and `_` are the same to the kernel. */
export function loadedModules(text) {
    const mods = new Set();
    for (const line of text.split("\n")) {
        const name = line.split(" ", 1)[0];
        if (name)
            mods.add(name);
    }
    return mods;
}
registerImpls({
    "os.readfile": {
        effect: "source",
        stream: (args) => {
            const path = resolve(argStr(args, 0, "os.readfile"));
            return watchAndRead$(path, () => readFileOrError(path), sameOut);
        },
    },
    "os.file_exists": {
        effect: "source",
        stream: (args) => {
            const path = resolve(argStr(args, 0, "os.file_exists"));
            return watchAndRead$(path, () => existsSync(path), sameOut);
        },
    },
    "os.user_exists": {
        effect: "source",
        stream: (args) => {
            const user = argStr(args, 0, "os.user_exists");
            return watchAndRead$(paths.passwd, () => readPasswd().has(user), sameOut);
        },
    },
    "os.modinfo_loaded": {
        effect: "source",
        stream: (args) => {
            const mod = argStr(args, 0, "os.modinfo_loaded").replaceAll("-", "_");
            return poll$(MODULES_POLL_MS, () => {
                try {
                    return loadedModules(readFileSync(paths.modules, "utf8")).has(mod);
                }
                catch {
                    return false; // no /proc/modules: a kernel without loadable modules
                }
            });
        },
    },
});
