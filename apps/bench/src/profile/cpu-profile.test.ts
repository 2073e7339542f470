import { describe, expect, it } from "vitest";
import type { CpuProfile, CpuProfileNode } from "./cpu-profile.js";
import { groupOf, shortPath, summariseProfile } from "./cpu-profile.js";

const core = "file:///repo/packages/core/dist/internal/stream-engine.js";
const native = "file:///repo/packages/backend-native/dist/native-connection.js";

function node(id: number, functionName: string, url: string, lineNumber: number, children: number[] = []) {
  return { id, callFrame: { functionName, url, lineNumber, columnNumber: 0 }, children } as CpuProfileNode;
}

/**
 * (root) → ingestRecord (core) → byteLength (node) → a native frame; (root) → send (backend-native) → a
 * napi frame; plus GC, idle and (program). Samples every 100 µs, one gap of 2 ms.
 */
const nodes = [
  node(1, "(root)", "", -1, [2, 5, 7, 8, 9]),
  node(2, "ingestRecord", core, 9, [3]),
  node(3, "byteLength", "node:buffer", 769, [4]),
  node(4, "", "", -1),
  node(5, "send", native, 92, [6]),
  node(6, "allocatorPeakBytes", "", -1),
  node(7, "(garbage collector)", "", -1),
  node(8, "(idle)", "", -1),
  node(9, "(program)", "", -1),
];

function profile(samples: number[], deltas: number[]): CpuProfile {
  const startTime = 1_000_000;
  const endTime = startTime + deltas.reduce((sum, delta) => sum + delta, 0) + 100;
  return { nodes, startTime, endTime, samples, timeDeltas: deltas };
}

describe("summariseProfile", () => {
  // 10 samples: ingestRecord ×2, byteLength, its native ×2, send, napi ×2, GC, idle.
  const samples = [2, 2, 3, 4, 4, 5, 6, 6, 7, 8];
  const deltas = samples.map(() => 100);

  it("sums each function's self time and shares it out of the busy (not idle) time", () => {
    const summary = summariseProfile(profile(samples, deltas));
    expect(summary.samples).toBe(10);
    expect(summary.busySamples).toBe(9);
    expect(summary.idleMs).toBeCloseTo(0.1);
    expect(summary.busyMs).toBeCloseTo(0.9);
    const ingest = summary.functions.find((f) => f.name === "ingestRecord");
    expect(ingest).toMatchObject({
      location: "packages/core/dist/internal/stream-engine.js:10",
      group: "core internal",
      samples: 2,
    });
    expect(ingest?.ms).toBeCloseTo(0.2);
    expect(ingest?.percent).toBeCloseTo(100 * (2 / 9));
    expect(summary.functions.some((f) => f.name === "(idle)")).toBe(false);
  });

  it("names a native frame after its caller and groups the addon's apart from Node's", () => {
    const summary = summariseProfile(profile(samples, deltas));
    const napi = summary.functions.find((f) => f.name.startsWith("allocatorPeakBytes"));
    expect(napi).toMatchObject({
      name: "allocatorPeakBytes (native, from send)",
      group: "native addon (napi)",
      location: "packages/backend-native/dist/native-connection.js:93",
      samples: 2,
    });
    const utf8 = summary.functions.find((f) => f.name === "(anonymous) (native, from byteLength)");
    expect(utf8).toMatchObject({ group: "node internals", location: "node:buffer:770", samples: 2 });
    const groups = Object.fromEntries(summary.groups.map((g) => [g.group, g.samples]));
    expect(groups).toEqual({
      "core internal": 2,
      "node internals": 3,
      "backend-native (TS)": 1,
      "native addon (napi)": 2,
      GC: 1,
    });
    expect(summary.groups[0]?.group).toBe("node internals");
  });

  it("counts a sampler gap apart instead of giving it to the function sampled before it", () => {
    const gapped = deltas.slice();
    gapped[2] = 2100; // the sample after ingestRecord's second comes 2.1 ms late
    const summary = summariseProfile(profile(samples, gapped));
    const ingest = summary.functions.find((f) => f.name === "ingestRecord");
    expect(ingest?.ms).toBeCloseTo(0.5); // 0.1 + the cap of 4 median intervals
    expect(summary.gapMs).toBeCloseTo(1.7);
  });

  it("counts only the samples inside the given windows", () => {
    // Sample times: 1_000_100, 1_000_200, …; the window takes the 6th to the 8th (send and its napi call).
    const summary = summariseProfile(profile(samples, deltas), [{ fromUs: 1_000_600, toUs: 1_000_900 }]);
    expect(summary.samples).toBe(3);
    expect(summary.totalMs).toBeCloseTo(0.3);
    expect(summary.groups.map((g) => g.group).sort()).toEqual(["backend-native (TS)", "native addon (napi)"]);
  });

  it("falls back to hit counts for a profile without samples", () => {
    const counted = nodes.map((n) => ({ ...n, hitCount: n.id === 2 ? 3 : n.id === 8 ? 1 : 0 }));
    const summary = summariseProfile({ nodes: counted, startTime: 0, endTime: 400 });
    expect(summary.samples).toBe(4);
    expect(summary.functions).toEqual([
      expect.objectContaining({ name: "ingestRecord", samples: 3, percent: 100 }),
    ]);
    expect(summary.busyMs).toBeCloseTo(0.3);
  });
});

describe("groupOf and shortPath", () => {
  it("tells our packages, grpc-js and Node apart", () => {
    expect(
      groupOf(
        "f",
        "file:///w/node_modules/.pnpm/@grpc+grpc-js@1.14.3/node_modules/@grpc/grpc-js/build/src/call.js",
      ),
    ).toBe("grpc-js");
    expect(groupOf("f", "file:///w/packages/core/dist/zerobus-error.js")).toBe("core");
    expect(groupOf("f", "file:///w/packages/backend-js/dist/grpc-connection.js")).toBe("backend-js");
    expect(groupOf("f", "node:internal/streams/writable")).toBe("node internals");
    expect(groupOf("(program)", "")).toBe("program (no JS on stack)");
  });

  it("shortens paths to the package", () => {
    expect(shortPath("file:///w/packages/core/dist/internal/entry-ring.js")).toBe(
      "packages/core/dist/internal/entry-ring.js",
    );
    expect(shortPath("file:///w/node_modules/.pnpm/x/node_modules/@grpc/grpc-js/build/src/call.js")).toBe(
      "@grpc/grpc-js/build/src/call.js",
    );
    expect(shortPath("node:buffer")).toBe("node:buffer");
  });
});
