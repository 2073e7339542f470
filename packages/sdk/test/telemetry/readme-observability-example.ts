// Streams sensor readings with the SDK's metrics served for Prometheus at http://<host>:9464/metrics.
// The endpoint, workspace and service principal come from ZEROBUS_SERVER_ENDPOINT, DATABRICKS_HOST,
// DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET.
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { ZerobusSdk } from "@zerobus/sdk";

const port = Number(process.env.METRICS_PORT ?? PrometheusExporter.DEFAULT_OPTIONS.port);
const exporter = new PrometheusExporter({ port });
const meterProvider = new MeterProvider({ readers: [exporter] });

const sdk = new ZerobusSdk({
  telemetry: { meterProvider },
  // Only for a local mock server (`zerobus-mock`, http://); a workspace endpoint is https://.
  allowInsecure: process.env.ZEROBUS_SERVER_ENDPOINT?.startsWith("http://") ?? false,
});
const stream = await sdk.createStream("main.iot.readings");
try {
  for (let i = 0; i < 1000; i++) {
    await stream.ingestRecord({ device: `t-${i % 10}`, celsius: 20 + (i % 7) / 2 });
  }
  await stream.flush();
} finally {
  await stream.close();
  await sdk.close();
}
console.log(`streamed 1000 readings; metrics at http://localhost:${port}/metrics`);

// A service would go on ingesting; this one serves its totals until stopped (the exporter's server alone
// does not keep a process alive).
const serving = setInterval(() => {}, 60_000);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    clearInterval(serving);
    void meterProvider.shutdown();
  });
}
