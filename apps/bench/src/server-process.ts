import { type ChildProcess, fork } from "node:child_process";

/** What the bench server measured since the previous report. */
export interface ServerReport {
  records: number;
  requests: number;
  cpuMs: number;
}

/** The bench server in its own process, so its CPU does not compete inside the client's event loop. */
export class ServerProcess {
  readonly port: number;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
  }

  static async start(): Promise<ServerProcess> {
    const child = fork(new URL("./bench-server.js", import.meta.url), { stdio: "inherit" });
    const port = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.on("message", function onReady(message: { type: string; port?: number }) {
        if (message.type !== "ready") return;
        child.off("message", onReady);
        resolve(message.port ?? 0);
      });
    });
    return new ServerProcess(child, port);
  }

  /** Counters since the last report (each run asks once at its end). */
  report(): Promise<ServerReport> {
    return new Promise((resolve) => {
      const onReport = (message: { type: string } & ServerReport) => {
        if (message.type !== "report") return;
        this.#child.off("message", onReport);
        resolve({ records: message.records, requests: message.requests, cpuMs: message.cpuMs });
      };
      this.#child.on("message", onReport);
      this.#child.send({ type: "report" });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.#child.once("exit", () => resolve());
      this.#child.send({ type: "stop" });
    });
  }
}
