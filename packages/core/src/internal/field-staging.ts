import { varintLength, writeVarint } from "./wire-size.js";

/** Bytes of each slab staged fields are written to. */
const SLAB_BYTES = 1024 * 1024;
/** Longer JSON records are measured and left unstaged: staging them would waste most of a slab. */
const MAX_STAGED_CHARS = SLAB_BYTES / 16;
/** `JsonRecordBatch.records` / `ProtoEncodedRecordBatch.records` = 1, length-delimited. */
const TAG_REPEATED_RECORD = 0x0a;

/**
 * `Buffer#utf8Write` measures and encodes in one native call and returns the bytes written; it is not in
 * Node's typings, so it is feature-detected once (without it nothing is staged).
 */
interface Utf8Writer {
  utf8Write(text: string, offset: number, length: number): number;
}
const hasUtf8Write = typeof (Buffer.prototype as Partial<Utf8Writer>).utf8Write === "function";

/**
 * Single JSON records encoded at accept, as they appear in a batch request's repeated field (tag, varint
 * length, UTF-8 bytes), one after another in 1 MiB slabs. Encoding a record is how it is measured (one
 * native call instead of a measurement at accept and a copy at send), and single records accepted back
 * to back lie next to each other, so a coalesced request of them is one copy of a slab's range
 * (PROTOCOL.md A.15). A slab is never rewritten: the entries that point into it keep it alive until they
 * are acknowledged.
 *
 * Use: {@link stage} a record (which measures it), then {@link commit} once it is accepted; a record
 * staged but not committed (refused, or waiting for room) is overwritten by the next one.
 */
export class FieldStaging {
  #slab = hasUtf8Write ? Buffer.allocUnsafe(SLAB_BYTES) : Buffer.alloc(0);
  #used = 0;
  #next = 0;
  /** The slab and start of the record last staged; `slab` is `undefined` when it was not staged. */
  slab: Buffer | undefined;
  start = 0;

  /** Encodes `record` after the committed ones (when it can) and returns its UTF-8 byte length. */
  stage(record: string): number {
    const chars = record.length;
    if (!hasUtf8Write || chars > MAX_STAGED_CHARS) {
      this.slab = undefined;
      this.#next = this.#used;
      return Buffer.byteLength(record, "utf8");
    }
    // A UTF-16 code unit takes at most 3 UTF-8 bytes; the varint at most one byte more than ASCII's.
    if (this.#used + 2 + varintLength(chars) + 3 * chars > this.#slab.length) {
      this.#slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.#used = 0;
    }
    const slab = this.#slab;
    const start = this.#used;
    // Written where an ASCII record's bytes go (UTF-8 is never shorter); moved when the varint is longer.
    const guess = chars < 0x80 ? 1 : varintLength(chars);
    const at = start + 1 + guess;
    const bytes = (slab as unknown as Utf8Writer).utf8Write(record, at, slab.length - at);
    slab[start] = TAG_REPEATED_RECORD;
    let varint = 1;
    if (bytes < 0x80) {
      slab[start + 1] = bytes;
    } else {
      varint = varintLength(bytes);
      if (varint !== guess) slab.copyWithin(start + 1 + varint, at, at + bytes);
      writeVarint(slab, start + 1, bytes);
    }
    this.slab = slab;
    this.start = start;
    this.#next = start + 1 + varint + bytes;
    return bytes;
  }

  /** Keeps the record last staged (it was accepted). */
  commit(): void {
    this.#used = this.#next;
  }
}
