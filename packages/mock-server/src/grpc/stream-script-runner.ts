import type { ScriptCursor } from "../script/script-cursor.js";
import { isAckStep, isCreateStep, type ScriptStep, type StreamScriptStep } from "../script/script-step.js";
import type { ConnectionTimers } from "./connection-timers.js";

/** What the runner reads of its connection. */
export interface RunnerConnection {
  /** Whether the stream is created and not ended. */
  readonly open: boolean;
  readonly recordCount: number;
  readonly requestCount: number;
}

interface Baseline {
  position: number;
  records: number;
  requests: number;
  elapsed: boolean;
}

/**
 * Runs a connection's stream steps when their `after` triggers hold. Counts start when a step becomes the
 * current one on this connection; `ms` triggers arm a timer. Another connection moving a shared cursor
 * makes this one re-check on the next microtask.
 */
export class StreamScriptRunner {
  #baseline: Baseline | undefined;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly cursor: ScriptCursor<ScriptStep>,
    private readonly connection: RunnerConnection,
    private readonly timers: ConnectionTimers,
    private readonly run: (step: StreamScriptStep) => void,
  ) {
    this.#unsubscribe = cursor.onAdvance(() => queueMicrotask(() => this.evaluate()));
  }

  /** Runs every stream step whose moment has come, in order. Call after each accepted request. */
  evaluate(): void {
    const cursor = this.cursor;
    while (this.connection.open) {
      const step = cursor.current;
      if (!step || isCreateStep(step) || isAckStep(step)) return;
      if (this.#baseline?.position !== cursor.position)
        this.#baseline = this.#start(cursor.position, step.after?.ms);
      const after = step.after ?? {};
      const base = this.#baseline;
      const due =
        this.connection.recordCount - base.records >= (after.records ?? 0) &&
        this.connection.requestCount - base.requests >= (after.requests ?? 0) &&
        (after.ms === undefined || base.elapsed);
      if (!due) return;
      cursor.advance();
      this.run(step);
    }
  }

  /** Stops listening to the cursor (the connection ended). */
  stop(): void {
    this.#unsubscribe();
  }

  #start(position: number, ms: number | undefined): Baseline {
    const baseline = {
      position,
      records: this.connection.recordCount,
      requests: this.connection.requestCount,
      elapsed: false,
    };
    if (ms !== undefined) {
      this.timers.later(ms, () => {
        baseline.elapsed = true;
        if (this.#baseline === baseline) this.evaluate();
      });
    }
    return baseline;
  }
}
