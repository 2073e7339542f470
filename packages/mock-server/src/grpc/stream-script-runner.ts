import type { ScriptCursor } from "../script/script-cursor.js";
import {
  isAckStep,
  isCreateStep,
  type ScriptStep,
  type StepTrigger,
  type StreamScriptStep,
} from "../script/script-step.js";
import { NOTHING, type TriggerCounts, triggerHolds } from "../script/trigger-counts.js";
import type { ConnectionTimers } from "./connection-timers.js";

/** What the runner reads of its connection. */
export interface RunnerConnection {
  /** Whether the stream is created and not ended. */
  readonly open: boolean;
  /** What was committed on the connection so far. */
  readonly counts: Readonly<TriggerCounts>;
}

interface Baseline {
  position: number;
  counts: TriggerCounts;
  elapsed: boolean;
}

/**
 * Runs a connection's stream steps when their triggers hold. Counts start when a step becomes the current
 * one on this connection; `ms` triggers arm a timer. `after` steps run once a request was committed (or a
 * timer fired); `at` steps only on a request, before it is committed. Another connection moving a shared
 * cursor makes this one re-check on the next microtask.
 */
export class StreamScriptRunner {
  #baseline: Baseline | undefined;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly cursor: ScriptCursor<ScriptStep>,
    private readonly connection: RunnerConnection,
    private readonly timers: ConnectionTimers,
    private readonly perform: (step: StreamScriptStep) => void,
  ) {
    this.#unsubscribe = cursor.onAdvance(() => queueMicrotask(() => this.evaluate()));
  }

  /** Runs every `after` step whose moment has come, in order. Call after each committed request. */
  evaluate(): void {
    for (let step = this.#current(); step !== undefined; step = this.#current()) {
      if (atTriggerOf(step) !== undefined || !this.#holds(step.after ?? {}, NOTHING)) return;
      this.run(step);
    }
  }

  /**
   * The current step if it is an `at` step that `pending` (a request that passed the checks, not yet
   * committed) completes: the caller records the request as uncommitted, then calls `run` with it.
   */
  stepAt(pending: TriggerCounts): StreamScriptStep | undefined {
    const step = this.#current();
    const at = step === undefined ? undefined : atTriggerOf(step);
    return at !== undefined && this.#holds(at, pending) ? step : undefined;
  }

  /** Runs the current step (the cursor moves past it first, so it runs once whatever it does). */
  run(step: StreamScriptStep): void {
    this.cursor.advance();
    this.perform(step);
  }

  /** Stops listening to the cursor (the connection ended). */
  stop(): void {
    this.#unsubscribe();
  }

  /** The stream step waiting to run, its counts started; undefined if none or the stream is not open. */
  #current(): StreamScriptStep | undefined {
    const step = this.cursor.current;
    if (!this.connection.open || !step || isCreateStep(step) || isAckStep(step)) return undefined;
    if (this.#baseline?.position !== this.cursor.position) {
      const trigger = atTriggerOf(step) ?? step.after;
      this.#baseline = this.#start(this.cursor.position, trigger?.ms);
    }
    return step;
  }

  #holds(trigger: StepTrigger, pending: TriggerCounts): boolean {
    const baseline = this.#baseline!;
    return triggerHolds(
      trigger,
      { start: baseline.counts, now: this.connection.counts, pending },
      baseline.elapsed,
    );
  }

  #start(position: number, ms: number | undefined): Baseline {
    const baseline = { position, counts: { ...this.connection.counts }, elapsed: false };
    if (ms !== undefined) {
      this.timers.later(ms, () => {
        baseline.elapsed = true;
        if (this.#baseline === baseline) this.evaluate();
      });
    }
    return baseline;
  }
}

/** The `at` trigger of a step that has one (`fail`, `end`, `drop`), else undefined. */
function atTriggerOf(step: StreamScriptStep): StepTrigger | undefined {
  return "at" in step ? step.at : undefined;
}
