import { parseArgs } from "node:util";
import { formatLatencyTable, runLatencyWorkload } from "./latency-workload.js";

/**
 * W4 on its own: `node apps/bench/dist/latency/latency-main.js [--quick]` prints progress, then the table
 * and its target lines.
 */
const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const results = await runLatencyWorkload({ quick: values.quick, log: (line) => console.log(line) });
console.log("");
console.log(formatLatencyTable(results));
console.log("");
console.log(`W4 wall time: ${(results.wallMs / 1000).toFixed(1)} s`);
