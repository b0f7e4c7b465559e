/**
 * Loads and registers every resource kind now (`graph`, tests, benches and other in-process users
 * that look kinds up synchronously). `steward run` imports kinds.ts instead and loads only the
 * kinds its program uses.
 *
 * Static imports rather than `await loadKinds(Object.keys(KIND_MODULES))`: the bin is bundled as
 * CommonJS for V8's code cache (scripts/bundle.mjs), and CommonJS has no top-level await.
 * test/bin-bundle.test.ts checks that this list loads every kind kinds.ts names.
 */
import "./kinds.js";
import "./timer.js";
import "./noop.js";
import "./msg.js";
import "./print.js";
import "./test.js";
import "./password.js";
import "./kv.js";
import "./hostname.js";
import "./exit.js";
import "./value.js";
import "./file.js";
import "./exec.js";
import "./pkg.js";
import "./svc.js";
import "./group.js";
import "./user.js";
import "./cron.js";
import "./schedule.js";
import "./mount.js";
import "./sysctl.js";
import "./line.js";
import "./json-edit.js";
import "./tar.js";
import "./gzip.js";
import "./ssh-authorized-key.js";
