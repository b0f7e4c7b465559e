/**
 * Loads every implementation of the pure builtins (and the few impure ones that belong to the
 * same packages: `example.errorbool`, `util.hostname_mapper`, `golang.template`, and the
 * os/runtime/rand wrappers of §13). Importing this module registers them with stdlib/impl.ts.
 */
import "./core.js";
import "./convert.js";
import "./encoding.js";
import "./example.js";
import "./fmt.js";
import "./golang-template.js";
import "./golang-strings.js";
import "./golang-strconv.js";
import "./golang-math.js";
import "./golang-path.js";
import "./golang-host.js";
import "./iter.js";
import "./list.js";
import "./map.js";
import "./math.js";
import "./net.js";
import "./os-pure.js";
import "./regexp.js";
import "./strings.js";
import "./util.js";
