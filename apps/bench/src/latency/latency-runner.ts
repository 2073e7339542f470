import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import type { BenchTarget } from "../clients/target.js";
import type { LatencyCase } from "./latency-case.js";
import type { LatencyRunRequest } from "./latency-client-process.js";
import type { LatencyOutcome } from "./latency-run.js";

/** The W4 client names, in the order their rows appear. */
export const LATENCY_CLIENTS = ["h2-limit", "sdk-js", "sdk-native", "official"] as const;

/** One W4 client process (see `latency-client-process.ts`), driven by the parent one run at a time. */
export class LatencyRunner {
  readonly name: string;
  readonly #child: ChildProcess;

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
  }

  static async start(name: string): Promise<LatencyRunner> {
    const child = fork(new URL("./latency-client-process.js", import.meta.url), [name], {
      execArgv: ["--expose-gc"],
      stdio: "inherit",
    });
    const [message] = (await once(child, "message")) as [{ type: string }];
    if (message.type !== "ready") throw new Error(`W4 client ${name} did not start`);
    return new LatencyRunner(name, child);
  }

  /** One run of `latencyCase`; `{ unavailable }` when the client cannot run on this machine. */
  async run(
    target: BenchTarget,
    latencyCase: LatencyCase,
  ): Promise<LatencyOutcome | { unavailable: string }> {
    const request: LatencyRunRequest = { type: "run", target, latencyCase };
    this.#child.send(request);
    const [reply] = (await once(this.#child, "message")) as [
      { type: string; outcome?: LatencyOutcome; message?: string },
    ];
    if (reply.type === "unavailable") return { unavailable: reply.message ?? "not available" };
    if (reply.type !== "outcome" || reply.outcome === undefined)
      throw new Error(`${this.name}: ${reply.message ?? "failed"}`);
    return reply.outcome;
  }

  stop(): void {
    this.#child.disconnect();
  }
}
