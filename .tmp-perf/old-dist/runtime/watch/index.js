/** The shared file/directory watcher (see watcher.ts). */
export { activeWatchHandles, watchPath, watchPath$ } from "./watcher.js";
