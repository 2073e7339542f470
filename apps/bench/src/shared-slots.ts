import { HEAD_ROOM } from "./repeated-records.js";

/**
 * Request slots in shared memory, for `worker-floor`: the caller's thread writes records into a slot (a
 * request body after head room), publishes it when full and moves to the next; a worker thread frames each
 * published slot and writes it to the socket, and releases it for reuse once the socket took it. Two
 * counters in a shared `Int32Array` say how far each side got; a third changes on every signal from the
 * writer, so the sender can wait on it without missing one.
 */
export interface SharedSlots {
  readonly memory: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
  readonly slotCount: number;
  /** Bytes of records a slot holds (its head room comes on top). */
  readonly slotBodyBytes: number;
}

/** Slots published by the writer, ever. */
export const PUBLISHED = 0;
/** Slots the sender handed to the socket and released, ever (a slot is reused once released). */
export const RELEASED = 1;
/** 1 once the writer published its last slot. */
export const ENDED = 2;
/** Bumped by the writer after each publication and at the end: what the sender waits on. */
export const SIGNAL = 3;
/** From here: the end position of each slot's body, by slot index. */
const BODY_ENDS = 4;

export function createSharedSlots(slotCount = 16, slotBodyBytes = 1024 * 1024): SharedSlots {
  return {
    memory: new SharedArrayBuffer(slotCount * (HEAD_ROOM + slotBodyBytes)),
    control: new SharedArrayBuffer((BODY_ENDS + slotCount) * Int32Array.BYTES_PER_ELEMENT),
    slotCount,
    slotBodyBytes,
  };
}

/** `Atomics.waitAsync` (Node 16+; its typings come with the ES2024 lib, which this package does not use). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: unknown };
  }
).waitAsync;

/** Typed views of {@link SharedSlots}, one per thread. */
export class SlotViews {
  readonly buffer: Buffer;
  readonly control: Int32Array;
  readonly slotCount: number;
  readonly slotBodyBytes: number;

  constructor(slots: SharedSlots) {
    this.buffer = Buffer.from(slots.memory);
    this.control = new Int32Array(slots.control);
    this.slotCount = slots.slotCount;
    this.slotBodyBytes = slots.slotBodyBytes;
  }

  /** Where the body of the `n`-th slot ever used starts (after its head room). */
  bodyStart(n: number): number {
    return (n % this.slotCount) * (HEAD_ROOM + this.slotBodyBytes) + HEAD_ROOM;
  }

  bodyEnd(n: number): number {
    return this.control[BODY_ENDS + (n % this.slotCount)] as number;
  }

  setBodyEnd(n: number, end: number): void {
    this.control[BODY_ENDS + (n % this.slotCount)] = end;
  }

  /** Waits until `index` no longer holds `value` (or at once if it does not). */
  async waitWhile(index: number, value: number): Promise<void> {
    const wait = waitAsync(this.control, index, value);
    if (wait.async) await wait.value;
  }

  /** Adds `amount` to `index` and wakes whoever waits on it. */
  bump(index: number, amount = 1): void {
    Atomics.add(this.control, index, amount);
    Atomics.notify(this.control, index);
  }
}
