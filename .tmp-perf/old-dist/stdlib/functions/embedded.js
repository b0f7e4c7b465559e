import { fn } from "./define.js";
export const EMBEDDED = [fn("embedded/provisioner", "cli_password", "func() str", "I")];
