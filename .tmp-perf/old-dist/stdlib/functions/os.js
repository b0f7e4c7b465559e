import { fn } from "./define.js";
export const OS = [
    fn("os", "readfile", "func(filename str) str", "S", { catchable: true }),
    fn("os", "file_exists", "func(filename str) bool", "S"),
    fn("os", "user_exists", "func(user str) bool", "S"),
    fn("os", "modinfo_loaded", "func(module str) bool", "S"),
    fn("os", "system", "func(cmd str) str", "S"),
    fn("os", "args", "func() []str", "P"),
    fn("os", "family", "func() str", "I"),
    fn("os", "is_family_redhat", "func() bool", "I"),
    fn("os", "is_family_debian", "func() bool", "I"),
    fn("os", "is_family_archlinux", "func() bool", "I"),
    fn("os", "is_virtual", "func() bool", "I"),
    fn("os", "release", "func() struct{id str; variant_id str; version_id str}", "I", { catchable: true }),
    fn("os", "home", "func(a str) str", "I", { catchable: true }),
    fn("os", "uid", "func(a str) str", "I", { catchable: true }),
    fn("os", "expand_home", "func(a str) str", "I", { catchable: true }),
    fn("os", "parse_distro_uid", "func(a str) struct{distro str; version str; arch str}", "P"),
];
