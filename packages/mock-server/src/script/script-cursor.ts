/** What a test can see of a script it installed. */
export interface ScriptHandle {
  /** Index of the current step (equals the step count once every step has run). */
  readonly position: number;
  /** Whether every step has run. */
  readonly done: boolean;
  /** Resolves once every step has run; rejects after `timeoutMs` (default 5000) naming the stuck step. */
  waitDone(timeoutMs?: number): Promise<void>;
}

/**
 * A position in a script. The cursor only moves forward. Steps that take effect at once (ack-policy steps)
 * are handed to `applyInstant` the moment the cursor reaches them and skipped when it returns true, so
 * `current` is always a step that waits for its moment.
 */
export class ScriptCursor<Step> implements ScriptHandle {
  #position = 0;
  readonly #listeners = new Set<() => void>();

  constructor(
    readonly steps: readonly Step[],
    private readonly applyInstant: (step: Step) => boolean = () => false,
  ) {
    this.#applyInstantSteps();
  }

  get position(): number {
    return this.#position;
  }

  get done(): boolean {
    return this.#position >= this.steps.length;
  }

  /** The step waiting to run, if any. */
  get current(): Step | undefined {
    return this.steps[this.#position];
  }

  /** Marks the current step as run and notifies listeners (other live connections re-arm their triggers). */
  advance(): void {
    this.#position += 1;
    this.#applyInstantSteps();
    for (const listener of [...this.#listeners]) listener();
  }

  /** Calls `listener` after every advance; returns the function that unsubscribes it. */
  onAdvance(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  waitDone(timeoutMs = 5000): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(
          new Error(
            `script not done after ${timeoutMs} ms: waiting at step ${this.#position} ${JSON.stringify(this.current, jsonReplacer)}`,
          ),
        );
      }, timeoutMs);
      const unsubscribe = this.onAdvance(() => {
        if (!this.done) return;
        clearTimeout(timer);
        unsubscribe();
        resolve();
      });
    });
  }

  #applyInstantSteps(): void {
    for (let step = this.steps[this.#position]; step !== undefined; step = this.steps[this.#position]) {
      if (!this.applyInstant(step)) return;
      this.#position += 1;
    }
  }
}

/** Lets step descriptions with bigints and bytes appear in error messages. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return value;
}
