import { describe, expect, it } from "vitest";
import type { HeadersContext } from "../../headers.js";
import { testHeadersContext as context } from "../../test-support/headers-context.js";
import { isZerobusError } from "../../zerobus-error.js";
import { DEFAULT_REFRESH_BEFORE_MS, memoize } from "./memoize.js";

/** A source counting its calls; each call yields `token-<n>` valid for `lifetimeMs` from the clock. */
function countingSource(clock: { now: number }, lifetimeMs: number | undefined) {
  const calls: HeadersContext[] = [];
  const source = async (ctx: HeadersContext) => {
    calls.push(ctx);
    return {
      token: `token-${calls.length}`,
      ...(lifetimeMs === undefined ? {} : { expiresAt: clock.now + lifetimeMs }),
    };
  };
  return { calls, source };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const hour = 3_600_000;

/** A credential without an expiry (weak types need one shared property to infer from). */
type TokenOnly = { token: string; expiresAt?: number };

describe("memoize", () => {
  it("reuses a credential until 5 minutes before it expires, then refreshes", async () => {
    const clock = { now: 1_000_000 };
    const { calls, source } = countingSource(clock, hour);
    const get = memoize(source, { now: () => clock.now });

    expect((await get(context())).token).toBe("token-1");
    clock.now += hour - DEFAULT_REFRESH_BEFORE_MS - 1;
    expect((await get(context())).token).toBe("token-1");
    clock.now += 1;
    expect((await get(context())).token).toBe("token-2");
    expect(calls).toHaveLength(2);
  });

  it("honours a custom refreshBeforeMs", async () => {
    const clock = { now: 0 };
    const { source } = countingSource(clock, hour);
    const get = memoize(source, { now: () => clock.now, refreshBeforeMs: 1_000 });
    await get(context());
    clock.now = hour - 1_001;
    expect((await get(context())).token).toBe("token-1");
    clock.now = hour - 1_000;
    expect((await get(context())).token).toBe("token-2");
  });

  it("reuses a credential shorter-lived than the refresh margin for half its lifetime", async () => {
    const clock = { now: 0 };
    const { source } = countingSource(clock, 60_000);
    const get = memoize(source, { now: () => clock.now });
    await get(context());
    clock.now = 29_999;
    expect((await get(context())).token).toBe("token-1");
    clock.now = 30_000;
    expect((await get(context())).token).toBe("token-2");
  });

  it("keeps a credential without expiresAt until the server rejects it", async () => {
    const clock = { now: 0 };
    const { source } = countingSource(clock, undefined);
    const get = memoize(source, { now: () => clock.now });
    await get(context());
    clock.now = 10 * 365 * 24 * hour;
    expect((await get(context())).token).toBe("token-1");
    expect((await get(context({ reason: "unauthenticated" }))).token).toBe("token-2");
  });

  it("caches per table by default, and per cacheKey when given", async () => {
    const clock = { now: 0 };
    const perTable = countingSource(clock, hour);
    const get = memoize(perTable.source, { now: () => clock.now });
    expect((await get(context({ tableName: "a.b.c" }))).token).toBe("token-1");
    expect((await get(context({ tableName: "a.b.d" }))).token).toBe("token-2");
    expect((await get(context({ tableName: "a.b.c" }))).token).toBe("token-1");

    const shared = countingSource(clock, hour);
    const getShared = memoize(shared.source, { now: () => clock.now, cacheKey: () => "all" });
    await getShared(context({ tableName: "a.b.c" }));
    expect((await getShared(context({ tableName: "a.b.d" }))).token).toBe("token-1");
  });

  it("bypasses the cache for reason unauthenticated and caches the fresh credential", async () => {
    const clock = { now: 0 };
    const { calls, source } = countingSource(clock, hour);
    const get = memoize(source, { now: () => clock.now });
    await get(context());
    expect((await get(context({ reason: "recovery" }))).token).toBe("token-1");
    expect((await get(context({ reason: "unauthenticated" }))).token).toBe("token-2");
    expect((await get(context())).token).toBe("token-2");
    expect(calls.map((c) => c.reason)).toEqual(["create", "unauthenticated"]);
  });

  it("shares one refresh between concurrent callers", async () => {
    const gate = deferred<{ token: string; expiresAt: number }>();
    let calls = 0;
    const get = memoize(async () => {
      calls++;
      return gate.promise;
    });
    const waiting = Array.from({ length: 10 }, () => get(context()));
    const forced = get(context({ reason: "unauthenticated" }));
    await Promise.resolve();
    expect(calls).toBe(1);
    gate.resolve({ token: "shared", expiresAt: Date.now() + hour });
    const results = await Promise.all([...waiting, forced]);
    expect(results.map((r) => r.token)).toEqual(Array(11).fill("shared"));
    expect(calls).toBe(1);
  });

  it("does not cache a failure: every waiter gets it, the next call tries again", async () => {
    let calls = 0;
    const failure = new Error("endpoint down");
    const get = memoize<TokenOnly>(async () => {
      calls++;
      if (calls === 1) throw failure;
      return { token: "ok" };
    });
    const results = await Promise.allSettled([get(context()), get(context())]);
    expect(results).toEqual([
      { status: "rejected", reason: failure },
      { status: "rejected", reason: failure },
    ]);
    expect((await get(context())).token).toBe("ok");
    expect(calls).toBe(2);
  });

  it("abandons only the aborted caller's wait while others still wait", async () => {
    const gate = deferred<{ token: string }>();
    let sourceSignal: AbortSignal | undefined;
    const get = memoize<TokenOnly>(async (ctx) => {
      sourceSignal = ctx.signal;
      return gate.promise;
    });
    const first = new AbortController();
    const abandoned = get(context({ signal: first.signal }));
    const staying = get(context());
    first.abort(new Error("caller gave up"));
    const error = await abandoned.catch((e: unknown) => e);
    expect(isZerobusError(error) && error.code).toBe("cancelled");
    expect(isZerobusError(error) && error.retryable).toBe(false);
    expect(sourceSignal?.aborted).toBe(false);
    gate.resolve({ token: "late" });
    expect((await staying).token).toBe("late");
  });

  it("starts afresh for a caller that comes right after everyone gave up, before the abandoned request ends", async () => {
    let calls = 0;
    const get = memoize<TokenOnly>((ctx) => {
      calls++;
      if (calls > 1) return Promise.resolve({ token: "fresh" });
      // A request that takes a while to wind down once aborted (a socket closing, say).
      return new Promise((_, reject) =>
        ctx.signal.addEventListener("abort", () => setTimeout(() => reject(ctx.signal.reason), 10)),
      );
    });
    const first = new AbortController();
    const abandoned = get(context({ signal: first.signal })).catch((e: unknown) => e);
    first.abort();
    expect(await get(context())).toEqual({ token: "fresh" });
    const error = await abandoned;
    expect(isZerobusError(error) && error.code).toBe("cancelled");
    // The abandoned request's end does not disturb the fresh one's cached credential.
    expect(await get(context())).toEqual({ token: "fresh" });
    expect(calls).toBe(2);
  });

  it("aborts the shared refresh once every caller has given up", async () => {
    let sourceSignal: AbortSignal | undefined;
    const get = memoize<TokenOnly>((ctx) => {
      sourceSignal = ctx.signal;
      return new Promise<{ token: string }>((_, reject) => {
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason));
      });
    });
    const a = new AbortController();
    const b = new AbortController();
    const pending = [get(context({ signal: a.signal })), get(context({ signal: b.signal }))];
    a.abort();
    expect(sourceSignal?.aborted).toBe(false);
    b.abort();
    expect(sourceSignal?.aborted).toBe(true);
    for (const result of await Promise.allSettled(pending)) {
      expect(result.status).toBe("rejected");
    }
  });

  it("refuses an already-aborted signal without calling the source", async () => {
    let calls = 0;
    const get = memoize<TokenOnly>(async () => {
      calls++;
      return { token: "never" };
    });
    await expect(get(context({ signal: AbortSignal.abort() }))).rejects.toMatchObject({ code: "cancelled" });
    expect(calls).toBe(0);
  });

  it("refuses a bad refreshBeforeMs", () => {
    expect(() => memoize(async () => ({}), { refreshBeforeMs: -1 })).toThrow(/refreshBeforeMs/);
  });
});
