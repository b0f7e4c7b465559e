/**
 * `virt` (engine-reference.md §10): R, B. Device list element structs follow mgmt's
 * `resources/virt.go` lang tags as far as the reference documents them.
 */
import { kind } from "./define.js";
export const VIRT = kind("virt", {
    uri: "str",
    state: "str",
    startup: "str",
    transient: "bool",
    cpus: "int",
    maxcpus: "int",
    hotcpus: "bool",
    memory: "int",
    osinit: "str",
    boot: "[]str",
    disk: "[]struct{source str; type str}",
    cdrom: "[]struct{source str; type str}",
    network: "[]struct{name str; mac str}",
    filesystem: "[]struct{access str; source str; target str; read_only bool}",
    auth: "struct{username str; password str}",
    restartondiverge: "str",
    restartonrefresh: "bool",
}, { traits: { refresh: true } });
