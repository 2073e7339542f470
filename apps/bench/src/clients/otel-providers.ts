import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";

/**
 * OpenTelemetry SDK providers as an application would run them, for the `-otel` bench clients (W7): a
 * meter provider whose reader exports every 10 s (collection cost lands in the run like in production,
 * without a network exporter's noise) and a tracer provider sampling every span into a batch processor.
 * In-memory exporters: what is measured is the SDK's instrumentation, not an exporter's I/O.
 */
export function benchOtelProviders() {
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
        exportIntervalMillis: 10_000,
      }),
    ],
  });
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new InMemorySpanExporter())],
  });
  return {
    telemetry: { meterProvider, tracerProvider },
    shutdown: () => Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]),
  };
}
