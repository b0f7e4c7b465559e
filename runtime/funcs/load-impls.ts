/**
 * Loads the builtin implementations into the registry of stdlib/impl.ts: importing a package's
 * implementation file registers it. The imports are static and behind one dynamic import, so the
 * bundled bin (scripts/bundle.mjs) carries the implementations in its own chunks and `check`,
 * which never evaluates a program, does not load them.
 */
let loaded: Promise<void> | undefined;

async function load(): Promise<void> {
  await import("../../stdlib/impl/effects/index.js");
  await import("../../stdlib/impl/pure.js");
}

/** Register every implementation once (idempotent). */
export function loadImpls(): Promise<void> {
  return (loaded ??= load());
}
