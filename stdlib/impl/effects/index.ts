/**
 * The effectful builtins (impure and source functions, mcl-language.md §11 rows I and S, plus the
 * pure `datetime` and `os` ones that live with them). Importing this module registers them all
 * with stdlib/impl.ts.
 */
import "./core.js";
import "./datetime.js";
import "./deploy.js";
import "./example.js";
import "./local.js";
import "./net.js";
import "./os-files.js";
import "./os-host.js";
import "./os-system.js";
import "./sys.js";
import "./testpkg.js";
import "./unimplemented.js";
import "./value.js";
import "./world.js";
