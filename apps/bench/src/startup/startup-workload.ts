import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ServerProcess } from "../server-process.js";
import type { StartupClientName, StartupSample, StartupSteps, StartupTarget } from "./startup-child.js";

/** The W6 clients, in the order they run within each round. */
export const STARTUP_CLIENTS: readonly StartupClientName[] = [
  "sdk-js",
  "sdk-native",
  "official",
  "grpcjs-import",
];

/** One measured sample: the child's steps and the parent's spawn-to-exit time. */
export interface StartupMeasure {
  steps: StartupSteps;
  wallMs: number;
}

/** Every sample of one client, or why it cannot run here. */
export type StartupResult = { client: StartupClientName } & (
  | { outcome: "unavailable"; reason: string }
  | { outcome: "measured"; samples: StartupMeasure[] }
);

/** How long one fresh process may take before the sample counts as a failure. */
const SAMPLE_TIMEOUT_MS = 60_000;
const CHILD = fileURLToPath(new URL("./startup-child.js", import.meta.url));

/**
 * Runs W6: a TLS bench server (acks at once), then `samples` interleaved rounds after one uncounted warm-up
 * round (which fills the OS's file cache, as for an application started before), each client in a fresh
 * process per sample. A client the machine cannot run is reported `unavailable` and not tried again.
 */
export async function runStartupWorkload(
  samples: number,
  log: (line: string) => void,
): Promise<StartupResult[]> {
  const tls = await ServerProcess.startTls();
  const { server, caFile } = tls;
  const target: StartupTarget = { endpoint: `https://127.0.0.1:${server.port}`, caPem: tls.ca };
  const measured = new Map<StartupClientName, StartupMeasure[]>(STARTUP_CLIENTS.map((c) => [c, []]));
  const unavailable = new Map<StartupClientName, string>();
  const warned = new Set<string>();
  try {
    for (let round = 0; round <= samples; round++) {
      for (const client of STARTUP_CLIENTS) {
        if (unavailable.has(client)) continue;
        const env = client === "official" ? { ...process.env, SSL_CERT_FILE: caFile } : process.env;
        await server.report();
        const { sample, wallMs, stderr } = await spawnSample(client, target, env);
        // What a client prints (a deprecation warning, say) is shown once per client, not once per sample.
        const said = (stderr.split("\n")[0] ?? "").replace(/^\(node:\d+\) /, "");
        if (said !== "" && !warned.has(`${client}\u0000${said}`)) {
          warned.add(`${client}\u0000${said}`);
          log(`  W6 ${client} wrote to stderr (shown once): ${stderr.replaceAll("\n", " / ")}`);
        }
        if ("unavailable" in sample) {
          unavailable.set(client, sample.unavailable);
          log(`  W6 ${client.padEnd(13)} not available: ${sample.unavailable}`);
          continue;
        }
        if (client !== "grpcjs-import") {
          const { records } = await server.report();
          if (records !== 1) throw new Error(`W6 ${client}: the server received ${records} records, not 1`);
        }
        const { steps } = sample;
        if (round > 0) (measured.get(client) as StartupMeasure[]).push({ steps, wallMs });
        const label = round === 0 ? "warm-up" : `sample ${round}`;
        const parts = [
          `import ${steps.importMs.toFixed(1)}`,
          ...(steps.createStreamMs === undefined ? [] : [`createStream ${steps.createStreamMs.toFixed(1)}`]),
          ...(steps.firstAckMs === undefined ? [] : [`first ack ${steps.firstAckMs.toFixed(1)}`]),
          `process ${wallMs.toFixed(0)}`,
        ];
        log(`  W6 ${label.padEnd(9)} ${client.padEnd(13)} ${parts.join(", ")} ms`);
      }
    }
  } finally {
    await tls.stop();
  }
  return STARTUP_CLIENTS.map((client): StartupResult => {
    const reason = unavailable.get(client);
    return reason !== undefined
      ? { client, outcome: "unavailable", reason }
      : { client, outcome: "measured", samples: measured.get(client) as StartupMeasure[] };
  });
}

/** Spawns one fresh `node` for one sample; times it from spawn to exit; returns its one line. */
function spawnSample(
  client: StartupClientName,
  target: StartupTarget,
  env: NodeJS.ProcessEnv,
): Promise<{ sample: StartupSample; wallMs: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CHILD, client, JSON.stringify(target)], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    const errChunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => errChunks.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), SAMPLE_TIMEOUT_MS);
    let exitedAt = Number.NaN;
    child.once("exit", () => {
      exitedAt = performance.now();
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      // Spawn to exit ("close" also waits for the pipes to drain).
      const wallMs = (Number.isNaN(exitedAt) ? performance.now() : exitedAt) - started;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8").trim();
      const stderr = Buffer.concat(errChunks).toString("utf8").trim();
      const line = text.split("\n").at(-1) ?? "";
      if (code !== 0 || line === "") {
        reject(
          new Error(`W6 ${client}: the process ended with ${signal ?? `code ${code}`}: ${text}\n${stderr}`),
        );
        return;
      }
      resolve({ sample: JSON.parse(line) as StartupSample, wallMs, stderr });
    });
  });
}
