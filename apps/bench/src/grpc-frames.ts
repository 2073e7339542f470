/**
 * gRPC length-prefixed framing (1 flag byte, 4-byte big-endian length, message) and the few envelope
 * fields the bench needs, read without decoding whole messages: the bench server and the raw http2 client
 * must cost as little as possible so the clients are what is measured.
 */

/** Wraps one message in a gRPC frame. */
export function frame(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(message.byteLength + 5);
  framed[0] = 0;
  framed.writeUInt32BE(message.byteLength, 1);
  framed.set(message, 5);
  return framed;
}

/**
 * Splits a byte stream into gRPC messages. A message split over many chunks (a 10 MB coalesced request
 * arrives in hundreds) is gathered once its last byte is there, not re-concatenated on every chunk.
 */
export class FrameReader {
  #parts: Buffer[] = [];
  #partsBytes = 0;
  /** Bytes needed before the gathered parts are worth joining (the whole pending message). */
  #needed = 0;

  /** Calls `onMessage(buffer, start, end)` for each complete message in `chunk` (and what came before). */
  push(chunk: Buffer, onMessage: (buffer: Buffer, start: number, end: number) => void): void {
    let buffer = chunk;
    if (this.#partsBytes > 0) {
      this.#parts.push(chunk);
      this.#partsBytes += chunk.length;
      if (this.#partsBytes < this.#needed) return;
      buffer = Buffer.concat(this.#parts, this.#partsBytes);
      this.#parts = [];
      this.#partsBytes = 0;
    }
    let position = 0;
    while (buffer.length - position >= 5) {
      const length = buffer.readUInt32BE(position + 1);
      const end = position + 5 + length;
      if (end > buffer.length) break;
      onMessage(buffer, position + 5, end);
      position = end;
    }
    if (position < buffer.length) {
      const rest = buffer.subarray(position);
      this.#parts.push(rest);
      this.#partsBytes = rest.length;
      this.#needed = rest.length >= 5 ? rest.readUInt32BE(1) + 5 : 5;
    }
  }
}

/** A varint read at `position`: its value (below 2^53) and the position after it. */
export function readVarint(buffer: Buffer, position: number): [number, number] {
  let value = 0;
  let factor = 1;
  let at = position;
  for (;;) {
    const byte = buffer[at++] as number;
    value += (byte & 0x7f) * factor;
    if (byte < 0x80) return [value, at];
    factor *= 0x80;
  }
}

/** Appends a varint to `bytes`. */
export function pushVarint(bytes: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
}

/** A framed `EphemeralStreamResponse{ingest_record_response{durability_ack_up_to_offset}}`. */
export function ackFrame(upTo: number): Buffer {
  const inner: number[] = [0x08];
  pushVarint(inner, upTo);
  return frame(Uint8Array.from([0x12, inner.length, ...inner]));
}

/** A framed `EphemeralStreamResponse{create_stream_response{stream_id}}`. */
export function createdFrame(streamId: string): Buffer {
  const id = Buffer.from(streamId);
  return frame(Uint8Array.from([0x0a, id.length + 2, 0x0a, id.length, ...id]));
}

/** The ack offset of a server message, or -1 when it is not an ack. */
export function ackOffsetOf(buffer: Buffer, start: number): number {
  if (buffer[start] !== 0x12) return -1;
  const [, afterLength] = readVarint(buffer, start + 1);
  if (buffer[afterLength] !== 0x08) return -1;
  return readVarint(buffer, afterLength + 1)[0];
}
