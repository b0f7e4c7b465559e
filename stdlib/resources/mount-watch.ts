/**
 * Events for mounts and unmounts in this process's mount namespace, shared by every `mount`
 * resource: one `findmnt --poll` child for the whole process.
 *
 * Why a child process: the kernel signals a change of `/proc/self/mountinfo` only through poll(2)
 * with POLLPRI (proc(5)); inotify sees nothing there, and Node can't wait for POLLPRI on a file
 * (libuv polls sockets and pipes; `fs.watchFile` would be a stat loop, and a mountinfo's stat never
 * changes). util-linux's `findmnt --poll` does exactly that wait and prints one line per change
 * (`ACTION TARGET OLD-TARGET`, raw mode) unbuffered, about 2 ms after the mount(2). It is started
 * with the first subscriber and stopped (its process group, by PID) with the last, and it is
 * started through `setpriv --pdeathsig KILL` so that an agent killed outright leaves none behind.
 */
import { DEFAULT_PATH, startLongRunning, type LongRunning } from "./exec-run.js";

export interface MountEvent {
  /** mount, umount, remount, move */
  readonly action: string;
  readonly target: string;
  /** For `move`: where it was. */
  readonly oldTarget: string | undefined;
}

interface Sub {
  readonly onEvent: (ev: MountEvent) => void;
  readonly onError: (e: Error) => void;
}

let child: LongRunning | undefined;
let ready: Promise<void> = Promise.resolve();
const subs = new Set<Sub>();

/** findmnt's raw output escapes unsafe bytes as `\xHH`. */
function unhex(s: string): string {
  return Buffer.from(s.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
}

export function parsePollLine(line: string): MountEvent | undefined {
  const [action, target, oldTarget] = line.trim().split(/ +/);
  if (!action || !target) return undefined;
  return { action, target: unhex(target), oldTarget: oldTarget === undefined || oldTarget === "" ? undefined : unhex(oldTarget) };
}

const FINDMNT_ARGS = ["--poll", "--raw", "--noheadings", "--output", "ACTION,TARGET,OLD-TARGET"];

/** How long after the spawn findmnt is taken to be waiting in poll(2) (it reads mountinfo first; a few ms here). */
const SETTLE_MS = 100;

function start(): void {
  const failAll = (why: string): void => {
    child = undefined;
    const all = [...subs];
    subs.clear();
    for (const s of all) s.onError(new Error(why));
  };
  let stderr = "";
  try {
    child = startLongRunning(
      // setpriv (util-linux, like findmnt): findmnt gets SIGKILL when the agent dies, even by SIGKILL
      { file: "setpriv", args: ["--pdeathsig", "KILL", "findmnt", ...FINDMNT_ARGS], env: { PATH: DEFAULT_PATH, LC_ALL: "C" }, stopSignal: "SIGTERM" },
      (line) => {
        const ev = parsePollLine(line);
        if (ev) for (const s of [...subs]) s.onEvent(ev);
      },
      (code, sig) => failAll(`findmnt --poll exited (${sig ?? `code ${code}`})${stderr ? `: ${stderr}` : ""}`),
      (line) => (stderr = line),
    );
  } catch (e) {
    failAll(`can't start findmnt --poll (util-linux): ${(e as Error).message}`);
    return;
  }
  ready = new Promise((r) => setTimeout(r, SETTLE_MS));
}

/**
 * Subscribe to mount-table changes. Returns the unsubscribe function and a promise that resolves
 * once findmnt is (most likely) waiting; changes before then are the caller's to catch up on.
 * `onError` is called when findmnt dies; the subscription is then over.
 */
export function watchMounts(onEvent: (ev: MountEvent) => void, onError: (e: Error) => void): { readonly stop: () => void; readonly ready: Promise<void> } {
  const sub: Sub = { onEvent, onError };
  subs.add(sub);
  if (child === undefined) start();
  return {
    ready,
    stop: () => {
      if (!subs.delete(sub) || subs.size > 0 || child === undefined) return;
      const c = child;
      child = undefined;
      void c.stop();
    },
  };
}

/** PID of the running findmnt, if any (for tests that check it is stopped). */
export function mountWatchPid(): number | undefined {
  return child?.pid;
}
