import { setTimeout as sleep } from "node:timers/promises";

/** One reading of a process's memory, in bytes. */
export interface MemoryFigures {
  rss: number;
  /** V8's live heap. */
  heapUsed: number;
  /** Memory V8 tracks outside its heap (Buffers and other ArrayBuffers included). */
  external: number;
  /** The ArrayBuffer part of `external` (Buffers). */
  arrayBuffers: number;
  /** Our native addon's Rust allocator (native client only). */
  rustLive?: number;
}

/** Reads every figure now; `rustLive` when a reader is given. */
export function readMemory(rustLive?: () => number | undefined): MemoryFigures {
  const usage = process.memoryUsage();
  const rust = rustLive?.();
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    ...(rust === undefined ? {} : { rustLive: rust }),
  };
}

/**
 * Full collections with pauses between (so that weak callbacks run and the Buffers and native objects they
 * release are gone before the next one). Needs `--expose-gc`.
 */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("the memory workload needs node --expose-gc");
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(50);
  }
}

/** The highest RSS seen: read on a timer and whenever {@link sample} is called. */
export class RssSampler {
  #peak = 0;
  #timer: NodeJS.Timeout | undefined;

  /** Starts reading every `intervalMs`. */
  start(intervalMs: number): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Reads RSS now (cheap: one system call). */
  sample(): number {
    const rss = process.memoryUsage.rss();
    if (rss > this.#peak) this.#peak = rss;
    return rss;
  }

  get peak(): number {
    return this.#peak;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
