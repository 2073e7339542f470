import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { startProgress } from "./progress.js";

/** A stream that keeps what is written; `isTTY` decides which display the demo picks. */
function capture(isTTY: boolean) {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  }) as Writable & { isTTY: boolean; columns: number };
  stream.isTTY = isTTY;
  stream.columns = 160;
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

const sample = () => ({ accepted: 1_500, acknowledged: 1_200, inFlight: 300 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startProgress", () => {
  it("writes a plain line per interval when the output is not a terminal", async () => {
    const out = capture(false);
    const progress = startProgress(10_000, sample, out.stream, 20);
    await sleep(150);
    progress.stop();
    const lines = out.text().trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).toMatch(/^progress: 1,200\/10,000 acknowledged, [\d,]+ records\/s, 300 in flight$/);
    }
    const written = out.text();
    await sleep(60);
    expect(out.text()).toBe(written);
  });

  it("draws a bar on a terminal, with acknowledged, rate and in flight", async () => {
    const out = capture(true);
    const progress = startProgress(10_000, sample, out.stream);
    await sleep(250);
    progress.stop();
    expect(out.text()).toMatch(/12% \| 1,200\/10,000 acknowledged \| [\d,]+ records\/s \| 300 in flight/);
  });
});
