import type { MeterProvider, TracerProvider } from "@opentelemetry/api";
import type { StreamObserverFactory } from "../stream-observer.js";
import type { OtelApi } from "./otel-api.js";
import { OtelStreamObserver, spanAttributes } from "./otel-stream-observer.js";
import { StreamSpans } from "./stream-spans.js";
import type { TelemetryOption } from "./telemetry-option.js";
import { ZerobusInstruments } from "./zerobus-instruments.js";

/** The instrumentation scope of every meter and tracer: the package users install. */
export const INSTRUMENTATION_SCOPE = "@zerobus/sdk";

/** One instrument set per meter provider, whichever SDK instance (or `loadTelemetry` call) uses it. */
const instrumentsByProvider = new WeakMap<MeterProvider, ZerobusInstruments>();

function instrumentsOf(provider: MeterProvider): ZerobusInstruments {
  let instruments = instrumentsByProvider.get(provider);
  if (instruments === undefined) {
    instruments = new ZerobusInstruments(provider.getMeter(INSTRUMENTATION_SCOPE));
    instrumentsByProvider.set(provider, instruments);
  }
  return instruments;
}

/**
 * The OpenTelemetry recorder: a {@link StreamObserverFactory} whose observers record the metrics and spans
 * of README "Observability" into the option's providers (each one omitted, or `true`: the global one of
 * `@opentelemetry/api`, a no-op until the application registers one). Sampling and export are the
 * providers' business.
 */
export function createOtelRecorder(api: OtelApi, option: TelemetryOption): StreamObserverFactory {
  const given = option === true ? {} : option;
  const meterProvider = (given.meterProvider as MeterProvider | undefined) ?? api.metrics.getMeterProvider();
  const tracerProvider =
    (given.tracerProvider as TracerProvider | undefined) ?? api.trace.getTracerProvider();
  const instruments = instrumentsOf(meterProvider);
  const tracer = tracerProvider.getTracer(INSTRUMENTATION_SCOPE);
  return (stream) =>
    new OtelStreamObserver(instruments, new StreamSpans(api, tracer, spanAttributes(stream)), stream);
}
