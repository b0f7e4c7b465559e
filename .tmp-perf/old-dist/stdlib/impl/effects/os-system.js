/**
 * `os.system(cmd)` (mcl-language.md §11.2): runs `cmd` with `/bin/sh -c` and emits each line of
 * its stdout as it arrives (without the newline), as mgmt's SystemFunc does; a last line without
 * a newline is emitted at exit. A new `cmd` restarts it: the evaluator unsubscribes the old stream,
 * which kills the old command. The command runs in its own process group so that the kill reaches
 * its children (`sh -c 'sleep 100'`): SIGTERM, then SIGKILL after {@link KILL_GRACE_MS}.
 * stderr is discarded; the exit status is not an error (the output is the value).
 */
import { spawn } from "node:child_process";
import { Observable } from "rxjs";
import { registerImpls } from "../../impl.js";
import { argStr } from "./util.js";
export const KILL_GRACE_MS = 2000;
function killGroup(pid, signal) {
    try {
        process.kill(-pid, signal);
        return true;
    }
    catch {
        return false; // already gone
    }
}
/** The stream behind `os.system`; `onSpawn` reports the shell's PID (for tests). */
export function system$(cmd, onSpawn) {
    return new Observable((sub) => {
        const child = spawn("/bin/sh", ["-c", cmd], { stdio: ["ignore", "pipe", "ignore"], detached: true });
        let buf = "";
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (chunk) => {
            buf += chunk;
            let nl;
            while ((nl = buf.indexOf("\n")) >= 0) {
                const line = buf.slice(0, nl);
                buf = buf.slice(nl + 1);
                sub.next(line);
            }
        });
        child.stdout.on("end", () => {
            if (buf !== "")
                sub.next(buf);
            buf = "";
        });
        child.on("error", (e) => sub.error(new Error(`os.system: ${e.message}`)));
        if (child.pid !== undefined)
            onSpawn?.(child.pid);
        return () => {
            child.stdout.removeAllListeners("data");
            child.stdout.destroy();
            const pid = child.pid;
            if (pid === undefined)
                return;
            // Even after the shell exited, background children may still hold its process group.
            if (!killGroup(pid, "SIGTERM"))
                return;
            // The group outlives the shell if a child ignores SIGTERM: SIGKILL whatever is left.
            setTimeout(() => killGroup(pid, "SIGKILL"), KILL_GRACE_MS).unref();
        };
    });
}
registerImpls({
    "os.system": { effect: "source", stream: (args) => system$(argStr(args, 0, "os.system")) },
});
