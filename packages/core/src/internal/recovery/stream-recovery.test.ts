import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HeadersReason } from "../../headers.js";
import type { StreamOptions } from "../../stream-options.js";
import { resolveStreamOptions } from "../../stream-options.js";
import { ZerobusError } from "../../zerobus-error.js";
import { StreamEngine } from "../stream-engine.js";
import { StreamRecovery } from "./stream-recovery.js";

/**
 * The recovery decisions over fake connections (no sockets): what a real server does to them is the
 * conformance suite's to check.
 */
class FakeConnection {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

const unavailable = () => new ZerobusError("unavailable", "the connection broke");
const unauthenticated = () => new ZerobusError("unauthenticated", "the token expired");

/** A stream's side of the recovery: an engine, a lifetime, a dial that connects unless told otherwise. */
function harness(overrides: StreamOptions = {}) {
  const options = resolveStreamOptions(
    { recoveryBackoffMs: 1000, recoveryBackoffMaxMs: 30_000, recoveryRetries: 2, ...overrides },
    { hasDescriptor: false },
  );
  const engine = new StreamEngine({ options });
  const lifetime = new AbortController();
  const reasons: HeadersReason[] = [];
  const installed: FakeConnection[] = [];
  const failures: ZerobusError[] = [];
  let connect = async () => new FakeConnection();
  const recovery = new StreamRecovery<FakeConnection>(engine, lifetime.signal, {
    dial: (reason) => {
      reasons.push(reason);
      return connect();
    },
    install: (connection) => installed.push(connection),
    fail: (error) => {
      failures.push(error);
      lifetime.abort(error);
      engine.fail(error);
    },
  });
  /** Sends every queued request on the current connection; returns the last wire offset. */
  function sendAll(): number | undefined {
    let last: number | undefined;
    for (let request = engine.nextRequest(); request; request = engine.nextRequest())
      last = request.wireOffset;
    return last;
  }
  return {
    engine,
    recovery,
    reasons,
    installed,
    failures,
    /** Makes every later attempt end as `attempt` does. */
    dialWith(attempt: () => Promise<FakeConnection>) {
      connect = attempt;
    },
    sendAll,
    /** Sends what is queued and acknowledges it all, as the stream does on an ack that advanced. */
    ackAll() {
      const last = sendAll();
      expect(last).toBeDefined();
      expect(engine.acknowledge(last as number)).toBeUndefined();
      recovery.onProgress();
    },
  };
}

/** Lets microtasks run and `ms` of (fake) time pass. */
const pass = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  vi.spyOn(Math, "random").mockReturnValue(0.5); // no jitter: delays of exactly 1000, 2000, 4000 ms
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("StreamRecovery", () => {
  it("opens with a fresh budget, at once, and installs the connection", async () => {
    const h = harness();
    await h.recovery.open(new AbortController().signal);
    expect(h.reasons).toEqual(["create"]);
    expect(h.installed).toHaveLength(1);
    expect(h.engine.stats()).toMatchObject({ connections: 1, recoveries: 0 });
  });

  it("fails the stream after 1 + recoveryRetries connections that each broke before an ack", async () => {
    const h = harness({ recoveryRetries: 2 });
    await h.recovery.open(new AbortController().signal);
    await h.engine.ingestRecord("{}");
    for (let attempt = 1; attempt <= 3; attempt++) {
      h.sendAll();
      h.recovery.onBreak(unavailable());
      expect(h.engine.state).toBe("recovering");
      await pass(60_000);
      expect(h.installed).toHaveLength(1 + attempt);
    }
    const last = unavailable();
    h.recovery.onBreak(last);
    expect(h.failures).toEqual([last]);
    expect(h.reasons).toEqual(["create", "recovery", "recovery", "recovery"]);
    expect(h.engine.stats()).toMatchObject({ connections: 4, recoveries: 0 });
    expect(h.engine.getUnackedRecords()).toEqual(["{}"]);
  });

  it("confirms a recovery with re-sent records on its first ack, which restores the budget", async () => {
    const h = harness({ recoveryRetries: 1 });
    await h.recovery.open(new AbortController().signal);
    await h.engine.ingestRecord("{}");
    h.sendAll();
    h.recovery.onBreak(unavailable());
    await pass(60_000);
    expect(h.engine.state).toBe("recovering");
    h.ackAll();
    expect(h.engine.state).toBe("open");
    expect(h.engine.stats().recoveries).toBe(1);
    // Without the restore, the next drop would have been the episode's last allowed attempt.
    await h.engine.ingestRecord("{}");
    for (let attempt = 1; attempt <= 2; attempt++) {
      h.sendAll();
      h.recovery.onBreak(unavailable());
      await pass(60_000);
    }
    expect(h.failures).toEqual([]);
    expect(h.installed).toHaveLength(4);
    h.recovery.onBreak(unavailable());
    expect(h.failures).toHaveLength(1);
  });

  it("answers the first UNAUTHENTICATED of an episode at once with fresh credentials, outside the budget", async () => {
    const h = harness({ recoveryRetries: 1 });
    await h.recovery.open(new AbortController().signal);
    await h.engine.ingestRecord("{}");
    h.sendAll();
    h.recovery.onBreak(unauthenticated());
    await pass();
    expect(h.reasons).toEqual(["create", "unauthenticated"]);
    // The budget is still whole: two attempts for the same episode.
    for (let attempt = 1; attempt <= 2; attempt++) {
      h.sendAll();
      h.recovery.onBreak(unavailable());
      await pass(60_000);
    }
    expect(h.reasons).toEqual(["create", "unauthenticated", "recovery", "recovery"]);
    expect(h.failures).toEqual([]);
    h.recovery.onBreak(unavailable());
    expect(h.failures).toHaveLength(1);
  });

  it("fails on a second UNAUTHENTICATED before any ack, and allows one again after progress", async () => {
    const again = harness();
    await again.recovery.open(new AbortController().signal);
    await again.engine.ingestRecord("{}");
    again.sendAll();
    again.recovery.onBreak(unauthenticated());
    await pass();
    again.ackAll();
    await again.engine.ingestRecord("{}");
    again.sendAll();
    again.recovery.onBreak(unauthenticated());
    await pass();
    expect(again.reasons).toEqual(["create", "unauthenticated", "unauthenticated"]);
    expect(again.failures).toEqual([]);

    const twice = harness();
    await twice.recovery.open(new AbortController().signal);
    await twice.engine.ingestRecord("{}");
    twice.sendAll();
    twice.recovery.onBreak(unauthenticated());
    await pass();
    const second = unauthenticated();
    twice.recovery.onBreak(second);
    expect(twice.failures).toEqual([second]);
    expect(twice.reasons).toEqual(["create", "unauthenticated"]);
  });

  it("fails at once on an error that is not retryable, or with recovery off", async () => {
    const h = harness();
    await h.recovery.open(new AbortController().signal);
    const notFound = new ZerobusError("not_found", "the table is gone");
    h.recovery.onBreak(notFound);
    expect(h.failures).toEqual([notFound]);

    const off = harness({ recovery: false });
    await off.recovery.open(new AbortController().signal);
    const error = unavailable();
    off.recovery.onBreak(error);
    expect(off.failures).toEqual([error]);
    expect(off.reasons).toEqual(["create"]);
  });

  it("reconnects at once after a connection that lived recoveryBackoffMs, else after a delay", async () => {
    const h = harness();
    await h.recovery.open(new AbortController().signal);
    await pass(1000);
    h.recovery.onBreak(unavailable());
    await pass();
    expect(h.installed).toHaveLength(2);

    await pass(999);
    h.recovery.reconnect();
    await pass(999);
    expect(h.installed).toHaveLength(2);
    await pass(1);
    expect(h.installed).toHaveLength(3);
  });

  it("counts a recovery with nothing to re-send at once, but keeps its budget while on probation", async () => {
    const h = harness({ recoveryRetries: 1 });
    await h.recovery.open(new AbortController().signal);
    h.recovery.onBreak(unavailable());
    await pass(1000);
    expect(h.engine.state).toBe("open");
    expect(h.engine.stats().recoveries).toBe(1);
    // Dropped again within recoveryBackoffMs: the same episode, its second and last attempt.
    h.recovery.onBreak(unavailable());
    await pass(2000);
    expect(h.engine.stats().recoveries).toBe(2);
    h.recovery.onBreak(unavailable());
    expect(h.failures).toHaveLength(1);
  });

  it("gives a connection that outlived its probation a fresh budget", async () => {
    const h = harness({ recoveryRetries: 1 });
    await h.recovery.open(new AbortController().signal);
    h.recovery.onBreak(unavailable());
    await pass(1000);
    h.recovery.onBreak(unavailable());
    await pass(2000);
    await pass(1000);
    h.recovery.onBreak(unavailable());
    await pass();
    expect(h.installed).toHaveLength(4);
    expect(h.failures).toEqual([]);
  });

  it("leaves a stream that a close signal paused, or that is closing, in that state when it recovers", async () => {
    const h = harness();
    await h.recovery.open(new AbortController().signal);
    await h.engine.ingestRecord("{}");
    h.sendAll();
    h.recovery.onBreak(unavailable());
    await pass(60_000);
    h.engine.setState("paused");
    h.ackAll();
    expect(h.engine.state).toBe("paused");
    expect(h.engine.stats().recoveries).toBe(1);

    const closing = harness();
    await closing.recovery.open(new AbortController().signal);
    closing.engine.setState("closing");
    closing.recovery.onBreak(unavailable());
    expect(closing.engine.state).toBe("closing");
    await pass(60_000);
    expect(closing.engine.state).toBe("closing");
    expect(closing.engine.stats().recoveries).toBe(1);
  });

  it("closes a connection that arrives after the stream ended, and ignores breaks once it has", async () => {
    const h = harness();
    await h.recovery.open(new AbortController().signal);
    let connect: (connection: FakeConnection) => void = () => {};
    const held = new Promise<FakeConnection>((resolve) => {
      connect = resolve;
    });
    h.dialWith(() => held);
    await pass(1000);
    h.recovery.onBreak(unavailable());
    await pass();
    expect(h.reasons).toEqual(["create", "recovery"]);
    const error = new ZerobusError("stream_closed", "the backend was closed", { retryable: false });
    h.engine.fail(error);
    const late = new FakeConnection();
    connect(late);
    await pass();
    expect(late.closed).toBe(true);
    expect(h.installed).toHaveLength(1);
    h.recovery.onBreak(unavailable());
    expect(h.failures).toEqual([]);
  });

  it("fails the stream with the error of a recovery that ran out of attempts", async () => {
    const h = harness({ recoveryRetries: 1 });
    await h.recovery.open(new AbortController().signal);
    h.dialWith(() => Promise.reject(new ZerobusError("unavailable", "still down")));
    h.recovery.onBreak(unavailable());
    await pass(60_000);
    expect(h.failures).toMatchObject([{ code: "unavailable", rawMessage: "still down" }]);
    expect(h.reasons).toEqual(["create", "recovery", "recovery"]);
  });
});
