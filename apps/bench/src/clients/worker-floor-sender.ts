import { once } from "node:events";
import type { Writable } from "node:stream";
import { frameInHeadRoom } from "../repeated-records.js";
import { ENDED, PUBLISHED, RELEASED, type SharedSlots, SIGNAL, SlotViews } from "../shared-slots.js";

/**
 * The sending side of `worker-floor`, in its worker thread: frames every slot the writer publishes as one
 * `IngestRecordBatchRequest` (wire offsets 0, 1, 2, …) in the slot's own head room, writes it with no copy,
 * and releases the slot once the socket took it.
 */
export class SlotSender {
  readonly #views: SlotViews;
  readonly #request: Writable;

  constructor(slots: SharedSlots, request: Writable) {
    this.#views = new SlotViews(slots);
    this.#request = request;
  }

  /** Sends until the writer ended and every slot went out; resolves with the last wire offset sent. */
  async run(): Promise<number> {
    const views = this.#views;
    const release = () => views.bump(RELEASED);
    let sent = 0;
    for (;;) {
      // Read the signal first: a publication after this read changes it, so the wait below returns.
      const signal = Atomics.load(views.control, SIGNAL);
      const published = Atomics.load(views.control, PUBLISHED);
      while (sent < published) {
        const start = frameInHeadRoom(views.buffer, views.bodyStart(sent), views.bodyEnd(sent), sent);
        const flowing = this.#request.write(views.buffer.subarray(start, views.bodyEnd(sent)), release);
        sent++;
        if (!flowing) await once(this.#request, "drain");
      }
      if (Atomics.load(views.control, ENDED) === 1 && sent === Atomics.load(views.control, PUBLISHED)) {
        return sent - 1;
      }
      await views.waitWhile(SIGNAL, signal);
    }
  }
}
