import type { CapabilityGap } from "@zerobus/core";
import type { ScriptStep } from "@zerobus/mock-server";
import { describe, expect, it } from "vitest";
import { expectRejection, jsonRecords } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";
import { itGives } from "../harness.js";

// Each malformed response follows the second acknowledged request.
const after = { records: 2 };
/**
 * `gap`: the backend gap under which the client cannot tell the message is wrong (no `protocol_error`);
 * `lossGap`: under that gap, not telling also loses records. An ack beyond what was sent that arrives while
 * nothing more is in flight loses nothing: the records sent after it are never acknowledged on that
 * connection, and the lack-of-ack timeout (A.6) recovers them.
 */
const cases: { name: string; step: ScriptStep; gap?: CapabilityGap; lossGap?: CapabilityGap }[] = [
  {
    name: "an ack lower than the previous one",
    step: { lowerAck: true, after },
    gap: "ackValidation",
    lossGap: "ackValidation",
  },
  { name: "an ack beyond what was sent", step: { ackBeyondSent: { by: 3 }, after }, gap: "ackValidation" },
  { name: "an ack without offset", step: { ackWithoutOffset: true, after } },
  { name: "a second create response", step: { secondCreateResponse: true, after } },
];

/** Ingests two records as two requests, each acknowledged before the next is sent. */
async function twoAcknowledgedRequests(stream: Awaited<ReturnType<Harness["open"]>>, records: string[]) {
  for (const record of records.slice(0, 2)) await stream.waitForOffset(await stream.ingestRecord(record));
}

/** A broken server (PROTOCOL.md A.2, B §1.8): a retryable `protocol_error`, never a silent over-ack. */
export function malformedScenarios(h: Harness, on: TagFilter): void {
  if (on("malformed"))
    describe("malformed server responses", () => {
      for (const { name, step, gap, lossGap } of cases) {
        const test = (under: CapabilityGap | undefined, title: string, fn: () => Promise<void>) =>
          under ? itGives(h, under, title, fn) : it(title, fn);

        test(gap, `treats ${name} as a retryable protocol error`, async () => {
          const table = h.table();
          h.server.script(table, [step]);
          const failure = new Promise<unknown>((resolve, reject) => {
            setTimeout(() => reject(new Error("the stream did not fail within 5 s")), 5_000).unref();
            h.open(table, { options: { recovery: false }, events: { onError: resolve } }).then(
              (stream) => twoAcknowledgedRequests(stream, jsonRecords(2)).catch(() => {}),
              reject,
            );
          });
          await expectRejection(
            failure.then((error) => {
              throw error;
            }),
            { code: "protocol_error", retryable: true },
          );
        });

        test(lossGap, `recovers from ${name} and delivers everything`, async () => {
          const table = h.table();
          h.server.script(table, [step]);
          const stream = await h.open(table);
          const records = jsonRecords(4);
          await twoAcknowledgedRequests(stream, records);
          // The malformed message reaches the client before anything more is sent, whatever the machine's
          // load: a client that cannot tell it is wrong (gap ackValidation) may otherwise apply an ack beyond
          // what was sent to the records sent meanwhile, and take them as delivered.
          await new Promise((resolve) => setTimeout(resolve, 200));
          for (const record of records.slice(2)) await stream.ingestRecord(record);
          await stream.flush();
          h.server.table(table).assertDelivered(records);
          expect(h.server.table(table).connections.length).toBeGreaterThanOrEqual(2);
          expect(stream.state).toBe("open");
        });
      }
    });
}
