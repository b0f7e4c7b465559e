/** `file` (engine-reference.md §10): E, V, Rev. `content`/`selinux` are *string (unset = unmanaged). */
import { kind } from "./define.js";
export const FILE = kind("file", {
    path: "str",
    dirname: "str",
    basename: "str",
    state: "str",
    content: "str",
    source: "str",
    fragments: "[]str",
    owner: "str",
    group: "str",
    mode: "str",
    recurse: "bool",
    force: "bool",
    purge: "bool",
    symlink: "bool",
    selinux: "str",
}, { recvable: true, traits: { autoedge: true, reverse: true } });
