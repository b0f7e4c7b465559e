import { fn } from "./define.js";
export const DEPLOY = [
    fn("deploy", "abspath", "func(path str) str", "I"),
    fn("deploy", "readfile", "func(filename str) str", "I", { catchable: true }),
    fn("deploy", "readfileabs", "func(filename str) str", "I", { catchable: true }),
    fn("deploy", "file_exists", "func(filename str) bool", "I"),
    fn("deploy", "directory", "func(directory str) str", "I"),
    fn("deploy", "binary_path", "func() str", "I"),
    fn("deploy", "bootstrap_packages", "func(a str) []str", "P"),
];
