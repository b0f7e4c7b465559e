import { fn } from "./define.js";
const cidr = (short) => fn("net", short, "func(a str) str", "P", { catchable: true });
export const NET = [
    cidr("cidr_to_ip"),
    cidr("cidr_to_prefix"),
    cidr("cidr_to_mask"),
    cidr("cidr_to_network"),
    cidr("cidr_to_first"),
    cidr("cidr_to_last"),
    fn("net", "ip_in_cidr", "func(ip str, cidr str) bool", "P", { catchable: true }),
    fn("net", "is_mac", "func(a str) bool", "P"),
    fn("net", "macfmt", "func(a str) str", "P", { catchable: true }),
    fn("net", "oldmacfmt", "func(a str) str", "P", { catchable: true }),
    fn("net", "split_hostport", "func(a str) struct{host str; port str}", "P", { catchable: true }),
    fn("net", "url_parser", "func(a str) struct{scheme str; host str; path str; raw_query str}", "P", { catchable: true }),
    fn("net", "macs", "func() []str", "S"),
    fn("net", "wired_interface", "func() str", "S"),
    fn("net", "interface_cidr", "func(interface str) str", "S"),
    fn("net/http", "response", "func(uid str) struct{status int; output str}", "S"),
];
