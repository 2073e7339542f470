/** The timers of one connection, all cancelled (and every sleeper woken) when it ends. */
export class ConnectionTimers {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #wakers = new Set<() => void>();
  #stopped = false;

  /** Runs `action` after `ms` unless the timers were stopped first. */
  later(ms: number, action: () => void): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#stopped) action();
    }, ms);
    this.#timers.add(timer);
  }

  /** Waits `ms` (no wait when undefined or 0); resolves early when the timers are stopped. */
  sleep(ms: number | undefined): Promise<void> {
    if (!ms || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.#wakers.add(resolve);
      this.later(ms, () => {
        this.#wakers.delete(resolve);
        resolve();
      });
    });
  }

  /** Cancels every timer and wakes every sleeper; later calls do nothing. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const wake of this.#wakers) wake();
    this.#wakers.clear();
  }
}
