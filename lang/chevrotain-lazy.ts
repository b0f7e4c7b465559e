/**
 * Chevrotain, loaded on first use. A valid program is lexed and parsed by the hand-written lexer
 * and parser (lang/fast-lexer.ts, lang/fast-parser/); only a file with an error needs chevrotain
 * (its lexer reports lex errors, its recovering parser every syntax error). Loading chevrotain and
 * evaluating it cost tens of milliseconds of every `steward check` (docs/benchmarks.md), so no
 * module imports a value from "chevrotain": they call `chevrotain()` when they need one, and the
 * recovering parser extends `EmbeddedActionsParser` below.
 *
 * `parse()` is synchronous (lang/ is), so the load is a synchronous `require` of one file:
 *   - the bundled bin: `chevrotain.cjs` beside it (scripts/bundle.mjs builds it; CommonJS, so
 *     no require(esm), which ecosystem.md §1.1 says not to depend on);
 *   - from source (tsx, the tests): the package's own single-file build, lib/chevrotain.min.mjs
 *     (tsx compiles it for require; its lib/src modules would not load through require: their
 *     @chevrotain/* dependencies export only `import`).
 * Both are chevrotain 11.2 as installed.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as Chevrotain from "chevrotain";

type ChevrotainModule = typeof Chevrotain;

let loaded: ChevrotainModule | undefined;

/** The chevrotain module, loaded by the first call. */
export function chevrotain(): ChevrotainModule {
  return (loaded ??= load());
}

/** Whether chevrotain has been loaded (test/parser-fast-path.test.ts). */
export function chevrotainLoaded(): boolean {
  return loaded !== undefined;
}

function load(): ChevrotainModule {
  const requireHere = createRequire(import.meta.url);
  const bundled = fileURLToPath(new URL("./chevrotain.cjs", import.meta.url));
  if (existsSync(bundled)) return requireHere(bundled) as ChevrotainModule;
  const pkgMain = requireHere.resolve("chevrotain"); // …/chevrotain/lib/src/api.js
  return requireHere(join(dirname(pkgMain), "..", "chevrotain.min.mjs")) as ChevrotainModule;
}

/**
 * A stand-in for chevrotain's `EmbeddedActionsParser` to extend (lang/parser/base.ts) without
 * loading chevrotain when the class is defined: its constructor loads chevrotain, puts the real
 * class's prototype behind its own (so the subclasses inherit chevrotain's methods), and returns an
 * instance built by the real constructor for the subclass being constructed (`new.target`), which
 * the subclasses' constructors then initialise as usual. Only the constructor and the prototype
 * methods are inherited this way, which is all the grammar uses.
 */
function LazyEmbeddedActionsParser(this: unknown, ...args: unknown[]): object {
  const real = chevrotain().EmbeddedActionsParser;
  const proto = LazyEmbeddedActionsParser.prototype as object;
  if (Object.getPrototypeOf(proto) !== real.prototype) Object.setPrototypeOf(proto, real.prototype);
  return Reflect.construct(real, args, new.target) as object;
}

export const EmbeddedActionsParser = LazyEmbeddedActionsParser as unknown as typeof Chevrotain.EmbeddedActionsParser;
