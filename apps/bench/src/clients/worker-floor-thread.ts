import { parentPort, workerData } from "node:worker_threads";
import { openRawH2Stream } from "../raw-h2-stream.js";
import type { SharedSlots } from "../shared-slots.js";
import { SlotSender } from "./worker-floor-sender.js";

/**
 * The worker thread of `worker-floor`: opens its own raw HTTP/2 call, says "ready", sends every slot the
 * writer publishes, and says "acked" once the server acknowledged the last request.
 */
const { port, slots } = workerData as { port: number; slots: SharedSlots };
let lastAck = -1;
let lastSent: number | undefined;
const raw = await openRawH2Stream({ port }, (offset) => {
  lastAck = offset;
  if (offset === lastSent) finish();
});
parentPort?.postMessage("ready");
lastSent = await new SlotSender(slots, raw.request).run();
if (lastAck >= lastSent) finish();

function finish(): void {
  parentPort?.postMessage("acked");
  raw.end();
}
