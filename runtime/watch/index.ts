/** The shared file/directory watcher (see watcher.ts). */
export { activeWatchHandles, watchPath, watchPath$, type WatchEvent, type WatchEventKind } from "./watcher.js";
