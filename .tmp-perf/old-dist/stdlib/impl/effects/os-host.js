/**
 * Package `os`, host facts read on demand (mcl-language.md §11.2): `args`, `family` and
 * `is_family_*`, `is_virtual`, `release`, `home`, `uid`, `expand_home`, `parse_distro_uid`.
 */
import { existsSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { CatchableError, StructValue } from "../../../lang/values.js";
import { registerImpls } from "../../impl.js";
import { readPasswd } from "./os-files.js";
import { argStr } from "./util.js";
/** Files read here; mutable so tests can use fixtures. */
export const hostPaths = {
    osRelease: ["/etc/os-release", "/usr/lib/os-release"],
    cpuinfo: "/proc/cpuinfo",
    dmiVendor: "/sys/class/dmi/id/sys_vendor",
    dmiProduct: "/sys/class/dmi/id/product_name",
    familyMarkers: { redhat: "/etc/redhat-release", debian: "/etc/debian_version", archlinux: "/etc/arch-release" },
};
/** `KEY=value` lines of os-release(5), with shell quoting removed. */
export function parseOsRelease(text) {
    const out = new Map();
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#"))
            continue;
        const eq = line.indexOf("=");
        if (eq <= 0)
            continue;
        let v = line.slice(eq + 1);
        const q = v[0];
        if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2)
            v = v.slice(1, -1);
        if (q === '"')
            v = v.replace(/\\(["\\$`])/g, "$1");
        out.set(line.slice(0, eq), v);
    }
    return out;
}
function osRelease() {
    for (const p of hostPaths.osRelease) {
        try {
            return parseOsRelease(readFileSync(p, "utf8"));
        }
        catch {
            // try the next location
        }
    }
    return undefined;
}
const FAMILY_IDS = {
    redhat: ["rhel", "fedora", "centos", "redhat", "rocky", "almalinux"],
    debian: ["debian", "ubuntu"],
    archlinux: ["arch", "archlinux"],
};
/**
 * `redhat`, `debian` or `archlinux` (the values of `$os.family_*`), or `""`. The release marker
 * files decide first (as mgmt does), then os-release's `ID` and `ID_LIKE`.
 */
export function family() {
    for (const [fam, marker] of Object.entries(hostPaths.familyMarkers))
        if (existsSync(marker))
            return fam;
    const rel = osRelease();
    const ids = [rel?.get("ID") ?? "", ...(rel?.get("ID_LIKE") ?? "").split(/\s+/)].filter(Boolean);
    for (const [fam, known] of Object.entries(FAMILY_IDS))
        if (ids.some((id) => known.includes(id)))
            return fam;
    return "";
}
const HYPERVISOR_VENDORS = /qemu|kvm|vmware|virtualbox|innotek|xen|bochs|parallels|microsoft corporation|amazon ec2|google compute engine|openstack/i;
/** Running in a virtual machine: the CPU's `hypervisor` flag or a known DMI vendor/product. */
export function isVirtual() {
    const read = (p) => {
        try {
            return readFileSync(p, "utf8");
        }
        catch {
            return "";
        }
    };
    if (/^flags\s*:.*\bhypervisor\b/m.test(read(hostPaths.cpuinfo)))
        return true;
    return HYPERVISOR_VENDORS.test(read(hostPaths.dmiVendor)) || HYPERVISOR_VENDORS.test(read(hostPaths.dmiProduct));
}
/** The current user's home directory, from the passwd database (not `$HOME`), as Go's user.Current. */
function currentHome() {
    return userInfo().homedir;
}
/**
 * `~` → current home, `~/x` → home + `/x`, `~user/x` → user's home + `/x`; other paths unchanged.
 * An unknown user is a catchable error.
 */
export function expandHome(p) {
    if (!p.startsWith("~"))
        return p;
    const slash = p.indexOf("/");
    const name = slash < 0 ? p.slice(1) : p.slice(1, slash);
    const rest = slash < 0 ? "" : p.slice(slash);
    let home;
    if (name === "")
        home = currentHome();
    else {
        const u = readPasswd().get(name);
        if (!u)
            return new CatchableError(`user: unknown user ${name}`);
        home = u.home;
    }
    return rest === "" ? home : home.replace(/\/+$/, "") + rest;
}
/** `fedora39-x86_64` → {distro: fedora, version: 39, arch: x86_64}; zero values when it doesn't parse (mgmt). */
export function parseDistroUid(uid) {
    const m = /^([a-z]+)([0-9]+(?:\.[0-9]+)*)-([a-z0-9_]+)$/.exec(uid);
    return new StructValue({ distro: m?.[1] ?? "", version: m?.[2] ?? "", arch: m?.[3] ?? "" });
}
registerImpls({
    "os.args": { effect: "pure", call: () => process.argv.slice(1) },
    "os.family": { effect: "impure", call: () => family() },
    "os.is_family_redhat": { effect: "impure", call: () => family() === "redhat" },
    "os.is_family_debian": { effect: "impure", call: () => family() === "debian" },
    "os.is_family_archlinux": { effect: "impure", call: () => family() === "archlinux" },
    "os.is_virtual": { effect: "impure", call: () => isVirtual() },
    "os.release": {
        effect: "impure",
        call: () => {
            const rel = osRelease();
            if (!rel)
                return new CatchableError(`can't read ${hostPaths.osRelease.join(" or ")}`);
            return new StructValue({ id: rel.get("ID") ?? "", variant_id: rel.get("VARIANT_ID") ?? "", version_id: rel.get("VERSION_ID") ?? "" });
        },
    },
    "os.home": {
        effect: "impure",
        call: (args) => {
            const name = argStr(args, 0, "os.home");
            return readPasswd().get(name)?.home ?? new CatchableError(`user: unknown user ${name}`);
        },
    },
    "os.uid": {
        effect: "impure",
        call: (args) => {
            const name = argStr(args, 0, "os.uid");
            return readPasswd().get(name)?.uid ?? new CatchableError(`user: unknown user ${name}`);
        },
    },
    "os.expand_home": { effect: "impure", call: (args) => expandHome(argStr(args, 0, "os.expand_home")) },
    "os.parse_distro_uid": { effect: "pure", call: (args) => parseDistroUid(argStr(args, 0, "os.parse_distro_uid")) },
});
