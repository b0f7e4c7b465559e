/**
 * `--seeds` lists (engine-reference.md §6.1). Kept apart from etcd-client.ts so that parsing flags
 * does not load the etcd client.
 */

/** Split a `--seeds` list: commas, semicolons or spaces; a bare `host:port` means `http://`. */
export function parseEndpoints(list: string): string[] {
  return list
    .split(/[,; ]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => (/^[a-z]+:\/\//.test(s) ? s : `http://${s}`));
}
