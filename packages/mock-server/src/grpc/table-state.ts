import { TableRecording } from "../recording/table-recording.js";
import type { AckPolicy } from "../script/ack-policy.js";
import { validateAckPolicy } from "../script/ack-policy.js";
import { checkScript } from "../script/check-script.js";
import { ScriptCursor, type ScriptHandle } from "../script/script-cursor.js";
import { isAckStep, type ScriptOptions, type ScriptStep } from "../script/script-step.js";

/**
 * A live stream of the table, as the table sees it: it only needs to hear that the script changed. An
 * interface of its own so this module does not import the connection (which imports it).
 */
export interface ScriptFollower {
  /** The table's script was replaced while the stream is open: run the new one from now on. */
  followNewScript(): void;
}

/** The server's state for one table: its recording, ack policy, script and live connections. */
export class TableState {
  readonly recording: TableRecording;
  /** The table's ack policy; the server default applies while undefined. */
  ackPolicy: AckPolicy | undefined;
  readonly live = new Set<ScriptFollower>();
  #steps: readonly ScriptStep[] = [];
  #scope: "table" | "connection" = "table";
  #tableCursor: ScriptCursor<ScriptStep> | undefined;
  #latestCursor: ScriptCursor<ScriptStep> | undefined;

  constructor(name: string) {
    this.recording = new TableRecording(name);
  }

  /** Installs a script, replacing any earlier one (its cursor starts at the first step). */
  setScript(steps: readonly ScriptStep[], options: ScriptOptions = {}): ScriptHandle {
    checkScript(steps);
    this.#steps = [...steps];
    this.#scope = options.scope ?? "table";
    this.#latestCursor = undefined;
    this.#tableCursor =
      this.#scope === "table"
        ? this.#watch(new ScriptCursor(this.#steps, (step) => this.#applyAck(step)))
        : undefined;
    // Open connections follow the new script too (a script set after a stream opened must apply to it).
    for (const connection of this.live) connection.followNewScript();
    if (this.#tableCursor) return this.#tableCursor;
    const state = this;
    const latest = (): ScriptCursor<ScriptStep> | undefined => state.#tableCursor ?? state.#latestCursor;
    return {
      get position() {
        return latest()?.position ?? 0;
      },
      get done() {
        return latest()?.done ?? state.#steps.length === 0;
      },
      waitDone(timeoutMs = 5000) {
        return state.recording.waitFor(
          () => this.done,
          { timeoutMs },
          "script done on the latest connection",
        );
      },
    };
  }

  /**
   * The cursor a new connection follows: the table's own, or (connection scope) a fresh one whose ack steps
   * set the connection's policy through `applyConnectionAck`.
   */
  cursorFor(applyConnectionAck: (policy: AckPolicy) => void): ScriptCursor<ScriptStep> | undefined {
    if (this.#scope === "table") return this.#tableCursor;
    if (this.#steps.length === 0) return undefined;
    this.#latestCursor = this.#watch(
      new ScriptCursor(this.#steps, (step) => {
        if (!isAckStep(step)) return false;
        applyConnectionAck(validateAckPolicy(step.ack));
        return true;
      }),
    );
    return this.#latestCursor;
  }

  #applyAck(step: ScriptStep): boolean {
    if (!isAckStep(step)) return false;
    this.ackPolicy = validateAckPolicy(step.ack);
    return true;
  }

  #watch(cursor: ScriptCursor<ScriptStep>): ScriptCursor<ScriptStep> {
    cursor.onAdvance(() => this.recording.notify());
    return cursor;
  }
}
