import type { ZerobusSdk } from "@zerobus/sdk";
import type { Timing } from "../timing.js";
import type { Workload } from "../workload.js";
import { runSdkStrings } from "./sdk-strings.js";
import type { BenchBackend } from "./stream.js";
import type { BenchTarget } from "./target.js";
import { ClientUnavailable } from "./target.js";

/** The environment variable naming the base build's `@zerobus/sdk` entry (a file URL), set by `--telemetry`. */
export const BASE_SDK_ENV = "ZEROBUS_BENCH_BASE_SDK";

let providers:
  | Promise<Awaited<ReturnType<typeof import("./otel-providers.js").benchOtelProviders>>>
  | undefined;

/**
 * `sdk-js-otel` / `sdk-native-otel` (W7): the SDK client with `telemetry` on, through OpenTelemetry SDK
 * providers made once per client process (as an application makes them once), loaded only by these clients.
 */
export async function runSdkWithTelemetry(
  backend: BenchBackend,
  target: BenchTarget,
  workload: Workload,
): Promise<Timing> {
  providers ??= import("./otel-providers.js").then(({ benchOtelProviders }) => benchOtelProviders());
  const { telemetry } = await providers;
  return runSdkStrings(backend, target, workload, { options: { telemetry } });
}

let baseSdk: Promise<typeof ZerobusSdk> | undefined;

/** `sdk-js-base` / `sdk-native-base` (W7): the SDK client as built from the commit before issue 18. */
export async function runSdkOfBase(
  backend: BenchBackend,
  target: BenchTarget,
  workload: Workload,
): Promise<Timing> {
  const entry = process.env[BASE_SDK_ENV];
  if (entry === undefined) throw new ClientUnavailable(`no base build (${BASE_SDK_ENV} is not set)`);
  baseSdk ??= import(entry).then((module: { ZerobusSdk: typeof ZerobusSdk }) => module.ZerobusSdk);
  return runSdkStrings(backend, target, workload, { Sdk: await baseSdk });
}
