import { runConformance } from "@zerobus/conformance";
import { createBackend } from "../src/index.js";

runConformance({ backend: createBackend });
