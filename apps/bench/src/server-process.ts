import { type ChildProcess, fork } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateTls } from "@zerobus/mock-server";

/** What the bench server measured since the previous report. */
export interface ServerReport {
  records: number;
  requests: number;
  cpuMs: number;
}

/** A TLS bench server (see {@link ServerProcess.startTls}). */
export interface TlsBenchServer {
  readonly server: ServerProcess;
  /** PEM of the CA that signed the server's certificate. */
  readonly ca: string;
  /** A file holding {@link ca}. */
  readonly caFile: string;
  stop(): Promise<void>;
}

/** The bench server in its own process, so its CPU does not compete inside the client's event loop. */
export class ServerProcess {
  readonly port: number;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
  }

  /** Starts the server; with `tls`, it serves TLS with that certificate and key (PEM). */
  static async start(tls?: { cert: string; key: string }): Promise<ServerProcess> {
    const env =
      tls === undefined ? process.env : { ...process.env, BENCH_TLS_CERT: tls.cert, BENCH_TLS_KEY: tls.key };
    const child = fork(new URL("./bench-server.js", import.meta.url), { stdio: "inherit", env });
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

  /**
   * Starts the server over TLS with a fresh CA and leaf; the CA's PEM goes to our clients (`tls.ca`), the
   * file holding it to the official binary (`SSL_CERT_FILE`). `stop` also removes that file.
   */
  static async startTls(): Promise<TlsBenchServer> {
    const tls = await generateTls();
    const dir = await mkdtemp(join(tmpdir(), "zerobus-bench-"));
    const caFile = join(dir, "ca.pem");
    await writeFile(caFile, tls.ca);
    const server = await ServerProcess.start({ cert: tls.cert, key: tls.key });
    return {
      server,
      ca: tls.ca,
      caFile,
      stop: async () => {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
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

  /** Records received since the last report (the counters are not reset). */
  async received(): Promise<number> {
    const reply = await this.#ask("received", "received");
    return (reply as { records: number }).records;
  }

  /** From now on, withholds every ack until {@link releaseAcks}. */
  async holdAcks(): Promise<void> {
    await this.#ask("holdAcks", "holdingAcks");
  }

  /** Acknowledges everything every open stream received, and acks at once again from then on. */
  async releaseAcks(): Promise<void> {
    await this.#ask("releaseAcks", "releasedAcks");
  }

  /**
   * Delays every ack write by `ms` from now on (0: at once, the default), standing in for the service's
   * durability wait (W4). Set it while no stream has acks pending: a shorter delay could overtake them.
   */
  async setAckDelay(ms: number): Promise<void> {
    await this.#ask("ackDelay", "ackDelaySet", { ms });
  }

  #ask(type: string, replyType: string, fields: Record<string, unknown> = {}): Promise<unknown> {
    return new Promise((resolve) => {
      const onReply = (message: { type: string }) => {
        if (message.type !== replyType) return;
        this.#child.off("message", onReply);
        resolve(message);
      };
      this.#child.on("message", onReply);
      this.#child.send({ ...fields, type });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.#child.once("exit", () => resolve());
      this.#child.send({ type: "stop" });
    });
  }
}
