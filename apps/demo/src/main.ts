/**
 * `pnpm demo`: streams realistic sensor readings through `@zerobus/sdk` into a mock server embedded in this
 * process (or a real table, see `--help`), shows progress, and ends with a summary and one machine-readable
 * `DEMO_RESULT {…}` line. Exit status: 0 ok, 1 the counts disagree or the stream failed, 2 bad arguments,
 * 130 interrupted (Ctrl-C closes the stream first and reports what was acknowledged).
 */
import { openTarget } from "@zerobus/examples/ingest-target";
import type { ZerobusStream } from "@zerobus/sdk";
import { isZerobusError, ZerobusSdk } from "@zerobus/sdk";
import { AckLatency } from "./ack-latency.js";
import type { DemoArgs } from "./args.js";
import { parseDemoArgs, USAGE, UsageError } from "./args.js";
import type { RunMetrics } from "./otel-metrics.js";
import { startProgress } from "./progress.js";
import type { SensorReading } from "./readings.js";
import { readingBatches } from "./readings.js";
import type { DemoResult } from "./summary.js";
import { findProblems, formatSummary, resultLine } from "./summary.js";

const DEFAULT_TABLE = "main.demo.sensor_readings";

function readArgs(): DemoArgs {
  try {
    return parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

/** Sends the readings without waiting for acks (only for room), then flushes; false when interrupted. */
async function ingest(
  stream: ZerobusStream<SensorReading, string>,
  args: DemoArgs,
  latency: AckLatency,
  interrupt: AbortSignal,
): Promise<void> {
  const call = { signal: interrupt };
  try {
    for (const batch of readingBatches(args.records, args.batch)) {
      if (interrupt.aborted) return;
      const offset =
        args.batch === 1
          ? await stream.ingestRecord(batch[0]!, call)
          : await stream.ingestRecords(batch, call);
      latency.accepted(offset, performance.now());
    }
    await stream.flush(call);
  } catch (error) {
    // Ctrl-C while waiting for room or for the flush: what was accepted is still delivered by close().
    if (!(interrupt.aborted && isZerobusError(error) && error.code === "cancelled")) throw error;
  }
}

const args = readArgs();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const interrupt = new AbortController();
const onSigint = () => {
  if (interrupt.signal.aborted) {
    // Quitting mid-bar: give the terminal its cursor back.
    if (process.stderr.isTTY) process.stderr.write("\x1b[?25h\n");
    process.exit(130);
  }
  process.stderr.write("\ninterrupted: closing the stream (Ctrl-C again to quit at once)\n");
  interrupt.abort();
};
process.on("SIGINT", onSigint);

// The default mock keeps every record for assertions; counting is enough here and keeps memory flat.
const target = await openTarget(DEFAULT_TABLE, { mock: { keepRecords: false }, report: false });
// Only with --otel: OpenTelemetry is loaded by nothing else.
const metrics: RunMetrics | undefined = args.otel
  ? await (await import("./otel-metrics.js")).startRunMetrics()
  : undefined;
try {
  const sdk = new ZerobusSdk(target.endpoint, target.workspaceUrl, {
    ...target.sdkOptions,
    ...(args.backend ? { backend: args.backend } : {}),
    ...(metrics ? { telemetry: { meterProvider: metrics.meterProvider } } : {}),
  });
  const where = target.kind === "mock" ? "an embedded mock server" : `workspace table ${target.tableName}`;
  console.log(
    `demo: ${args.records.toLocaleString("en-US")} sensor readings into ${where}, ` +
      `${args.batch === 1 ? "single records" : `batches of ${args.batch}`}, backend ${sdk.backend}`,
  );
  const latency = new AckLatency();
  const stream: ZerobusStream<SensorReading, string> = await sdk.createStream(
    target.tableName,
    target.clientId,
    target.clientSecret,
    {
      maxInflightRecords: Math.max(args.maxInflight, args.batch),
      onAck: (upToOffset) => latency.acked(upToOffset, performance.now()),
    },
  );
  const sample = () => {
    const stats = stream.stats();
    return {
      accepted: stats.recordsAccepted,
      acknowledged: stats.recordsAcked,
      inFlight: stats.recordsInFlight,
    };
  };
  const startedAt = performance.now();
  const progress = startProgress(args.records, sample);
  try {
    await ingest(stream, args, latency, interrupt.signal);
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - startedAt) / 1000;
  try {
    await stream.close();
  } finally {
    await sdk.close();
  }
  // Before the summary: the DEMO_RESULT line stays the last one.
  await metrics?.print();

  const stats = stream.stats();
  const counts = {
    requested: args.records,
    accepted: stats.recordsAccepted,
    acknowledged: stats.recordsAcked,
    serverCount: target.serverRecordCount(),
    interrupted: interrupt.signal.aborted,
  };
  const result: DemoResult = {
    backend: sdk.backend,
    target: target.kind,
    tableName: target.tableName,
    ...counts,
    resent: stats.recordsResent,
    seconds,
    recordsPerSecond: stats.recordsAcked / seconds,
    megabytesPerSecond: stats.bytesAccepted / 1e6 / seconds,
    latencyP50Ms: latency.percentileMs(50),
    latencyP99Ms: latency.percentileMs(99),
    problems: findProblems(counts),
  };
  console.log(formatSummary(result));
  console.log(resultLine(result));
  process.exitCode = result.problems.length > 0 ? 1 : result.interrupted ? 130 : 0;
} catch (error) {
  // ZerobusError messages name what went wrong and never carry a secret.
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await target.stop();
  process.off("SIGINT", onSigint);
}
