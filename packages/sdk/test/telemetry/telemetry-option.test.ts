// The constructor's `telemetry` option: what it accepts and how it refuses the rest (synchronously, before
// anything of OpenTelemetry is imported).
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { isZerobusError, ZerobusSdk } from "@zerobus/sdk";
import { describe, expect, it } from "vitest";

const endpoint = "http://127.0.0.1:9";

function refusal(telemetry: unknown): string {
  try {
    new ZerobusSdk(endpoint, undefined, { allowInsecure: true, backend: "js", telemetry } as never);
  } catch (error) {
    if (isZerobusError(error) && error.code === "invalid_argument") return error.rawMessage;
    throw error;
  }
  throw new Error(`telemetry ${String(telemetry)} was accepted`);
}

describe("the telemetry option", () => {
  it("accepts true, false, {} and real providers", async () => {
    const providers = { meterProvider: new MeterProvider(), tracerProvider: new BasicTracerProvider() };
    for (const telemetry of [true, false, {}, providers, { meterProvider: providers.meterProvider }]) {
      const sdk = new ZerobusSdk(endpoint, undefined, { allowInsecure: true, backend: "js", telemetry });
      await sdk.close();
    }
  });

  it("refuses anything else, naming what is wrong", () => {
    expect(refusal("yes")).toBe(
      "option telemetry must be true or { meterProvider?, tracerProvider? }, got string",
    );
    expect(refusal(null)).toBe(
      "option telemetry must be true or { meterProvider?, tracerProvider? }, got null",
    );
    expect(refusal([])).toBe(
      "option telemetry must be true or { meterProvider?, tracerProvider? }, got an array",
    );
    expect(refusal({ meterprovider: {} })).toBe(
      "unknown option telemetry.meterprovider (known: meterProvider, tracerProvider)",
    );
    expect(refusal({ meterProvider: new BasicTracerProvider() })).toBe(
      "option telemetry.meterProvider must be a MeterProvider of @opentelemetry/api (an object with getMeter()), got an object without it",
    );
    expect(refusal({ tracerProvider: new MeterProvider() })).toBe(
      "option telemetry.tracerProvider must be a TracerProvider of @opentelemetry/api (an object with getTracer()), got an object without it",
    );
    expect(refusal({ tracerProvider: 1 })).toMatch(
      /^option telemetry\.tracerProvider must be .* got number$/,
    );
  });
});
