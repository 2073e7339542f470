import type { CallOptions, StreamEvents, StreamOptions } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";

/** The last argument of `createStream…`: stream options, events, and a signal that abandons creation. */
export interface CreateStreamOptions extends StreamOptions, StreamEvents, CallOptions {}

const eventNames = ["onAck", "onError", "onStateChange"] as const;

/** Splits the argument into stream options, events and the creation signal, checking the callbacks. */
export function splitCreateStreamOptions(options: CreateStreamOptions | undefined): {
  streamOptions: StreamOptions;
  events: StreamEvents;
  signal: AbortSignal | undefined;
} {
  if (options === undefined) return { streamOptions: {}, events: {}, signal: undefined };
  if (typeof options !== "object" || options === null) {
    throw new ZerobusError("invalid_argument", "stream options must be an object");
  }
  const { signal, onAck, onError, onStateChange, ...streamOptions } = options;
  const events: StreamEvents = {};
  for (const [name, callback] of [
    ["onAck", onAck],
    ["onError", onError],
    ["onStateChange", onStateChange],
  ] as const) {
    if (callback === undefined) continue;
    if (typeof callback !== "function")
      throw new ZerobusError("invalid_argument", `option ${name} must be a function`);
    (events as Record<(typeof eventNames)[number], unknown>)[name] = callback;
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ZerobusError("invalid_argument", "option signal must be an AbortSignal");
  }
  return { streamOptions, events, signal };
}
