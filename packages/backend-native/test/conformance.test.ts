import { runConformance } from "@zerobus/conformance";
import { createBackend } from "../src/index.js";

// Native part 1: the scenarios of creation, ingest, batches, acks, close and refusals. Part 2 removes the
// narrowing (ARCHITECTURE.md "Conformance": tags narrow a run only while a backend is brought up).
runConformance({ backend: createBackend, tags: ["creation", "ingest", "batch", "ack", "close", "refusal"] });
