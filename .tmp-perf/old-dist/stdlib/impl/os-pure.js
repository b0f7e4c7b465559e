/**
 * The pure function of package `os` (mcl-language.md §11.2): `parse_distro_uid("fedora-39-x86_64")`
 * → `struct{distro: "fedora"; version: "39"; arch: "x86_64"}`. A string that isn't three
 * non-empty `-`-separated parts gives the zero struct (mgmt util/distro).
 */
import { StructValue } from "../../lang/values.js";
import { registerImpls } from "../impl.js";
import { argStr } from "./args.js";
export function parseDistroUID(uid) {
    const parts = uid.split("-");
    const ok = parts.length === 3 && parts.every((p) => p !== "");
    const [distro, version, arch] = ok ? parts : ["", "", ""];
    return new StructValue([["distro", distro], ["version", version], ["arch", arch]]);
}
registerImpls({
    "os.parse_distro_uid": { effect: "pure", call: (args) => parseDistroUID(argStr(args, 0)) },
});
