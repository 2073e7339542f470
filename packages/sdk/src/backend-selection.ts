import { createRequire } from "node:module";
import type { BackendCapabilities, CreateBackend, Logger } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import type { BackendChoice } from "./sdk-options.js";

/** The connection layer chosen by the constructor; its heavy modules load at the first stream. */
export interface SelectedBackend {
  readonly name: "native" | "js";
  /** Why this backend was chosen (for `auto`, why native was not). */
  readonly reason: string;
  /** The Part A behaviours the backend cannot give (empty for js). */
  readonly capabilities: BackendCapabilities;
  load(): Promise<CreateBackend>;
}

/** The shape `@zerobus/backend-native` exports; its loader is synchronous (a napi addon). */
interface NativeModule {
  createBackend: CreateBackend;
  nativeCapabilities: BackendCapabilities;
  /** Loads the addon, throwing `native_unavailable` with every load error in `cause`. */
  loadNative: () => unknown;
}

function loadNative(): NativeModule {
  let module: NativeModule;
  try {
    // Made here rather than when this module loads: a js-only SDK never needs it.
    module = createRequire(import.meta.url)("@zerobus/backend-native") as NativeModule;
  } catch (cause) {
    throw new ZerobusError(
      "native_unavailable",
      "the native backend @zerobus/backend-native is not installed or failed to load",
      {
        cause,
      },
    );
  }
  try {
    module.loadNative();
  } catch (cause) {
    throw cause instanceof ZerobusError && cause.code === "native_unavailable"
      ? cause
      : new ZerobusError("native_unavailable", "the native addon failed to load", { cause });
  }
  return module;
}

/**
 * `backendReason` when `auto` falls back: that js is in use and why native is not, in the words of
 * backend-native's load error (without its `[code]` prefix), which names the missing platform package.
 */
export function nativeUnavailableReason(error: unknown): string {
  const why =
    error instanceof ZerobusError ? error.rawMessage : error instanceof Error ? error.message : String(error);
  return `native unavailable, using the js backend: ${why}`;
}

function jsBackend(reason: string): SelectedBackend {
  // Loading starts now, not at the first createStream: grpc-js and this backend take about 150 ms to import
  // in a fresh process, which an application that builds its SDK at start-up no longer waits for later. A
  // failure is reported by the first createStream (which awaits this promise).
  const loading = import("@zerobus/backend-js").then((module) => module.createBackend);
  loading.catch(() => {});
  return {
    name: "js",
    reason,
    // backend-js gives every Part A behaviour; its conformance run and the SDK's test of this value pin it.
    capabilities: {},
    load: () => loading,
  };
}

/**
 * Picks the backend synchronously (ARCHITECTURE.md "Backend selection"): `native` loads the addon or throws
 * `native_unavailable`; `js` takes the pure-TypeScript backend; `auto` tries native and falls back to js,
 * logging why at debug level.
 */
export function selectBackend(choice: BackendChoice, logger: Logger): SelectedBackend {
  if (choice === "js") return jsBackend("requested");
  try {
    const native = loadNative();
    return {
      name: "native",
      reason: choice === "native" ? "requested" : "auto: the native addon loaded",
      capabilities: native.nativeCapabilities,
      load: async () => native.createBackend,
    };
  } catch (error) {
    if (choice === "native") throw error;
    const reason = nativeUnavailableReason(error);
    logger.debug("native backend unavailable, using js", { reason });
    return jsBackend(reason);
  }
}
