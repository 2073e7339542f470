import type { MeterProvider } from "@opentelemetry/sdk-metrics";

/** The run's metrics: a meter provider for the SDK's `telemetry` option, printed once at the end. */
export interface RunMetrics {
  readonly meterProvider: MeterProvider;
  /** Exports every metric once to the console, then shuts the provider down. */
  print(): Promise<void>;
}

/**
 * A `MeterProvider` whose reader exports to `ConsoleMetricExporter` only when {@link RunMetrics.print} shuts
 * it down (its interval is as long as a timer goes, so nothing prints over the progress bar). Imported
 * dynamically by `--otel`: without it the demo loads nothing of OpenTelemetry, as the SDK does.
 */
export async function startRunMetrics(): Promise<RunMetrics> {
  const { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } = await import(
    "@opentelemetry/sdk-metrics"
  );
  const reader = new PeriodicExportingMetricReader({
    exporter: new ConsoleMetricExporter(),
    exportIntervalMillis: 2 ** 31 - 1,
    exportTimeoutMillis: 30_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    meterProvider,
    async print() {
      console.log("\nOpenTelemetry metrics of this run (ConsoleMetricExporter):");
      await meterProvider.shutdown();
    },
  };
}
