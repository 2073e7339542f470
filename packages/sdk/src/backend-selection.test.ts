import { ZerobusError } from "@zerobus/core";
import { describe, expect, it } from "vitest";
import { nativeUnavailableReason, selectBackend } from "./backend-selection.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe("backendReason when native is unavailable", () => {
  it("names the missing platform package and says js is in use", () => {
    // What backend-native's loadNative throws on a linux-x64 glibc machine without its platform package
    // (pinned by backend-native's platform-package.test.ts, from the generated loader's real errors).
    const error = new ZerobusError(
      "native_unavailable",
      "the native binary for linux-x64-gnu is not installed: the optional dependency " +
        "@zerobus/backend-native-linux-x64-gnu is missing (installed with optional dependencies omitted, " +
        "or from a lockfile made on another platform: reinstall with optional dependencies)",
    );
    const reason = nativeUnavailableReason(error);
    expect(reason).toMatch(/^native unavailable, using the js backend: the native binary for linux-x64-gnu/);
    expect(reason).toContain("@zerobus/backend-native-linux-x64-gnu is missing");
    expect(reason).not.toMatch(/cargo|\[native_unavailable\]/);
  });

  it("keeps any other error's message", () => {
    expect(nativeUnavailableReason(new ZerobusError("native_unavailable", "x"))).toBe(
      "native unavailable, using the js backend: x",
    );
    expect(nativeUnavailableReason("boom")).toBe("native unavailable, using the js backend: boom");
  });

  it("js is chosen without trying native when asked for", () => {
    expect(selectBackend("js", silent).reason).toBe("requested");
  });
});
