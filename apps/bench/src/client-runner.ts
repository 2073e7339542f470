import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import type { RunReply, RunRequest } from "./client-process.js";

/** One client process (see `client-process.ts`), driven by the parent one run at a time. */
export class ClientRunner {
  readonly name: string;
  readonly #child: ChildProcess;

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
  }

  static async start(name: string): Promise<ClientRunner> {
    const child = fork(new URL("./client-process.js", import.meta.url), [name], {
      execArgv: ["--expose-gc"],
      stdio: "inherit",
    });
    const [message] = (await once(child, "message")) as [{ type: string }];
    if (message.type !== "ready") throw new Error(`client ${name} did not start`);
    return new ClientRunner(name, child);
  }

  /** One run; `{ unavailable }` when the client cannot run on this machine (its row says so). */
  async run(request: Omit<RunRequest, "type">): Promise<RunReply | { unavailable: string }> {
    this.#child.send({ type: "run", ...request });
    const [reply] = (await once(this.#child, "message")) as [{ type: string; message?: string } & RunReply];
    if (reply.type === "unavailable") return { unavailable: reply.message ?? "not available" };
    if (reply.type !== "timing") throw new Error(`${this.name}: ${reply.message ?? "failed"}`);
    return {
      ms: reply.ms,
      cpuMs: reply.cpuMs,
      payloadBytes: reply.payloadBytes,
      ...(reply.outOfOrder === undefined ? {} : { outOfOrder: reply.outOfOrder }),
    };
  }

  /** Ends the process and waits for it to exit. */
  async stopAndWait(): Promise<void> {
    const exited = once(this.#child, "exit");
    this.#child.disconnect();
    await exited;
  }
}
