import type { DescMessage } from "@bufbuild/protobuf";
import type { SupportedRecordType, WireRecord } from "@zerobus/core";
import { RecordType, ZerobusError } from "@zerobus/core";
import { kindOf } from "@zerobus/core/internal";

/** Turns one user record into its wire form, or throws `invalid_argument` saying why it cannot. */
export type RecordEncoder = (record: unknown) => WireRecord;

/** `toBinary` of `@bufbuild/protobuf`, passed in so the runtime loads only for Proto streams. */
export type MessageEncoder = (schema: DescMessage, message: never) => Uint8Array;

const typeNameOf = (value: object): string | undefined => {
  const typeName = (value as { $typeName?: unknown }).$typeName;
  return typeof typeName === "string" ? typeName : undefined;
};

/**
 * Objects `JSON.stringify` turns into something else without complaint: a Map or Set becomes `{}`, a typed
 * array an object of indexes, an ArrayBuffer `{}`. Ingesting that would lose or garble the data.
 */
function isMangledByJson(value: object): boolean {
  return (
    value instanceof Map ||
    value instanceof Set ||
    value instanceof WeakMap ||
    value instanceof WeakSet ||
    value instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer) ||
    ArrayBuffer.isView(value)
  );
}

function encodeJson(record: unknown): string {
  if (typeof record === "string") return record;
  if (typeof record !== "object" || record === null || Array.isArray(record) || isMangledByJson(record)) {
    throw new ZerobusError(
      "invalid_argument",
      `a record must be a JSON object (as text or an object) on a JSON stream; got ${kindOf(record)}`,
    );
  }
  const typeName = typeNameOf(record);
  if (typeName !== undefined) {
    throw new ZerobusError(
      "invalid_argument",
      `a JSON stream does not take protobuf messages (got a ${typeName})`,
    );
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(record);
  } catch (cause) {
    const reason = cause instanceof Error ? `: ${cause.message}` : "";
    throw new ZerobusError("invalid_argument", `the record could not be serialised to JSON${reason}`, {
      cause,
    });
  }
  if (text === undefined || !text.startsWith("{")) {
    throw new ZerobusError("invalid_argument", "the record does not serialise to a JSON object");
  }
  return text;
}

function protoEncoder(message: DescMessage | undefined, toBinary: MessageEncoder | undefined): RecordEncoder {
  return (record) => {
    if (record instanceof Uint8Array) return record;
    if (typeof record === "object" && record !== null && !Array.isArray(record)) {
      const typeName = typeNameOf(record);
      if (typeName !== undefined) {
        if (message === undefined || toBinary === undefined) {
          throw new ZerobusError(
            "invalid_argument",
            `got a ${typeName} message, but the stream was created with descriptor bytes: pass encoded bytes, or create the stream with the message's descriptor`,
          );
        }
        if (typeName !== message.typeName) {
          throw new ZerobusError(
            "invalid_argument",
            `this stream takes ${message.typeName} messages, got a ${typeName}`,
          );
        }
        try {
          return toBinary(message, record as never);
        } catch (cause) {
          const reason = cause instanceof Error ? `: ${cause.message}` : "";
          throw new ZerobusError(
            "invalid_argument",
            `the ${typeName} message could not be encoded${reason}`,
            {
              cause,
            },
          );
        }
      }
    }
    throw new ZerobusError(
      "invalid_argument",
      `a record must be encoded bytes (Uint8Array) or a protobuf-es message on a Proto stream; got ${kindOf(record)}`,
    );
  };
}

/** The encoder for a stream of `recordType`; Proto streams created with a `DescMessage` also encode messages. */
export function recordEncoder(
  recordType: SupportedRecordType,
  message?: DescMessage,
  toBinary?: MessageEncoder,
): RecordEncoder {
  return recordType === RecordType.Json ? encodeJson : protoEncoder(message, toBinary);
}
