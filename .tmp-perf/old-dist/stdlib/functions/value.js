import { fn } from "./define.js";
export const VALUE = [
    fn("value", "get", "func(key str) struct{value ?1; ready bool}", "S"),
    fn("value", "get_bool", "func(key str) struct{value bool; ready bool}", "S"),
    fn("value", "get_str", "func(key str) struct{value str; ready bool}", "S"),
    fn("value", "get_int", "func(key str) struct{value int; ready bool}", "S"),
    fn("value", "get_float", "func(key str) struct{value float; ready bool}", "S"),
];
