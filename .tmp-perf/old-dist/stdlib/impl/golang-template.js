/**
 * `golang.template(template[, vars])` (mcl-language.md §11.2): a documented subset of Go's
 * text/template (docs/template.md). Parse and execution errors are catchable and read like
 * mgmt's: `template: execution error: template: template:1:2: executing "template" at <.Foo>: …`.
 */
import { registerImpls } from "../impl.js";
import { argStr, fail } from "./args.js";
import { ExecError, Executor } from "./template/exec.js";
import { parseTemplate, TemplateError } from "./template/parse.js";
const NAME = "template";
const cache = new Map();
registerImpls({
    "golang.template": {
        effect: "impure",
        call: (args, ctx) => {
            const text = argStr(args, 0);
            let nodes = cache.get(text);
            try {
                if (nodes === undefined) {
                    nodes = parseTemplate(text, NAME);
                    if (cache.size >= 256)
                        cache.delete(cache.keys().next().value);
                    cache.set(text, nodes);
                }
            }
            catch (e) {
                if (e instanceof TemplateError)
                    return fail(`template: parse error: ${e.message}`);
                throw e;
            }
            try {
                return new Executor(NAME, text, ctx).run(nodes, args[1]);
            }
            catch (e) {
                if (e instanceof ExecError)
                    return fail(`template: execution error: ${e.message}`);
                throw e;
            }
        },
    },
});
