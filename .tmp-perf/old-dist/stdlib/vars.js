/**
 * Builtin variables (mcl-language.md §6.2): `$purpleidea`, `$hostname`, the `$const.res.*`
 * constants, and package vars (`$os.family_*`, `$example.test1`).
 */
import { T } from "../lang/types.js";
function v(pkg, name, type, value) {
    return { name, pkg, type, value };
}
const str = (name, value) => v("", name, T.str, value);
const int = (name, value) => v("", name, T.int, BigInt(value));
export const GLOBAL_VARS = [
    str("purpleidea", "hello world!"),
    // The host name; "" in tests (the runtime substitutes the real one).
    str("hostname", ""),
    str("const.res.file.state.exists", "exists"),
    str("const.res.file.state.absent", "absent"),
    str("const.res.file.state.undefined", ""),
    str("const.res.net.state.up", "up"),
    str("const.res.net.state.down", "down"),
    str("const.res.net.state.undefined", ""),
    str("const.res.firewalld.state.exists", "exists"),
    str("const.res.firewalld.state.absent", "absent"),
    str("const.res.firewalld.state.undefined", ""),
    // Go compress/gzip levels.
    int("const.res.gzip.level.no_compression", 0),
    int("const.res.gzip.level.best_speed", 1),
    int("const.res.gzip.level.best_compression", 9),
    int("const.res.gzip.level.default_compression", -1),
    int("const.res.gzip.level.huffman_only", -2),
    // Go archive/tar formats.
    int("const.res.tar.format.unknown", 0),
    int("const.res.tar.format.ustar", 2),
    int("const.res.tar.format.pax", 4),
    int("const.res.tar.format.gnu", 8),
];
export const PACKAGE_VARS = [
    v("os", "os.family_redhat", T.str, "redhat"),
    v("os", "os.family_debian", T.str, "debian"),
    v("os", "os.family_archlinux", T.str, "archlinux"),
    v("example", "example.test1", T.int, 13n),
];
