import { afterEach, describe, expect, it, vi } from "vitest";
import { ZerobusError } from "../zerobus-error.js";
import { abortError, sleep } from "./cancellation.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("abortError", () => {
  it("is the signal's own ZerobusError when it carries one", () => {
    const deadline = new ZerobusError("deadline_exceeded", "too slow", { retryable: true });
    expect(abortError(AbortSignal.abort(deadline), "stream creation")).toBe(deadline);
  });

  it("is cancelled, not retryable, with the signal's reason as cause otherwise", () => {
    const signal = AbortSignal.abort();
    const error = abortError(signal, "stream creation");
    expect(error).toMatchObject({
      code: "cancelled",
      retryable: false,
      rawMessage: "stream creation was cancelled",
    });
    expect(error.cause).toBe(signal.reason);
  });
});

describe("sleep", () => {
  it("resolves after its delay and stops listening to the signal", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, "removeEventListener");
    let done = false;
    const waited = sleep(1000, controller.signal, () => "aborted").then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waited;
    expect(remove).toHaveBeenCalledOnce();
  });

  it("rejects with the given error when the signal fires, and clears its timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const controller = new AbortController();
    const waited = sleep(1000, controller.signal, () => "aborted");
    controller.abort();
    await expect(waited).rejects.toBe("aborted");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects at once on a signal that already fired", async () => {
    await expect(sleep(1000, AbortSignal.abort(), () => "aborted")).rejects.toBe("aborted");
  });
});
