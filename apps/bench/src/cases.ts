/**
 * The throughput cases of `pnpm bench` (W1–W3 of issue #15) and their targets. Each case runs its clients
 * interleaved round by round, each client in a process of its own; the slowest clients get fewer records
 * (`caps`), since what is compared is their rate, so that a full run stays within its time.
 */

/** The clients of the side-by-side rows (see the README's "What runs"). */
export const FLOORS = ["h2-limit", "grpcjs-floor", "api-floor"] as const;
export const OURS = ["stream-js", "stream-native", "sdk-js", "sdk-native"] as const;
const ALL = [...FLOORS, ...OURS, "official", "official-pipelined"];
/** Rows that compare awaited clients only: the floors that await nothing would repeat the awaited row. */
const AWAITED = ["api-floor", ...OURS, "official"];
const WITHOUT_PIPELINED = [...FLOORS, ...OURS, "official"];

export interface ThroughputCase {
  readonly id: "W1" | "W2" | "W3";
  /** How the README's tables name the case: `200k singles, 64 outstanding`, `1M in batches of 1000`. */
  readonly label: string;
  readonly kind: "singles" | "batches";
  readonly records: number;
  /** Bytes of each record; undefined for W1/W2's JSON records of about 100 bytes. */
  readonly recordBytes: number | undefined;
  readonly batchSize: number;
  /** Calls each awaited client keeps in flight (1: awaited one by one). */
  readonly outstanding: number;
  readonly clients: readonly string[];
  /** Records a slow client runs instead of `records`. */
  readonly caps: Readonly<Record<string, number>>;
}

/** A record count as the tables show it: `200k`, `1M`, `6.4k`, `640`. */
export function countLabel(n: number): string {
  if (n >= 1_000_000) return `${n / 1_000_000}M`;
  return n >= 1000 ? `${n / 1000}k` : String(n);
}

/** Every case; `quick` (the CI smoke run) shrinks each tenfold. */
export function throughputCases(quick: boolean): ThroughputCase[] {
  const scale = (n: number) => (quick ? Math.max(1, Math.round(n / 10)) : n);
  const singles = (records: number, outstanding: number, clients: readonly string[]): ThroughputCase => ({
    id: "W1",
    label: `${countLabel(scale(records))} singles${outstanding > 1 ? `, ${outstanding} outstanding` : ""}`,
    kind: "singles",
    records: scale(records),
    recordBytes: undefined,
    batchSize: 1,
    outstanding,
    clients,
    // The official client awaited and grpc-js sending 200,000 messages take 7–10 s each per round.
    caps: { official: scale(25_000), "grpcjs-floor": scale(25_000), "official-pipelined": scale(50_000) },
  });
  const batches = (batchSize: number, clients: readonly string[]): ThroughputCase => ({
    id: "W2",
    label: `${countLabel(scale(1_000_000))} in batches of ${batchSize}`,
    kind: "batches",
    records: scale(1_000_000),
    recordBytes: undefined,
    batchSize,
    outstanding: 1,
    clients,
    caps: {},
  });
  const sized = (
    kind: "singles" | "batches",
    recordBytes: number,
    records: number,
    officialCap: number,
  ): ThroughputCase => ({
    id: "W3",
    label: `${countLabel(scale(records))} × ${recordBytes / 1024} KB ${kind === "singles" ? "singles" : "in batches of 100"}`,
    kind,
    records: scale(records),
    recordBytes,
    batchSize: kind === "singles" ? 1 : 100,
    outstanding: 1,
    clients: WITHOUT_PIPELINED,
    caps: { official: scale(officialCap), "grpcjs-floor": scale(officialCap) },
  });
  return [
    singles(200_000, 1, ALL),
    singles(200_000, 64, AWAITED),
    singles(200_000, 1024, AWAITED),
    batches(100, ALL),
    batches(1000, WITHOUT_PIPELINED),
    sized("singles", 1024, 50_000, 12_500),
    sized("batches", 1024, 50_000, 50_000),
    sized("singles", 16 * 1024, 3_200, 1_600),
    sized("batches", 16 * 1024, 3_200, 3_200),
  ];
}

/** A target: the ratio of two clients' median rates, or that a client's offsets all followed call order. */
export type Target =
  | {
      readonly kind: "ratio";
      readonly id: string;
      readonly workload: string;
      readonly client: string;
      /** The base's case, when it is another one (`official` awaited, for the outstanding variants). */
      readonly baseWorkload?: string;
      readonly base: string;
      readonly atLeast: number;
      /** What the ratio compares: `rec/s` or `MB/s` (the same ratio within one case). */
      readonly unit: "rec/s" | "MB/s";
    }
  | { readonly kind: "order"; readonly id: string; readonly workload: string; readonly client: string };

/** The targets of W1–W3 over the cases. */
export function throughputTargets(cases: readonly ThroughputCase[]): Target[] {
  const targets: Target[] = [];
  const awaitedSingles = cases.find((c) => c.id === "W1" && c.outstanding === 1)?.label;
  for (const c of cases) {
    const ratio = (client: string, base: string, atLeast: number, unit: "rec/s" | "MB/s" = "rec/s") =>
      targets.push({ kind: "ratio", id: c.id, workload: c.label, client, base, atLeast, unit });
    if (c.id === "W1") {
      for (const client of ["sdk-js", "sdk-native"]) {
        targets.push({
          kind: "ratio",
          id: "W1",
          workload: c.label,
          client,
          base: "official",
          ...(c.label === awaitedSingles || awaitedSingles === undefined
            ? {}
            : { baseWorkload: awaitedSingles }),
          atLeast: 10,
          unit: "rec/s",
        });
      }
      for (const client of ["stream-js", "stream-native"]) ratio(client, "api-floor", 0.9);
      for (const client of OURS) targets.push({ kind: "order", id: "W1", workload: c.label, client });
    } else if (c.id === "W2") {
      for (const client of ["sdk-js", "sdk-native"]) ratio(client, "official", 1.5);
    } else {
      for (const client of ["sdk-js", "sdk-native"]) ratio(client, "official", 1.2, "MB/s");
      for (const client of ["stream-js", "stream-native"]) ratio(client, "h2-limit", 0.9, "MB/s");
    }
  }
  return targets;
}
