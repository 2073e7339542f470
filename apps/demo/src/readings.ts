/** One row of the demo table: what a building's environmental sensor reports. */
export interface SensorReading {
  device_id: string;
  site: string;
  /** Microseconds since the Unix epoch (a Delta TIMESTAMP column). */
  event_time: number;
  celsius: number;
  humidity: number;
  /** Battery charge, 0–100. */
  battery: number;
  status: "ok" | "low_battery";
}

const SITES = ["ams-1", "ber-2", "cph-1", "dub-3", "lis-1", "mad-2", "osl-1", "par-4"];
const DEVICES = 2000;
const DAY_MS = 86_400_000;

/** A small seeded generator (mulberry32): the same readings on every run, and far cheaper than crypto. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Yields `total` readings in arrays of up to `batchSize`: every device reports once per simulated second,
 * its temperature following the time of day with some noise, its battery slowly draining.
 */
export function* readingBatches(
  total: number,
  batchSize: number,
  startMs = Date.now(),
): Generator<SensorReading[]> {
  const next = random(42);
  const offsets = Array.from({ length: DEVICES }, () => ({
    celsius: next() * 6 - 3,
    battery: 60 + next() * 40,
  }));
  let batch: SensorReading[] = [];
  for (let n = 0; n < total; n++) {
    const device = n % DEVICES;
    const timeMs = startMs + Math.floor(n / DEVICES) * 1000;
    const profile = offsets[device]!;
    const daily = Math.sin(((timeMs % DAY_MS) / DAY_MS) * 2 * Math.PI);
    const battery = Math.max(0, profile.battery - n / 200_000);
    batch.push({
      device_id: `env-${device.toString().padStart(4, "0")}`,
      site: SITES[device % SITES.length]!,
      event_time: timeMs * 1000,
      celsius: round(21 + profile.celsius + 3 * daily + (next() - 0.5), 2),
      humidity: round(45 - 8 * daily + (next() - 0.5) * 4, 1),
      battery: round(battery, 1),
      status: battery < 15 ? "low_battery" : "ok",
    });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
