/** Data/archive kinds (engine-reference.md §10): json:edit, tar, gzip, deploy:tar, consul:kv. */
import { kind } from "./define.js";
export const JSON_EDIT = kind("json:edit", { store: "str", edits: "[]str" });
export const TAR = kind("tar", { path: "str", inputs: "[]str", format: "int" });
export const GZIP = kind("gzip", { path: "str", input: "str", content: "str", level: "int" });
export const DEPLOY_TAR = kind("deploy:tar", { path: "str", format: "int" });
export const CONSUL_KV = kind("consul:kv", { key: "str", value: "str", scheme: "str", address: "str", token: "str" });
