/**
 * The params of a `line` resource (engine-reference.md §10 "line"), typed and validated. Pure: the
 * schema (stdlib/schemas/system.ts) runs `validateLine` at compile time, the resource reuses it.
 */
import type { ResParams } from "../registry.js";

export interface LineSpec {
  /** As written: absolute, or `~/…` / `~user/…` (expanded by the resource). */
  readonly file: string;
  readonly state: "exists" | "absent";
  /** The line without its terminator; "" = nothing to manage. */
  readonly content: string;
  readonly trim: boolean;
}

const str = (p: ResParams, f: string): string => (typeof p[f] === "string" ? (p[f] as string) : "");

/** `~` or `~user` followed by `/` or the end: the home directory forms `line` expands. */
export const HOME_PREFIX = /^~([A-Za-z_][A-Za-z0-9_.-]*\$?)?(\/|$)/;

/** The spec, with one trailing newline of `content` dropped (a line is written with its own). */
export function parseLine(params: ResParams): LineSpec {
  const state = str(params, "state");
  return {
    file: str(params, "file"),
    state: state === "absent" ? "absent" : "exists",
    content: str(params, "content").replace(/\r?\n$/, ""),
    trim: params["trim"] === true,
  };
}

/** mgmt's LineRes.Validate, plus: the content must be one line. */
export function validateLine(_name: string, params: ResParams): string | undefined {
  const file = str(params, "file");
  if (file === "") return "file is empty";
  if (!file.startsWith("/") && !HOME_PREFIX.test(file)) return `file ${JSON.stringify(file)} must be absolute (or start with ~/ or ~user/)`;
  if (file.endsWith("/")) return `file ${JSON.stringify(file)} must not be a directory`;
  const state = str(params, "state");
  if (state !== "" && state !== "exists" && state !== "absent") return `state must be "exists" or "absent", not ${JSON.stringify(state)}`;
  if (/[\r\n]/.test(parseLine(params).content)) return "content must be a single line";
  return undefined;
}
