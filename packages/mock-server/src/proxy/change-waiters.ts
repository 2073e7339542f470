/** Promises that resolve when a condition over changing state holds, re-checked on every `notify()`. */
export class ChangeWaiters {
  readonly #checks = new Set<() => void>();

  /** Re-checks every pending condition. */
  notify(): void {
    for (const check of [...this.#checks]) check();
  }

  /**
   * Resolves once `holds()` is true; rejects with what `holds` threw, or after `timeoutMs` with
   * `describe()` in the message.
   */
  until(holds: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error?: unknown) => {
        this.#checks.delete(check);
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const check = () => {
        try {
          if (holds()) settle();
        } catch (error) {
          settle(error ?? new Error("the waitFor predicate threw"));
        }
      };
      const timer = setTimeout(
        () => settle(new Error(`condition not met after ${timeoutMs} ms (${describe()})`)),
        timeoutMs,
      );
      this.#checks.add(check);
      check();
    });
  }
}
