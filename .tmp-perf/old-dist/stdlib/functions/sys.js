import { fn } from "./define.js";
export const SYS = [
    fn("sys", "getenv", "func(a str) str", "I", { catchable: true }),
    fn("sys", "hasenv", "func(a str) bool", "I"),
    fn("sys", "env", "func() map{str: str}", "I"),
    fn("sys", "cpu_count", "func() int", "S"),
    fn("sys", "hostname", "func() str", "S"),
    fn("sys", "load", "func() struct{x1 float; x5 float; x15 float}", "S"),
    fn("sys", "uptime", "func() int", "S"),
    fn("sys/fwupd", "reboot_needed", "func() bool", "S"),
];
