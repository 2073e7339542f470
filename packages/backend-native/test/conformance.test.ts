import { nativeBringUpTags, overBackend, runConformance } from "@zerobus/conformance";
import { createBackend } from "../src/index.js";

// Native part 1: narrowed to the bring-up tags (ARCHITECTURE.md "Conformance": tags narrow a run only while
// a backend is brought up; part 2 removes the narrowing).
runConformance({ streams: overBackend(createBackend), tags: nativeBringUpTags });
