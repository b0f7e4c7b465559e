/**
 * `golang/os`, `golang/os/exec`, `golang/runtime`, `golang/math/rand` and `golang/html`
 * (mcl-language.md §13). The os/runtime/rand ones are impure: they read the host (or randomness)
 * each time their inputs change. Facts Node can't give are documented approximations:
 * `os.getpagesize` is 4096, `runtime.version` is Node's version, `runtime.num_goroutine` 1.
 */
import { accessSync, constants, mkdtempSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { availableParallelism, hostname, tmpdir } from "node:os";
import { argInt, argStr, fail } from "./args.js";
import { pathError, registerGo } from "./golang-common.js";
import { unescapeHTML } from "./go-html.js";
const s = argStr;
/** Go's os.Expand with os.Getenv: `$VAR`, `${VAR}`; unset variables expand to "". */
export function expandEnv(str, env = process.env) {
    return str.replace(/\$(\{([^}]*)\}|[A-Za-z0-9_]+|[*#$@!?-]|[0-9])?/g, (m, _x, braced) => {
        const name = braced ?? m.slice(1);
        if (name === "")
            return m === "$" ? "$" : "";
        return env[name] ?? "";
    });
}
function envDir(xdg, fallback) {
    const x = process.env[xdg];
    if (x)
        return x.startsWith("/") ? x : fail(`path in $${xdg} is relative`);
    const home = process.env.HOME;
    return home ? `${home}/${fallback}` : fail(`neither $${xdg} nor $HOME are defined`);
}
const id = (f) => BigInt(f ? f() : -1);
registerGo("os", {
    Environ: () => Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ""}`),
    Executable: () => process.execPath,
    ExpandEnv: (a) => expandEnv(s(a, 0)),
    Getegid: () => id(process.getegid),
    Getenv: (a) => process.env[s(a, 0)] ?? "",
    Geteuid: () => id(process.geteuid),
    Getgid: () => id(process.getgid),
    Getpagesize: () => 4096n,
    Getpid: () => BigInt(process.pid),
    Getppid: () => BigInt(process.ppid),
    Getuid: () => id(process.getuid),
    Getwd: () => process.cwd(),
    Hostname: () => hostname(),
    MkdirTemp: (a) => {
        const d = s(a, 0) || tmpdir();
        const pattern = s(a, 1);
        if (pattern.includes("/"))
            return fail(`mkdirtemp ${pattern}: pattern contains path separator`);
        const star = pattern.lastIndexOf("*");
        const prefix = star < 0 ? pattern : pattern.slice(0, star);
        try {
            // Go puts the random part where the last '*' is; mkdtemp can only append it (suffix dropped)
            return mkdtempSync(`${d}/${prefix}`);
        }
        catch (e) {
            return pathError("mkdirtemp", `${d}/${pattern}`, e);
        }
    },
    ReadFile: (a) => {
        try {
            return readFileSync(s(a, 0), "utf8");
        }
        catch (e) {
            return pathError(e.code === "EISDIR" ? "read" : "open", s(a, 0), e);
        }
    },
    Readlink: (a) => {
        try {
            return readlinkSync(s(a, 0));
        }
        catch (e) {
            return pathError("readlink", s(a, 0), e);
        }
    },
    TempDir: () => process.env.TMPDIR || "/tmp",
    UserCacheDir: () => envDir("XDG_CACHE_HOME", ".cache"),
    UserConfigDir: () => envDir("XDG_CONFIG_HOME", ".config"),
    UserHomeDir: () => process.env.HOME || fail("$HOME is not defined"),
});
function isExecutable(p) {
    try {
        if (!statSync(p).isFile())
            return false;
        accessSync(p, constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
registerGo("os/exec", {
    LookPath: (a) => {
        const file = s(a, 0);
        if (file.includes("/"))
            return isExecutable(file) ? file : fail(`exec: ${JSON.stringify(file)}: not an executable file`);
        for (const d of (process.env.PATH ?? "").split(":")) {
            const p = `${d === "" ? "." : d}/${file}`;
            if (isExecutable(p))
                return p;
        }
        return fail(`exec: ${JSON.stringify(file)}: executable file not found in $PATH`);
    },
});
registerGo("runtime", {
    GOMAXPROCS: () => BigInt(availableParallelism()),
    GOROOT: () => process.env.GOROOT ?? "",
    NumCPU: () => BigInt(availableParallelism()),
    NumCgoCall: () => 0n,
    NumGoroutine: () => 1n,
    Version: () => process.version,
});
const INT63 = 2n ** 63n;
function randInt63() {
    const hi = BigInt(Math.floor(Math.random() * 2 ** 31));
    const lo = BigInt(Math.floor(Math.random() * 2 ** 32));
    return ((hi << 32n) | lo) % INT63;
}
registerGo("math/rand", {
    ExpFloat64: () => -Math.log(1 - Math.random()),
    Float64: () => Math.random(),
    Int: () => randInt63(),
    Int63: () => randInt63(),
    Int63n: (a) => {
        const n = argInt(a, 0);
        if (n <= 0n)
            throw new Error("invalid argument to Int63n");
        return randInt63() % n;
    },
    Intn: (a) => {
        const n = argInt(a, 0);
        if (n <= 0n)
            throw new Error("invalid argument to Intn");
        return randInt63() % n;
    },
    NormFloat64: () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random()),
});
registerGo("html", {
    EscapeString: (a) => s(a, 0).replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&#39;", '"': "&#34;" })[c]),
    UnescapeString: (a) => unescapeHTML(s(a, 0)),
});
