import { runConformance } from "@zerobus/conformance";
import { describe } from "vitest";
import { ZerobusSdk } from "../src/index.js";
import { publicApiOpener } from "./public-api-opener.js";

/** The backends built on this machine: js always, native when its addon loads. */
function builtBackends(): ("js" | "native")[] {
  try {
    new ZerobusSdk("http://127.0.0.1:1", undefined, { backend: "native", allowInsecure: true });
    return ["js", "native"];
  } catch {
    return ["js"];
  }
}

for (const backend of builtBackends()) {
  describe(`public API on ${backend}`, () => {
    runConformance({ streams: publicApiOpener(backend) });
  });
}
