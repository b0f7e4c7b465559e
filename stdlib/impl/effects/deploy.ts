/**
 * Package `deploy` (mcl-language.md §11.2): the files of the running program.
 *
 * The deploy file system is the module directory of the running program (`ImplContext.moduleDir`):
 * on a cluster agent that is the deploy written below its state directory (runtime/cli/
 * deploy-files.ts, so every host reads exactly the deployed files), and on a single host without
 * etcd the program's own directory. Its root is the module root, so `/files/app.conf` and
 * `files/app.conf` name the same file, and `readfile` and `readfileabs` agree (Steward deploys one
 * module; imported module directories travel inside it). A path that leaves the deploy
 * (`../x`) is refused like a missing file.
 *
 * The functions are impure (evaluated when their argument changes): a deploy never changes under
 * a running program, a new deploy is a new program.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, posix } from "node:path";
import { CatchableError, type Value } from "../../../lang/values.js";
import { registerImpls, type ImplContext } from "../../impl.js";
import { argStr, errnoText } from "./util.js";

/** `p` as a deploy-absolute path (`/files/x`), or undefined when it leaves the deploy. */
export function deployAbs(p: string): string | undefined {
  const n = posix.normalize(p.replace(/^\/+/, "") || ".");
  if (n === ".." || n.startsWith("../")) return undefined;
  return n === "." ? "/" : `/${n}`;
}

/** The local file behind deploy path `p`. */
function local(ctx: ImplContext, p: string): string | undefined {
  const abs = deployAbs(p);
  return abs === undefined ? undefined : join(ctx.moduleDir, abs);
}

function readDeployFile(fn: string, args: readonly Value[], ctx: ImplContext): Value | CatchableError {
  const p = argStr(args, 0, fn);
  const file = local(ctx, p);
  if (file === undefined) return new CatchableError(`${fn}: ${p} is outside the deploy`);
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    return new CatchableError(`${fn}: ${errnoText(e, (e as NodeJS.ErrnoException).code === "EISDIR" ? "read" : "open", deployAbs(p) ?? p)}`);
  }
}

/** Debian packages a host needs to run Steward (mgmt: the packages `mgmt setup pkg` installs). */
const BOOTSTRAP: Readonly<Record<string, readonly string[]>> = {
  debian: ["nodejs", "etcd-server"],
  ubuntu: ["nodejs", "etcd-server"],
};

registerImpls({
  "deploy.abspath": {
    effect: "impure",
    call: (args) => {
      const p = argStr(args, 0, "deploy.abspath");
      return deployAbs(p) ?? new CatchableError(`deploy.abspath: ${p} is outside the deploy`);
    },
  },
  "deploy.readfile": { effect: "impure", call: (args, ctx) => readDeployFile("deploy.readfile", args, ctx) },
  "deploy.readfileabs": { effect: "impure", call: (args, ctx) => readDeployFile("deploy.readfileabs", args, ctx) },
  "deploy.file_exists": {
    effect: "impure",
    call: (args, ctx) => {
      const file = local(ctx, argStr(args, 0, "deploy.file_exists"));
      return file !== undefined && existsSync(file) && statSync(file).isFile();
    },
  },
  // The local directory of a deploy directory, with a trailing slash: a `file` resource can copy
  // it (`source => deploy.directory("/files/conf/")`).
  "deploy.directory": {
    effect: "impure",
    call: (args, ctx) => {
      const p = argStr(args, 0, "deploy.directory");
      const dir = local(ctx, p);
      if (dir === undefined) return new CatchableError(`deploy.directory: ${p} is outside the deploy`);
      return dir.endsWith("/") ? dir : `${dir}/`;
    },
  },
  "deploy.binary_path": {
    effect: "impure",
    call: () => {
      const bin = process.argv[1] ?? "";
      try {
        return realpathSync(bin);
      } catch {
        return bin;
      }
    },
  },
  "deploy.bootstrap_packages": {
    effect: "pure",
    call: (args) => [...(BOOTSTRAP[argStr(args, 0, "deploy.bootstrap_packages")] ?? [])],
  },
});
