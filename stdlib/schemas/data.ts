/** Data/archive kinds (engine-reference.md §10): json:edit, tar, gzip, deploy:tar, ssh:authorized_key, consul:kv. */
import { kind } from "./define.js";

export const JSON_EDIT = kind("json:edit", { store: "str", edits: "[]str" });
/** `format` is Go's archive/tar Format: 0 unknown (tar's default), 2 ustar, 4 pax, 8 gnu. */
export const TAR = kind("tar", { path: "str", inputs: "[]str", format: "int" });
/** `input` and `content` are Go `*string`s (unset = not used); exactly one is set. */
export const GZIP = kind("gzip", { path: "str", input: "str", content: "str", level: "int" });
export const DEPLOY_TAR = kind("deploy:tar", { path: "str", format: "int" });
/** Composite of `line`: the entry is `content`, or built from `options`/`type`/`key`/`comment`, else the name. */
export const SSH_AUTHORIZED_KEY = kind(
  "ssh:authorized_key",
  { state: "str", file: "str", user: "str", content: "str", options: "[]str", type: "str", key: "str", comment: "str", mkdir: "bool" },
  { traits: { autoedge: true } },
);
export const CONSUL_KV = kind("consul:kv", { key: "str", value: "str", scheme: "str", address: "str", token: "str" });
