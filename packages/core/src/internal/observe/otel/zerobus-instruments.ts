import type { Attributes, Counter, Histogram, Meter, ObservableCounter } from "@opentelemetry/api";
import type { StreamState } from "../../../wire-stream.js";
import { ATTR_STREAM_STATE } from "./attribute-names.js";
import { INSTRUMENTS, LATENCY_BUCKETS_S } from "./instrument-names.js";

/**
 * One stream as the observable instruments see it: its attributes and state, and its figures read at each
 * collection. Nothing is recorded per ingest call: the figures come from the stream's own counters
 * (`stats()`), which it keeps anyway. Recording each ingest call into a synchronous OpenTelemetry counter
 * hashed the attribute set on every call (twice the time per awaited single record in the bench's W7), and
 * even a call per record into an observer that adds to plain numbers cost 10-20 % of that rate.
 */
export interface StreamFigures {
  /** The stream's metric attributes. */
  readonly attributes: Attributes;
  state: StreamState;
  /** The figures now. */
  read(): FigureValues;
}

/** What {@link StreamFigures.read} returns. */
export type FigureValues = Record<CumulativeFigure | "recordsInFlight" | "bytesInFlight", number>;

/** The cumulative figures of {@link StreamFigures}: what a stream that ended leaves to its attribute set. */
const cumulativeFigures = [
  "recordsAccepted",
  "bytesAccepted",
  "recordsAcknowledged",
  "bytesAcknowledged",
  "recordsResent",
  "bytesResent",
] as const;
type CumulativeFigure = (typeof cumulativeFigures)[number];

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
  readonly refusals: Counter;
  readonly ackDuration: Histogram;
  readonly connectionAttempts: Counter;
  readonly recoveries: Counter;
  readonly closeSignals: Counter;
  readonly tokenFetches: Counter;
  readonly tokenFetchDuration: Histogram;
  readonly errors: Counter;
  /** Streams neither closed nor failed, read by the observable instruments at each collection. */
  readonly #live = new Set<StreamFigures>();
  /** What streams that ended counted, per attribute set (cumulative counters never go back). */
  readonly #retired = new Map<
    string,
    { attributes: Attributes; figures: Record<CumulativeFigure, number> }
  >();
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
    const cumulative = (spec: { name: string; unit: string; description: string }) =>
      meter.createObservableCounter(spec.name, { unit: spec.unit, description: spec.description });
    const counters: Record<CumulativeFigure, ObservableCounter> = {
      recordsAccepted: cumulative(INSTRUMENTS.recordsAccepted),
      bytesAccepted: cumulative(INSTRUMENTS.bytesAccepted),
      recordsAcknowledged: cumulative(INSTRUMENTS.recordsAcknowledged),
      bytesAcknowledged: cumulative(INSTRUMENTS.bytesAcknowledged),
      recordsResent: cumulative(INSTRUMENTS.recordsResent),
      bytesResent: cumulative(INSTRUMENTS.bytesResent),
    };
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
        const sums = new Map<string, { attributes: Attributes; figures: Record<CumulativeFigure, number> }>();
        for (const [key, retired] of this.#retired) {
          sums.set(key, { attributes: retired.attributes, figures: { ...retired.figures } });
        }
        for (const stream of this.#live) {
          const values = stream.read();
          this.#records.add(stream.attributes, values.recordsInFlight);
          this.#bytes.add(stream.attributes, values.bytesInFlight);
          this.#states.add({ ...stream.attributes, [ATTR_STREAM_STATE]: stream.state }, 1);
          addFigures(sums, stream.attributes, values);
        }
        const to =
          (instrument: Parameters<typeof result.observe>[0]) => (value: number, attributes: Attributes) =>
            result.observe(instrument, value, attributes);
        this.#records.report(to(recordsInFlight));
        this.#bytes.report(to(bytesInFlight));
        this.#states.report(to(streams));
        for (const { attributes, figures } of sums.values()) {
          for (const figure of cumulativeFigures)
            result.observe(counters[figure], figures[figure], attributes);
        }
      },
      [recordsInFlight, bytesInFlight, streams, ...Object.values(counters)],
    );
  }

  /** Counts a stream the server created, from now until {@link retire}. */
  track(stream: StreamFigures): void {
    this.#live.add(stream);
  }

  /** A stream closed or failed: its cumulative figures stay in its attribute set's totals, it leaves the gauges. */
  retire(stream: StreamFigures): void {
    if (this.#live.delete(stream)) addFigures(this.#retired, stream.attributes, stream.read());
  }
}

/** Adds a stream's cumulative figures to the totals of its attribute set. */
function addFigures(
  totals: Map<string, { attributes: Attributes; figures: Record<CumulativeFigure, number> }>,
  attributes: Attributes,
  values: FigureValues,
): void {
  const key = JSON.stringify(attributes);
  let entry = totals.get(key);
  if (entry === undefined) {
    entry = {
      attributes,
      figures: Object.fromEntries(cumulativeFigures.map((figure) => [figure, 0])) as Record<
        CumulativeFigure,
        number
      >,
    };
    totals.set(key, entry);
  }
  for (const figure of cumulativeFigures) entry.figures[figure] += values[figure];
}
