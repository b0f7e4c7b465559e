/** Imports every resource kind so it registers (each stdlib/resources/<kind>.ts calls registerKind at load). */
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
