/**
 * A first-in-first-out queue of numbers on a growable ring, for per-request bookkeeping on the hot path
 * (an `Array#shift` per acknowledged request would copy the whole array).
 */
export class NumberQueue {
  #items: number[] = new Array(64).fill(0);
  #mask = 63;
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length > this.#mask) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = value;
    this.#length++;
  }

  /** The item `index` places from the front (which must exist). */
  at(index: number): number {
    return this.#items[(this.#head + index) & this.#mask] as number;
  }

  /** Drops the `count` oldest items. */
  drop(count: number): void {
    const dropped = Math.min(count, this.#length);
    this.#head = (this.#head + dropped) & this.#mask;
    this.#length -= dropped;
  }

  clear(): void {
    this.#head = 0;
    this.#length = 0;
  }

  #grow(): void {
    const capacity = (this.#mask + 1) * 2;
    const items: number[] = new Array(capacity).fill(0);
    for (let i = 0; i < this.#length; i++) items[i] = this.at(i);
    this.#items = items;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
