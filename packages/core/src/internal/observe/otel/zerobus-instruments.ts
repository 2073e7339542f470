import type { Attributes, Counter, Histogram, Meter } from "@opentelemetry/api";
import type { StreamState } from "../../../wire-stream.js";
import { ATTR_STREAM_STATE } from "./attribute-names.js";
import { INSTRUMENTS, LATENCY_BUCKETS_S } from "./instrument-names.js";

/** What the observable instruments read of one live stream (updated by its observer). */
export interface StreamGauges {
  /** The stream's metric attributes. */
  readonly attributes: Attributes;
  state: StreamState;
  recordsInFlight: number;
  bytesInFlight: number;
}

/** One observation per attribute set: several streams with the same attributes add up. */
class Totals {
  /** Every attribute set observed once, so one whose streams are gone reports 0 rather than its last value. */
  readonly #seen = new Map<string, Attributes>();
  readonly #now = new Map<string, number>();

  add(attributes: Attributes, value: number): void {
    const key = JSON.stringify(attributes);
    if (!this.#seen.has(key)) this.#seen.set(key, attributes);
    this.#now.set(key, (this.#now.get(key) ?? 0) + value);
  }

  report(observe: (value: number, attributes: Attributes) => void): void {
    for (const [key, attributes] of this.#seen) observe(this.#now.get(key) ?? 0, attributes);
    this.#now.clear();
  }
}

/**
 * The instruments of one `Meter`, shared by every stream whose observer records into it (one set per meter
 * provider: two SDKs on one provider would otherwise each observe the same attribute sets, and an
 * asynchronous instrument keeps one value per attribute set).
 */
export class ZerobusInstruments {
  readonly recordsAccepted: Counter;
  readonly bytesAccepted: Counter;
  readonly recordsAcknowledged: Counter;
  readonly bytesAcknowledged: Counter;
  readonly recordsResent: Counter;
  readonly bytesResent: Counter;
  readonly refusals: Counter;
  readonly ackDuration: Histogram;
  readonly connectionAttempts: Counter;
  readonly recoveries: Counter;
  readonly closeSignals: Counter;
  readonly tokenFetches: Counter;
  readonly tokenFetchDuration: Histogram;
  readonly errors: Counter;
  /** Streams neither closed nor failed, read by the observable instruments at each collection. */
  readonly live = new Set<StreamGauges>();
  readonly #records = new Totals();
  readonly #bytes = new Totals();
  readonly #states = new Totals();

  constructor(meter: Meter) {
    const counter = (spec: { name: string; unit: string; description: string }) =>
      meter.createCounter(spec.name, { unit: spec.unit, description: spec.description });
    const histogram = (spec: { name: string; unit: string; description: string }) =>
      meter.createHistogram(spec.name, {
        unit: spec.unit,
        description: spec.description,
        advice: { explicitBucketBoundaries: LATENCY_BUCKETS_S },
      });
    const upDown = (spec: { name: string; unit: string; description: string }) =>
      meter.createObservableUpDownCounter(spec.name, { unit: spec.unit, description: spec.description });
    this.recordsAccepted = counter(INSTRUMENTS.recordsAccepted);
    this.bytesAccepted = counter(INSTRUMENTS.bytesAccepted);
    this.recordsAcknowledged = counter(INSTRUMENTS.recordsAcknowledged);
    this.bytesAcknowledged = counter(INSTRUMENTS.bytesAcknowledged);
    this.recordsResent = counter(INSTRUMENTS.recordsResent);
    this.bytesResent = counter(INSTRUMENTS.bytesResent);
    this.refusals = counter(INSTRUMENTS.refusals);
    this.ackDuration = histogram(INSTRUMENTS.ackDuration);
    this.connectionAttempts = counter(INSTRUMENTS.connectionAttempts);
    this.recoveries = counter(INSTRUMENTS.recoveries);
    this.closeSignals = counter(INSTRUMENTS.closeSignals);
    this.tokenFetches = counter(INSTRUMENTS.tokenFetches);
    this.tokenFetchDuration = histogram(INSTRUMENTS.tokenFetchDuration);
    this.errors = counter(INSTRUMENTS.errors);
    // Up-down counters, not gauges: records in flight and streams add up across streams and processes
    // (OpenTelemetry's guidance for additive values); Prometheus shows both as a gauge.
    const recordsInFlight = upDown(INSTRUMENTS.recordsInFlight);
    const bytesInFlight = upDown(INSTRUMENTS.bytesInFlight);
    const streams = upDown(INSTRUMENTS.streams);
    meter.addBatchObservableCallback(
      (result) => {
        for (const stream of this.live) {
          this.#records.add(stream.attributes, stream.recordsInFlight);
          this.#bytes.add(stream.attributes, stream.bytesInFlight);
          this.#states.add({ ...stream.attributes, [ATTR_STREAM_STATE]: stream.state }, 1);
        }
        const to =
          (instrument: Parameters<typeof result.observe>[0]) => (value: number, attributes: Attributes) =>
            result.observe(instrument, value, attributes);
        this.#records.report(to(recordsInFlight));
        this.#bytes.report(to(bytesInFlight));
        this.#states.report(to(streams));
      },
      [recordsInFlight, bytesInFlight, streams],
    );
  }
}
