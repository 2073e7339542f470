/** Wall time and this process's CPU time of one timed section. */
export interface Timing {
  ms: number;
  cpuMs: number;
  /** Pipelined clients: how many calls got an offset that does not follow call order. */
  outOfOrder?: number;
}

/**
 * Starts timing; the returned function stops it. Collects garbage first (with `--expose-gc`) so that no
 * client pays, inside its timed section, for what it or the previous client built before it.
 */
export function startTiming(): () => Timing {
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };
}
