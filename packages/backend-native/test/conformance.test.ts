import { overBackend, runConformance } from "@zerobus/conformance";
import { createBackend } from "../src/index.js";

runConformance({ streams: overBackend(createBackend) });
