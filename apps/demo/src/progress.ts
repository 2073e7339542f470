import cliProgress from "cli-progress";

/** What the progress display shows, sampled from `stream.stats()`. */
export interface ProgressSample {
  accepted: number;
  acknowledged: number;
  inFlight: number;
}

/** A running progress display; `stop()` ends it (and clears its timer). */
export interface Progress {
  stop(): void;
}

const number = new Intl.NumberFormat("en-US");

/**
 * Shows progress towards `total` records: a live bar on a terminal, a plain line every `intervalMs` (default
 * 1 s) otherwise (CI logs, pipes). Rates are records accepted per second since the start.
 */
export function startProgress(
  total: number,
  sample: () => ProgressSample,
  out: NodeJS.WriteStream = process.stderr,
  intervalMs = 1000,
): Progress {
  const startedAt = performance.now();
  const rate = (accepted: number) =>
    Math.round(accepted / Math.max((performance.now() - startedAt) / 1000, 0.001));

  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: out,
        format:
          "{bar} {percentage}% | {value}/{total} acknowledged | {rate} records/s | {inFlight} in flight",
        hideCursor: true,
        formatValue: (value, _options, type) =>
          type === "value" || type === "total" ? number.format(value) : String(value),
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: "0", inFlight: "0" });
    const timer = setInterval(() => {
      const s = sample();
      bar.update(s.acknowledged, {
        rate: number.format(rate(s.accepted)),
        inFlight: number.format(s.inFlight),
      });
    }, 100);
    return {
      stop() {
        clearInterval(timer);
        const s = sample();
        bar.update(s.acknowledged, {
          rate: number.format(rate(s.accepted)),
          inFlight: number.format(s.inFlight),
        });
        bar.stop();
      },
    };
  }

  const timer = setInterval(() => {
    const s = sample();
    out.write(
      `progress: ${number.format(s.acknowledged)}/${number.format(total)} acknowledged, ` +
        `${number.format(rate(s.accepted))} records/s, ${number.format(s.inFlight)} in flight\n`,
    );
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
