/** Bytes of each slab that request buffers are carved from. */
const SLAB_BYTES = 1024 * 1024;
/** Requests above this get a buffer of their own: carving them would waste most of a slab. */
const LARGEST_CARVED = SLAB_BYTES / 8;

let slab = Buffer.allocUnsafe(0);
let used = 0;

/**
 * An uninitialised buffer of `size` bytes for one encoded request. Requests of batches (kilobytes each)
 * are carved from shared 1 MiB slabs, as Node's own pool does for small buffers: `Buffer.allocUnsafe`
 * would create a separate ArrayBuffer per request, which costs more than encoding a batch of 100 short
 * records. A slab is never reused: a new one starts when it is full, and the old one is collected once
 * grpc-js has copied (and dropped) every request carved from it.
 */
export function requestBuffer(size: number): Buffer {
  if (size > LARGEST_CARVED) return Buffer.allocUnsafe(size);
  if (used + size > slab.length) {
    slab = Buffer.allocUnsafe(SLAB_BYTES);
    used = 0;
  }
  const buffer = slab.subarray(used, used + size);
  // Keep carved buffers 8-byte aligned, as Node's pool does.
  used += (size + 7) & ~7;
  return buffer;
}
