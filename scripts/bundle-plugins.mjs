// esbuild plugins of the bin's bundle (scripts/bundle.mjs): they change what a command evaluates at
// start-up, not what it does.
import { createRequire } from "node:module";
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

/**
 * Node builtins loaded on first use instead of when the bundle is evaluated: `node:crypto` (~7 ms
 * with its ~15 internal modules), `node:child_process` (~5 ms, with net, dgram and streams),
 * `node:fs/promises` (~3.5 ms) and `node:readline` were a third of evaluating the `run` bundle
 * (measured in a script, not `node -e`, which preloads some of them), while a one-shot run of files
 * whose program comes from the compile cache calls none of them. Each import of one of `names`
 * gets a Proxy of the module: property reads load it. esbuild's `__toESM` enumerates an imported
 * module's own keys at evaluation, so the Proxy answers those from the list of names the builtin
 * has at build time (the cache is built on the machine that runs it: `npm ci` → `prepare`)
 * without loading it; `__toESM` then defines getters that read through on use.
 */
export function lazyBuiltins(names) {
  const NS = "steward-lazy-builtin";
  const filter = new RegExp(`^(node:)?(${names.map((n) => n.replace(/[/]/g, "\\/")).join("|")})$`);
  const req = createRequire(import.meta.url);
  return {
    name: "lazy-builtins",
    setup(b) {
      b.onResolve({ filter }, (args) =>
        // the shim's own require() of the builtin stays a plain require
        args.namespace === NS ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ""), namespace: NS },
      );
      b.onLoad({ filter: /.*/, namespace: NS }, (args) => {
        const keys = Object.getOwnPropertyNames(req(`node:${args.path}`));
        return {
          loader: "js",
          contents: `let m;
const load = () => (m ??= require(${JSON.stringify(`node:${args.path}`)}));
const names = ${JSON.stringify(keys)};
const known = new Set(names);
module.exports = new Proxy({}, {
  get: (_, k) => (k === "__esModule" ? undefined : load()[k]),
  set: (_, k, v) => ((load()[k] = v), true),
  has: (_, k) => known.has(k) || k in load(),
  ownKeys: () => [...names],
  getOwnPropertyDescriptor: (_, k) => (known.has(k) ? { value: undefined, writable: true, enumerable: true, configurable: true } : undefined),
  getPrototypeOf: () => Object.prototype,
});
`,
        };
      });
    },
  };
}
