import { parseArgs } from "node:util";
import type { BackendChoice } from "@zerobus/sdk";

/** What the command line asks for. */
export interface DemoArgs {
  /** Readings to send. */
  records: number;
  /** Readings per `ingestRecords` call; 1 sends single records (`ingestRecord`), which the SDK coalesces. */
  batch: number;
  /** `maxInflightRecords` of the stream: records accepted and not yet acknowledged. */
  maxInflight: number;
  /** The backend; undefined leaves the choice to the SDK (`ZEROBUS_BACKEND`, else `auto`). */
  backend: BackendChoice | undefined;
  /** Record the run's OpenTelemetry metrics and print them at the end (console exporter). */
  otel: boolean;
  help: boolean;
}

/** A command line the demo cannot run; its message says what to change. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The `--help` text. */
export const USAGE = `Usage: pnpm demo [--records N] [--batch N] [--max-inflight N] [--backend js|native|auto] [--otel]

Streams sensor readings through @zerobus/sdk into a mock server embedded in this process, or into a
real table when ZEROBUS_SERVER_ENDPOINT, DATABRICKS_HOST, DATABRICKS_CLIENT_ID,
DATABRICKS_CLIENT_SECRET and ZEROBUS_TABLE_NAME are all set.

  --records N        readings to send (default 1000000; 1_000_000 and 1e6 are fine too)
  --batch N          readings per ingestRecords call (default 1000; 1 = single records)
  --max-inflight N   records accepted but not yet acknowledged (default 50000); the producer
                     outruns any server, so a deeper window adds latency and memory, not speed
  --backend B        js, native or auto (default: ZEROBUS_BACKEND, else auto)
  --otel             record the SDK's OpenTelemetry metrics and print them at the end
  --help             this text`;

const BACKENDS: readonly BackendChoice[] = ["js", "native", "auto"];

function positiveInteger(name: string, text: string): number {
  const value = Number(text.replaceAll("_", ""));
  if (text.trim() === "" || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Parses the demo's arguments (`process.argv.slice(2)`); throws {@link UsageError} on a bad one. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  let values: {
    records?: string;
    batch?: string;
    "max-inflight"?: string;
    backend?: string;
    otel?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        records: { type: "string" },
        batch: { type: "string" },
        "max-inflight": { type: "string" },
        backend: { type: "string" },
        otel: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const backend = values.backend;
  if (backend !== undefined && !BACKENDS.includes(backend as BackendChoice)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(", ")}, got ${JSON.stringify(backend)}`);
  }
  return {
    records: values.records === undefined ? 1_000_000 : positiveInteger("records", values.records),
    batch: values.batch === undefined ? 1000 : positiveInteger("batch", values.batch),
    maxInflight:
      values["max-inflight"] === undefined ? 50_000 : positiveInteger("max-inflight", values["max-inflight"]),
    backend: backend as BackendChoice | undefined,
    otel: values.otel ?? false,
    help: values.help ?? false,
  };
}
