/** Wall time and this process's CPU time of one timed section. */
export interface Timing {
  ms: number;
  cpuMs: number;
}

/** Starts timing; the returned function stops it. */
export function startTiming(): () => Timing {
  const started = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  };
}
