/**
 * Loads the builtin implementations into the registry of stdlib/impl.ts (importing a package
 * file registers it). The pure functions' index (`stdlib/impl/index.js`) is used when present;
 * while it is being written, every module of the folder is imported instead.
 */
import { readdirSync } from "node:fs";

let loaded: Promise<void> | undefined;

async function tryImport(url: URL): Promise<boolean> {
  try {
    await import(url.href);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes(url.pathname.split("/").pop()!.replace(/\.js$/, ""))) return false;
    throw e;
  }
}

async function load(): Promise<void> {
  const base = new URL("../../stdlib/impl/", import.meta.url);
  await import(new URL("effects/index.js", base).href);
  if (await tryImport(new URL("index.js", base))) return;
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  for (const f of readdirSync(base).sort()) {
    if (!f.endsWith(ext) || f.endsWith(".d.ts") || f.startsWith("index.")) continue;
    await import(new URL(f.replace(/\.ts$/, ".js"), base).href);
  }
}

/** Register every implementation once (idempotent). */
export function loadImpls(): Promise<void> {
  return (loaded ??= load());
}
