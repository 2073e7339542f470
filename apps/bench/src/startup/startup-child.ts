/**
 * One W6 sample, in a fresh Node process of its own (`spawn`, no IPC channel): `node startup-child.js
 * <client> <target JSON>`. It times, with `performance.now()`, each step a new application goes through
 * before its first record is acknowledged, writes one JSON line ({@link StartupSample}) to stdout, closes
 * everything and lets the process end by itself (the parent times spawn to exit).
 *
 * - `sdk-js` / `sdk-native`: `await import("@zerobus/sdk")`; `new ZerobusSdk(endpoint, undefined,
 *   { backend, workspaceId, tls: { ca } })`; `createStreamWithHeadersProvider` until it resolves; one JSON
 *   record through `ingestRecord`, then `waitForOffset` on its offset; close the stream and the SDK.
 * - `official`: the official addon's `.node` file loaded with `createRequire`; its `new ZerobusSdk`;
 *   `createStream` with a headers provider (`recordType: Json`); `ingestRecordOffset` of one JSON record,
 *   then `flush`; close. It trusts the bench CA through `SSL_CERT_FILE`, set by the parent.
 * - `grpcjs-import`: only `await import("@grpc/grpc-js")`, the reference for the import step.
 */

import type { OfficialStream } from "../memory/official-types.js";
import { constructSdk } from "../sdk-for.js";

/** The W6 clients, in the order they run within a round. */
export type StartupClientName = "sdk-js" | "sdk-native" | "official" | "grpcjs-import";

/** Where the child connects (every client over TLS). */
export interface StartupTarget {
  /** `https://127.0.0.1:<port>`. */
  endpoint: string;
  /** The bench server's CA (PEM), for our clients' `tls.ca`. */
  caPem: string;
}

/** Milliseconds of each step; a step the client does not take is absent. */
export interface StartupSteps {
  /** From the process's time origin to the first step: Node's own start and this script's load. */
  bootMs: number;
  /** `await import(...)` of the SDK module (official: the `createRequire` load of the `.node` file). */
  importMs: number;
  ctorMs?: number;
  createStreamMs?: number;
  /** One record ingested until its acknowledgement (`waitForOffset`; official: `flush`). */
  firstAckMs?: number;
  closeMs?: number;
}

/** The one line the child writes. */
export type StartupSample = { unavailable: string } | { steps: StartupSteps };

const TABLE = "main.default.bench";
const RECORD = { device: "bench-1", reading: 21.5, note: "first record of a fresh process" };

/** The official stream with the single-record call W6 uses (W5's type declares only what W5 calls). */
interface OfficialSingleStream extends OfficialStream {
  ingestRecordOffset(record: string): Promise<bigint | null>;
}

/** The steps' durations from the instants that separate them (the first is the process's boot time). */
function stepsBetween(t0: number, t1: number, t2: number, t3: number, t4: number, t5: number): StartupSteps {
  return {
    bootMs: t0,
    importMs: t1 - t0,
    ctorMs: t2 - t1,
    createStreamMs: t3 - t2,
    firstAckMs: t4 - t3,
    closeMs: t5 - t4,
  };
}

async function runOurs(backend: "js" | "native", target: StartupTarget): Promise<StartupSample> {
  const t0 = performance.now();
  const { ZerobusSdk } = await import("@zerobus/sdk");
  const t1 = performance.now();
  const sdk = constructSdk(ZerobusSdk, backend, target.endpoint, target.caPem);
  if ("unavailable" in sdk) return sdk;
  const t2 = performance.now();
  const stream = await sdk.createStreamWithHeadersProvider(TABLE, {
    getHeaders: () => ({ authorization: "Bearer bench" }),
  });
  const t3 = performance.now();
  await stream.waitForOffset(await stream.ingestRecord(RECORD));
  const t4 = performance.now();
  await stream.close();
  await sdk.close();
  const t5 = performance.now();
  return { steps: stepsBetween(t0, t1, t2, t3, t4, t5) };
}

async function runOfficial(target: StartupTarget): Promise<StartupSample> {
  // The bench's loader (a few lines around `createRequire`) is itself loaded before the clock starts.
  const { loadOfficialBinary } = await import("../memory/official-binary.js");
  const t0 = performance.now();
  const load = loadOfficialBinary();
  const t1 = performance.now();
  if ("unavailable" in load) return { unavailable: load.unavailable };
  const { binary } = load;
  const sdk = new binary.ZerobusSdk(target.endpoint, "https://127.0.0.1:1");
  const t2 = performance.now();
  const stream = (await sdk.createStream(
    { tableName: TABLE },
    "",
    "",
    { recordType: binary.RecordType.Json },
    {
      getHeadersCallback: () => [
        ["authorization", "Bearer bench"],
        ["x-databricks-zerobus-table-name", TABLE],
      ],
    },
  )) as OfficialSingleStream;
  const t3 = performance.now();
  await stream.ingestRecordOffset(JSON.stringify(RECORD));
  await stream.flush();
  const t4 = performance.now();
  await stream.close();
  const t5 = performance.now();
  return { steps: stepsBetween(t0, t1, t2, t3, t4, t5) };
}

async function runGrpcImport(): Promise<StartupSample> {
  const t0 = performance.now();
  await import("@grpc/grpc-js");
  const t1 = performance.now();
  return { steps: { bootMs: t0, importMs: t1 - t0 } };
}

function run(client: StartupClientName, target: StartupTarget): Promise<StartupSample> {
  switch (client) {
    case "sdk-js":
      return runOurs("js", target);
    case "sdk-native":
      return runOurs("native", target);
    case "official":
      return runOfficial(target);
    case "grpcjs-import":
      return runGrpcImport();
  }
}

const client = process.argv[2] as StartupClientName;
const target = JSON.parse(process.argv[3] ?? "{}") as StartupTarget;
const sample = await run(client, target);
process.stdout.write(`${JSON.stringify(sample)}\n`);
