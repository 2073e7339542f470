// In-memory OpenTelemetry for the telemetry tests: a MeterProvider whose reader is collected on demand, a
// tracer provider that keeps finished spans, and the AsyncLocalStorage context manager (registered once,
// globally, as an application would: the recorder reads the caller's context through the API).
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import type { DataPoint, Histogram, MetricData } from "@opentelemetry/sdk-metrics";
import { DataPointType, MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

/** A reader that exports nothing by itself: the test calls `collect()`. */
class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

let contextManagerSet = false;

/** Registers the AsyncLocalStorage context manager once for the test process. */
export function useAsyncContext(): void {
  if (contextManagerSet) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerSet = true;
}

/** A point of a metric: its attributes and value (a number, or a histogram). */
export interface Point<V = number> {
  attributes: Record<string, unknown>;
  value: V;
}

export interface OtelHarness {
  meterProvider: MeterProvider;
  tracerProvider: BasicTracerProvider;
  spans(): ReadableSpan[];
  /** Collects every metric now. */
  collect(): Promise<Map<string, MetricData>>;
  /** The points of one metric (none when it recorded nothing). */
  points(metrics: Map<string, MetricData>, name: string): Point[];
  histogramPoints(metrics: Map<string, MetricData>, name: string): Point<Histogram>[];
  shutdown(): Promise<void>;
}

export function otelHarness(): OtelHarness {
  useAsyncContext();
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const data = (metrics: Map<string, MetricData>, name: string): DataPoint<unknown>[] =>
    (metrics.get(name)?.dataPoints ?? []) as DataPoint<unknown>[];
  return {
    meterProvider,
    tracerProvider,
    spans: () => exporter.getFinishedSpans(),
    async collect() {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw errors[0];
      const byName = new Map<string, MetricData>();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
      }
      return byName;
    },
    points(metrics, name) {
      const metric = metrics.get(name);
      if (metric !== undefined && metric.dataPointType === DataPointType.HISTOGRAM) {
        throw new Error(`${name} is a histogram`);
      }
      return data(metrics, name).map((p) => ({ attributes: { ...p.attributes }, value: p.value as number }));
    },
    histogramPoints(metrics, name) {
      return data(metrics, name).map((p) => ({
        attributes: { ...p.attributes },
        value: p.value as Histogram,
      }));
    },
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

/** The sum of a metric's points whose attributes include `match`. */
export function sumOf(points: Point[], match: Record<string, unknown> = {}): number {
  return points
    .filter((p) => Object.entries(match).every(([key, value]) => p.attributes[key] === value))
    .reduce((sum, p) => sum + p.value, 0);
}
