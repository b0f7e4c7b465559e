/** `exec` (engine-reference.md §10): E, S, I; sends `output`, `stdout`, `stderr`; not recvable. */
import { kind } from "./define.js";

export const EXEC = kind(
  "exec",
  {
    cmd: "str",
    args: "[]str",
    cwd: "str",
    shell: "str",
    env: "map{str: str}",
    sig: "str",
    /** Seconds before the command's process group is killed (0: no limit). Steward addition. */
    timeout: "int",
    watchcmd: "str",
    watchcwd: "str",
    watchshell: "str",
    watchfiles: "[]str",
    ifcmd: "str",
    ifcwd: "str",
    ifshell: "str",
    ifequals: "str",
    ifequals_stdout: "str",
    nifcmd: "str",
    nifcwd: "str",
    nifshell: "str",
    creates: "str",
    mtimes: "[]str",
    donecmd: "str",
    donecwd: "str",
    doneshell: "str",
    user: "str",
    group: "str",
    send_output: "str",
    send_stdout: "str",
    send_stderr: "str",
  },
  { sends: { output: "str", stdout: "str", stderr: "str" }, traits: { autoedge: true } },
);
