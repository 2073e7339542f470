import { ZerobusSdk } from "@zerobus/sdk";
import { constructSdk } from "../sdk-for.js";
import { loadOfficialBinary } from "./official-binary.js";

/** Where and what a W5 client streams. */
export interface MemoryTarget {
  /** `https://127.0.0.1:<port>`: every W5 client speaks TLS to the bench server. */
  endpoint: string;
  /** The bench server's CA (PEM); the official client reads it from `SSL_CERT_FILE` instead. */
  caPem: string;
  records: number;
  batchSize: number;
}

/** An open stream, reduced to what W5 does with it. */
export interface MemoryStream {
  /** Hands one batch to the client; resolves once the client accepted it (not once acknowledged). */
  ingestBatch(records: string[]): Promise<unknown>;
  /** Resolves once everything ingested is acknowledged. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A client ready to ingest, with the settings it runs with; or why it cannot run on this machine. */
export type MemoryClientOpen = { stream: MemoryStream; settings: string } | { unavailable: string };

/** The W5 clients, by name. */
export type MemoryClientName = "official" | "native" | "js";

const TABLE = "main.default.bench";
const LONG_MS = 600_000;
const GIB = 1024 * 1024 * 1024;

/**
 * Opens the named client's stream. Each one gets limits large enough to hold every record of the
 * workload unacknowledged, and timeouts long enough that holding them is no failure.
 */
export async function openMemoryClient(
  name: MemoryClientName,
  target: MemoryTarget,
): Promise<MemoryClientOpen> {
  return name === "official" ? openOfficial(target) : openOurs(name, target);
}

async function openOfficial(target: MemoryTarget): Promise<MemoryClientOpen> {
  const load = loadOfficialBinary();
  if ("unavailable" in load) return load;
  const { binary } = load;
  // The official core counts each ingest call (a batch once) against maxInflightRequests.
  const maxInflightRequests = Math.ceil(target.records / target.batchSize);
  const sdk = new binary.ZerobusSdk(target.endpoint, "https://127.0.0.1:1");
  const stream = await sdk.createStream(
    { tableName: TABLE },
    "",
    "",
    {
      recordType: binary.RecordType.Json,
      maxInflightRequests,
      serverLackOfAckTimeoutMs: LONG_MS,
      flushTimeoutMs: LONG_MS,
    },
    {
      getHeadersCallback: () => [
        ["authorization", "Bearer bench"],
        ["x-databricks-zerobus-table-name", TABLE],
      ],
    },
  );
  return {
    stream: {
      ingestBatch: (records) => stream.ingestRecordsOffset(records),
      flush: () => stream.flush(),
      close: () => stream.close(),
    },
    settings: `maxInflightRequests ${maxInflightRequests}, serverLackOfAckTimeoutMs ${LONG_MS}, flushTimeoutMs ${LONG_MS}`,
  };
}

async function openOurs(backend: "native" | "js", target: MemoryTarget): Promise<MemoryClientOpen> {
  const sdk = constructSdk(ZerobusSdk, backend, target.endpoint, target.caPem);
  if ("unavailable" in sdk) return sdk;
  const options = {
    maxInflightRecords: 2 * target.records,
    maxInflightBytes: GIB,
    validateRecords: false,
    serverLackOfAckTimeoutMs: LONG_MS,
    flushTimeoutMs: LONG_MS,
  };
  const stream = await sdk.createStreamWithHeadersProvider(
    TABLE,
    { getHeaders: () => ({ authorization: "Bearer bench" }) },
    options,
  );
  return {
    stream: {
      ingestBatch: (records) => stream.ingestRecords(records),
      flush: () => stream.flush(),
      close: async () => {
        await stream.close();
        await sdk.close();
      },
    },
    settings: `@zerobus/sdk backend "${backend}", maxInflightRecords ${options.maxInflightRecords}, maxInflightBytes 1 GiB, validateRecords false, serverLackOfAckTimeoutMs ${LONG_MS}, flushTimeoutMs ${LONG_MS}`,
  };
}
