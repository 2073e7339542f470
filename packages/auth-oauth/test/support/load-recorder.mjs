// Registers a resolve hook that appends every resolved module URL to $ZB_LOAD_LOG (run with --import), as
// packages/sdk/test/fixtures/load-recorder.mjs does.
import { appendFileSync } from "node:fs";
import { register } from "node:module";

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from "node:fs";
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      appendFileSync(process.env.ZB_LOAD_LOG, result.url + "\\n");
      return result;
    }
  `)}`,
);

/** Appends a marker line (`--- <text>`) between the logged modules. */
globalThis.zbLoadMark = (text) => appendFileSync(process.env.ZB_LOAD_LOG, `--- ${text}\n`);
