// esbuild plugins of the bin's bundle (scripts/bundle.mjs): they change what a command evaluates at
// start-up, not what it does.
import { join } from "node:path";

/**
 * rxjs from its ES2015 module build instead of the CommonJS one Node's resolution picks: the
 * CommonJS `index.js` requires all ~220 modules of rxjs (every operator) on first use, while from
 * ES modules esbuild keeps only what Steward imports (rxjs declares `sideEffects: false`).
 */
export function rxjsEsm(root) {
  return {
    name: "rxjs-esm",
    setup(b) {
      b.onResolve({ filter: /^rxjs$/ }, () => ({ path: join(root, "node_modules/rxjs/dist/esm/index.js") }));
    },
  };
}

/**
 * Loads a CommonJS dependency on the first call of one of its functions, not when the module that
 * imports it is evaluated: `yaml` is needed only for a metadata.yaml and `pino` (with its transport
 * machinery, thread-stream and worker threads) only for `--log-format json`, but lang/modules.ts and
 * runtime/cli/run-logger.ts import them statically. `lazy` maps each package to the names it is
 * imported for, which must all be functions called with `(...)`; an import of a name not listed
 * fails the build (esbuild: no matching export).
 */
export function lazyFunctions(lazy) {
  const NS = "steward-lazy";
  return {
    name: "lazy-functions",
    setup(b) {
      const filter = new RegExp(`^(${Object.keys(lazy).join("|")})$`);
      b.onResolve({ filter }, (args) =>
        // The shim's own require() of the package resolves normally.
        args.namespace === NS ? undefined : { path: args.path, namespace: NS },
      );
      b.onLoad({ filter: /.*/, namespace: NS }, (args) => ({
        resolveDir: b.initialOptions.absWorkingDir ?? process.cwd(),
        loader: "js",
        contents:
          "let m;\nconst load = () => (m ??= require(" + JSON.stringify(args.path) + "));\n" +
          lazy[args.path].map((f) => `export function ${f}(...a) { return load().${f}(...a); }`).join("\n"),
      }));
    },
  };
}

/**
 * Each command main.ts imports on use (`await import("./check.js")`) becomes a bundle of its own,
 * loaded through the bin's loader (`__stewardLoad`, runtime/cli/bin-loader.ts) with its own code
 * cache: `check` then reads and deserializes the front end only, not the engines of `run`, as the
 * ESM chunks of esbuild's code splitting did (esbuild has no splitting for CommonJS). Adds the
 * names of those commands to `names`.
 */
export function commandBundles(entry, names) {
  const NS = "steward-command";
  return {
    name: "command-bundles",
    setup(b) {
      b.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) => {
        if (args.importer !== entry || args.kind !== "dynamic-import") return undefined;
        const name = args.path.slice("./".length, -".js".length);
        names.add(name);
        return { path: name, namespace: NS };
      });
      b.onLoad({ filter: /.*/, namespace: NS }, (args) => ({
        loader: "js",
        contents: `module.exports = __stewardLoad(${JSON.stringify(args.path)});`,
      }));
    },
  };
}
