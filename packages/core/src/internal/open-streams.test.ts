import { describe, expect, it } from "vitest";
import type { ZerobusError } from "../zerobus-error.js";
import type { AbortableStream } from "./open-streams.js";
import { OpenStreams } from "./open-streams.js";

/** A stream whose close resolves, or never settles (`hangs`), recording what happened to it. */
function fakeStream(hangs = false) {
  const events: string[] = [];
  const stream = {
    close: () => {
      events.push("close");
      return hangs ? new Promise<void>(() => {}) : Promise.resolve();
    },
    abort: (error: ZerobusError) => events.push(`abort ${error.code}`),
  } as unknown as AbortableStream;
  return { stream, events };
}

describe("OpenStreams", () => {
  it("closes every open stream, then aborts them, once", async () => {
    const streams = new OpenStreams();
    const a = fakeStream();
    const b = fakeStream();
    const forgotten = fakeStream();
    streams.add(a.stream);
    streams.add(b.stream);
    streams.add(forgotten.stream);
    streams.delete(forgotten.stream);
    expect(await streams.closeAll()).toBe(true);
    expect(a.events).toEqual(["close", "abort stream_closed"]);
    expect(b.events).toEqual(["close", "abort stream_closed"]);
    expect(forgotten.events).toEqual([]);
    expect(await streams.closeAll()).toBe(false);
    expect(a.events).toHaveLength(2);
  });

  it("refuses new streams once closed", async () => {
    const streams = new OpenStreams();
    expect(() => streams.checkOpen()).not.toThrow();
    await streams.closeAll();
    expect(() => streams.checkOpen()).toThrow(
      expect.objectContaining({ code: "invalid_state", retryable: false }),
    );
  });

  it("aborts the signal of openings in progress when closing, and cuts a stream that finished opening after", async () => {
    const streams = new OpenStreams();
    const own = new AbortController();
    const opening = streams.openingSignal(own.signal);
    const plain = streams.openingSignal(undefined);
    expect(opening.aborted).toBe(false);
    await streams.closeAll();
    expect(opening.aborted).toBe(true);
    expect(plain.reason).toMatchObject({ code: "invalid_state" });
    const late = fakeStream();
    expect(() => streams.add(late.stream)).toThrow(expect.objectContaining({ code: "invalid_state" }));
    expect(late.events).toEqual(["abort invalid_state"]);
  });

  it("lets an opening's own signal abort it while the backend stays open", () => {
    const streams = new OpenStreams();
    const own = new AbortController();
    const opening = streams.openingSignal(own.signal);
    own.abort(new Error("caller gave up"));
    expect(opening.aborted).toBe(true);
    expect(streams.openingSignal(undefined).aborted).toBe(false);
  });
});
