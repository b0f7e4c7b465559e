import { CONVERT } from "./convert.js";
import { CORE } from "./core.js";
import { DATETIME } from "./datetime.js";
import { DEPLOY } from "./deploy.js";
import { EMBEDDED } from "./embedded.js";
import { ENCODING } from "./encoding.js";
import { EXAMPLE } from "./example.js";
import { FMT } from "./fmt.js";
import { GOLANG } from "./golang.js";
import { GOLANG_STD } from "./golang-std.js";
import { ITER } from "./iter.js";
import { LIST } from "./list.js";
import { LOCAL } from "./local.js";
import { MAP } from "./map.js";
import { MATH } from "./math.js";
import { NET } from "./net.js";
import { OS } from "./os.js";
import { REGEXP } from "./regexp.js";
import { STRINGS } from "./strings.js";
import { SYS } from "./sys.js";
import { TEST } from "./testpkg.js";
import { UTIL } from "./util.js";
import { VALUE } from "./value.js";
import { WORLD } from "./world.js";
export const ALL_FUNCS = [
    ...CORE,
    ...CONVERT,
    ...DATETIME,
    ...DEPLOY,
    ...EMBEDDED,
    ...ENCODING,
    ...EXAMPLE,
    ...FMT,
    ...GOLANG,
    ...GOLANG_STD,
    ...ITER,
    ...LIST,
    ...LOCAL,
    ...MAP,
    ...MATH,
    ...NET,
    ...OS,
    ...REGEXP,
    ...STRINGS,
    ...SYS,
    ...TEST,
    ...UTIL,
    ...VALUE,
    ...WORLD,
];
