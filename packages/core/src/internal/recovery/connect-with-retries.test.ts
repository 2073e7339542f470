import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HeadersReason } from "../../headers.js";
import type { StreamOptions } from "../../stream-options.js";
import { resolveStreamOptions } from "../../stream-options.js";
import { ZerobusError } from "../../zerobus-error.js";
import type { Dial } from "./connect-with-retries.js";
import { connectWithRetries } from "./connect-with-retries.js";
import { newEpisode } from "./retry-episode.js";

/** A dial that answers from a script (an error is thrown, a string is the connection) and logs each call. */
function scriptedDial(...outcomes: (ZerobusError | string)[]) {
  const calls: { reason: HeadersReason; at: number }[] = [];
  const dial: Dial<string> = async (reason) => {
    calls.push({ reason, at: Date.now() });
    const outcome = outcomes.shift() ?? new ZerobusError("unavailable", "the script ran out");
    if (typeof outcome !== "string") throw outcome;
    return outcome;
  };
  return { dial, calls };
}

const unavailable = () => new ZerobusError("unavailable", "down");
const unauthenticated = () => new ZerobusError("unauthenticated", "refused");
const options = (overrides: StreamOptions = {}) =>
  resolveStreamOptions(
    { recoveryBackoffMs: 1000, recoveryBackoffMaxMs: 30_000, recoveryRetries: 2, ...overrides },
    { hasDescriptor: false },
  );

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.spyOn(Math, "random").mockReturnValue(0.5); // no jitter: delays of exactly 1000, 2000, 4000 ms
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Runs the episode to its end, letting every backoff delay pass. */
async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  const result = Promise.allSettled([promise]);
  await vi.runAllTimersAsync();
  return (await result)[0] as PromiseSettledResult<T>;
}

describe("connectWithRetries", () => {
  it("makes at most 1 + recoveryRetries attempts, at once then after doubling delays, and rejects with the last error", async () => {
    const { dial, calls } = scriptedDial(unavailable(), unavailable(), unavailable(), "never reached");
    const episode = newEpisode();
    const start = Date.now();
    const result = await settle(
      connectWithRetries(dial, episode, options(), "create", new AbortController().signal),
    );
    expect(result).toMatchObject({ status: "rejected", reason: { code: "unavailable" } });
    expect(calls.map(({ reason, at }) => [reason, at - start])).toEqual([
      ["create", 0],
      ["create", 1000],
      ["create", 3000],
    ]);
    expect(episode).toEqual({ attempts: 3, waits: 2, refreshUsed: false, dials: 3 });
  });

  it("makes one attempt when recovery is off", async () => {
    const { dial, calls } = scriptedDial(unavailable(), "never reached");
    const result = await settle(
      connectWithRetries(
        dial,
        newEpisode(),
        options({ recovery: false }),
        "create",
        new AbortController().signal,
      ),
    );
    expect(result).toMatchObject({ status: "rejected", reason: { code: "unavailable" } });
    expect(calls).toHaveLength(1);
  });

  it("stops at once on an error that is not retryable", async () => {
    const { dial, calls } = scriptedDial(new ZerobusError("not_found", "no such table"), "never reached");
    const result = await settle(
      connectWithRetries(dial, newEpisode(), options(), "create", new AbortController().signal),
    );
    expect(result).toMatchObject({ status: "rejected", reason: { code: "not_found" } });
    expect(calls).toHaveLength(1);
  });

  it("waits before the first attempt unless it may go at once and the episode made none yet", async () => {
    const late = scriptedDial("connection");
    const start = Date.now();
    await settle(
      connectWithRetries(late.dial, newEpisode(), options(), "recovery", new AbortController().signal, false),
    );
    expect(late.calls.map(({ at }) => at - start)).toEqual([1000]);

    const spent = scriptedDial("connection");
    const episode = { attempts: 2, waits: 2, refreshUsed: false, dials: 2 };
    const again = Date.now();
    await settle(
      connectWithRetries(spent.dial, episode, options(), "recovery", new AbortController().signal),
    );
    expect(spent.calls.map(({ at }) => at - again)).toEqual([4000]);
    expect(episode).toEqual({ attempts: 3, waits: 3, refreshUsed: false, dials: 3 });
  });

  it("answers the first UNAUTHENTICATED with one immediate attempt for fresh credentials, outside the budget", async () => {
    const { dial, calls } = scriptedDial(unauthenticated(), "connection");
    const episode = newEpisode();
    const result = await settle(
      connectWithRetries(
        dial,
        episode,
        options({ recoveryRetries: 0 }),
        "create",
        new AbortController().signal,
      ),
    );
    expect(result).toEqual({ status: "fulfilled", value: "connection" });
    expect(calls.map(({ reason, at }) => [reason, at - calls[0]!.at])).toEqual([
      ["create", 0],
      ["unauthenticated", 0],
    ]);
    expect(episode).toEqual({ attempts: 1, waits: 0, refreshUsed: true, dials: 2 });
  });

  it("fails on a second UNAUTHENTICATED in the same episode, not retryable", async () => {
    const { dial, calls } = scriptedDial(unauthenticated(), unauthenticated(), "never reached");
    const result = await settle(
      connectWithRetries(dial, newEpisode(), options(), "create", new AbortController().signal),
    );
    expect(result).toMatchObject({
      status: "rejected",
      reason: { code: "unauthenticated", retryable: false },
    });
    expect(calls.map(({ reason }) => reason)).toEqual(["create", "unauthenticated"]);
  });

  it("retries a refresh that failed otherwise with reason recovery", async () => {
    const { dial, calls } = scriptedDial(unavailable(), "connection");
    const episode = { attempts: 0, waits: 0, refreshUsed: true, dials: 0 };
    await settle(
      connectWithRetries(dial, episode, options(), "unauthenticated", new AbortController().signal, false),
    );
    expect(calls.map(({ reason, at }) => [reason, at - calls[0]!.at])).toEqual([
      ["unauthenticated", 0],
      ["recovery", 1000],
    ]);
    expect(episode.attempts).toBe(1);
  });

  it("gives up during a delay when its signal fires, with the signal's own error", async () => {
    const { dial, calls } = scriptedDial(unavailable(), "never reached");
    const lifetime = new AbortController();
    const result = Promise.allSettled([
      connectWithRetries(dial, newEpisode(), options(), "recovery", lifetime.signal),
    ]).then(([outcome]) => outcome);
    await vi.advanceTimersByTimeAsync(500);
    lifetime.abort(new ZerobusError("stream_closed", "the stream was closed", { retryable: false }));
    expect(await result).toMatchObject({ status: "rejected", reason: { code: "stream_closed" } });
    expect(calls).toHaveLength(1);
  });

  it("reports a signal without a ZerobusError as cancelled, whatever the attempt failed with", async () => {
    const caller = new AbortController();
    const dial: Dial<string> = async () => {
      caller.abort();
      throw unavailable();
    };
    const result = await settle(connectWithRetries(dial, newEpisode(), options(), "create", caller.signal));
    expect(result).toMatchObject({
      status: "rejected",
      reason: { code: "cancelled", retryable: false, rawMessage: "stream creation was cancelled" },
    });
  });
});
