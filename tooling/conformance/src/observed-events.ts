import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { DiagnosticsChannelName, DiagnosticsMessages } from "@zerobus/core";
import { DiagnosticsChannel } from "@zerobus/core";

/** One message published on a Zerobus diagnostics channel. */
export interface ObservedEvent {
  readonly channel: DiagnosticsChannelName;
  // biome-ignore lint/suspicious/noExplicitAny: read by field in assertions; each channel's shape differs
  readonly message: any;
}

/**
 * Subscribes to every Zerobus diagnostics channel and keeps the messages of one table, in order, until
 * {@link ObservedEvents.stop} (tests of issue 18: what an APM subscriber sees).
 */
export class ObservedEvents {
  readonly events: ObservedEvent[] = [];
  readonly #listeners: [DiagnosticsChannelName, (message: unknown) => void][] = [];

  constructor(table: string) {
    for (const channel of Object.values(DiagnosticsChannel)) {
      const listener = (message: unknown) => {
        if ((message as { table?: unknown }).table === table) this.events.push({ channel, message });
      };
      subscribe(channel, listener);
      this.#listeners.push([channel, listener]);
    }
  }

  /** The messages of one channel. */
  of<N extends DiagnosticsChannelName>(channel: N): DiagnosticsMessages[N][] {
    return this.events.filter((event) => event.channel === channel).map((event) => event.message);
  }

  /** The sum of a numeric field over one channel's messages. */
  sum(
    channel: "zerobus:stream:accept" | "zerobus:stream:ack" | "zerobus:stream:resend",
    field: "records" | "bytes",
  ): number {
    return this.of(channel).reduce((total, message) => total + message[field], 0);
  }

  stop(): void {
    for (const [channel, listener] of this.#listeners) unsubscribe(channel, listener);
  }
}
